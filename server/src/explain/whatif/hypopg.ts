/**
 * Hypothetical indexes with hypopg. They live only in the connection that created them and only
 * plain EXPLAIN sees them, so the estimate runs on a dedicated connection and `hypopg_reset()` runs
 * after every estimate: no other hover can see an index that does not exist.
 *
 * Verified on PostgreSQL 15 + hypopg 1.3.1: `hypopg_create_index` works in a session with
 * `default_transaction_read_only=on` (it writes no table), and the PREPARE + force_generic_plan path
 * the runner uses for `$n` parameters sees the hypothetical index too.
 */
import { explain, type ExplainResult } from '../runner';
import { ExplainError, extendedQuery, queryError, type ExplainSession } from '../session';
import { ensureParserLoaded } from '../statement-check';
import { parseIndexStatement } from './index-statement';

export type HypopgState =
  | { state: 'installed'; version: string }
  | { state: 'available'; reason: string }
  | { state: 'missing'; reason: string };

/**
 * Whether hypopg can be used. `allowCreateExtension` (a user setting) lets Ledgerlint run
 * `CREATE EXTENSION hypopg` once; it needs a role allowed to create extensions (superuser before
 * PostgreSQL 13, or the database owner for this trusted-less extension on some hosts).
 */
export async function detectHypopg(session: ExplainSession, allowCreateExtension = false): Promise<HypopgState> {
  try {
    const installed = await session.client.query(extendedQuery("SELECT extversion FROM pg_extension WHERE extname = 'hypopg'"));
    if (installed.rows.length) return { state: 'installed', version: String(installed.rows[0].extversion) };
    const available = await session.client.query(extendedQuery("SELECT default_version FROM pg_available_extensions WHERE name = 'hypopg'"));
    if (!available.rows.length) {
      return { state: 'missing', reason: `hypopg is not installed on ${session.connection.label} (install the hypopg package for its PostgreSQL version, then CREATE EXTENSION hypopg)` };
    }
    if (!allowCreateExtension) {
      return { state: 'available', reason: `hypopg is available on ${session.connection.label} but not created: run CREATE EXTENSION hypopg, or set ledgerlint.explain.createHypopgExtension to let Ledgerlint do it` };
    }
    // The only write Ledgerlint ever makes, and only with the user's setting: the session is
    // read-only by default, so this one transaction opts out explicitly.
    await session.client.query(extendedQuery('BEGIN'));
    try {
      await session.client.query(extendedQuery('SET TRANSACTION READ WRITE'));
      await session.client.query(extendedQuery('CREATE EXTENSION IF NOT EXISTS hypopg'));
      await session.client.query(extendedQuery('COMMIT'));
    } catch (error) {
      await session.client.query(extendedQuery('ROLLBACK')).catch(() => undefined);
      const err = error as { message?: string };
      return { state: 'available', reason: `CREATE EXTENSION hypopg failed on ${session.connection.label}: ${String(err.message ?? error).split('\n')[0]}` };
    }
    return detectHypopg(session, false);
  } catch (error) {
    throw queryError(session, error);
  }
}

export interface WhatIfEstimate {
  before: number;
  after: number;
  /** Whether the plan with the hypothetical index uses it. */
  usesIndex: boolean;
  beforePlan: ExplainResult;
  afterPlan: ExplainResult;
}

/** `<13556>btree_payments_account_id`: how hypopg names its indexes in plans. */
export const HYPOTHETICAL_INDEX = /^<\d+>/;

/** EXPLAIN `statement` without and with the hypothetical `indexSql`; always resets hypopg afterwards. */
export async function estimateWithIndex(session: ExplainSession, statement: string, indexSql: string): Promise<WhatIfEstimate> {
  await ensureParserLoaded();
  const index = parseIndexStatement(indexSql);
  if (!index) throw new ExplainError(`"${indexSql.slice(0, 80)}" is not a single CREATE INDEX statement.`, undefined, 'refused');
  const beforePlan = await explain(session, statement);
  try {
    try {
      await session.client.query({ ...extendedQuery('SELECT indexrelid FROM hypopg_create_index($1)'), values: [index.sql] });
    } catch (error) {
      throw queryError(session, error);
    }
    const afterPlan = await explain(session, statement);
    const usesIndex = afterPlan.plan.nodes.some((n) => !!n.indexName && HYPOTHETICAL_INDEX.test(n.indexName));
    return { before: beforePlan.plan.root.totalCost, after: afterPlan.plan.root.totalCost, usesIndex, beforePlan, afterPlan };
  } finally {
    await session.client.query(extendedQuery('SELECT hypopg_reset()')).catch(() => undefined);
  }
}
