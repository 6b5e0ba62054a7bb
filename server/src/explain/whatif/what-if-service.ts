/**
 * Cost estimates for indexes that do not exist yet, on a connection of their own (hypothetical
 * indexes are per connection, and the hover's connection must never plan with one). Estimates are
 * serialised, cached per (connection, statement, index), and bounded by a deadline so a code-action
 * menu never waits on the database for long.
 */
import type { ResolvedConnection } from '../connection-sources';
import { ExplainError, type ExplainSession, type SessionOptions } from '../session';
import { SessionSlot } from '../session-slot';
import { detectHypopg, estimateWithIndex, type HypopgState } from './hypopg';
import { analysePlan } from '../insights';
import { findExistingIndex } from '../insights/index-fix';
import { explain } from '../runner';
import { distinctLookup, proposeIndex, type ProposedIndex } from './propose';

/** Plan findings whose fix is an index on the scanned table. */
const INDEX_FINDINGS = new Set(['seq-scan-discards-rows', 'index-scan-filters-rows', 'slow-node', 'order-by-limit-wrong-index', 'order-by-limit-sorts-all']);

export type Estimate =
  | { status: 'ok'; before: number; after: number; usesIndex: boolean }
  | { status: 'unavailable'; reason: string };

export interface WhatIfServiceOptions {
  resolveConnection: () => ResolvedConnection | undefined | Promise<ResolvedConnection | undefined>;
  /** The user allowed `CREATE EXTENSION hypopg` (setting). */
  allowCreateExtension?: () => boolean;
  sessionOptions?: SessionOptions;
  log?: (message: string) => void;
}

export class WhatIfService {
  private hypopg: HypopgState | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly cache = new Map<string, Estimate>();
  private readonly proposals = new Map<string, ProposedIndex[]>();
  private disposed = false;

  private readonly slot: SessionSlot;

  constructor(private readonly options: WhatIfServiceOptions) {
    this.slot = new SessionSlot(options.sessionOptions);
  }

  /**
   * The estimated cost of `statement` before and after `indexSql`. Never throws; past `timeoutMs`
   * it answers "unavailable" while the estimate finishes in the background and lands in the cache.
   */
  async estimate(statement: string, indexSql: string, timeoutMs = 1500): Promise<Estimate> {
    const connection = await this.resolve();
    if (!connection) return { status: 'unavailable', reason: 'no database connection is configured' };
    const key = JSON.stringify([connection.label, statement, indexSql]);
    const cached = this.cache.get(key);
    if (cached) return cached;
    const next = this.queue.then(() => this.estimateNow(connection, statement, indexSql, key));
    this.queue = next.catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<Estimate>((resolve) => {
      timer = setTimeout(() => resolve({ status: 'unavailable', reason: `the estimate took longer than ${timeoutMs} ms (it will be ready next time)` }), timeoutMs);
    });
    try {
      return await Promise.race([next, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Indexes the statement's plan calls for (see propose.ts), from an estimated plan on this
   * service's connection. Empty when there is no connection or nothing to propose; never throws.
   */
  async proposeFor(statement: string): Promise<ProposedIndex[]> {
    const connection = await this.resolve();
    if (!connection) return [];
    // The lightbulb asks on every cursor move: one EXPLAIN per statement text is enough.
    const key = JSON.stringify([connection.label, statement]);
    const cached = this.proposals.get(key);
    if (cached) return cached;
    const next = this.queue.then(async () => {
      const session = await this.sessionFor(connection);
      const result = await explain(session, statement);
      const distinct = await distinctLookup(session, result.statement.tables);
      const out: ProposedIndex[] = [];
      for (const finding of analysePlan(result.plan)) {
        const node = finding.nodeId !== undefined ? result.plan.nodes[finding.nodeId] : undefined;
        if (!node || !INDEX_FINDINGS.has(finding.id)) continue;
        const proposed = proposeIndex(result.plan, node, distinct);
        // An index the database already has is not a proposal (the finding's own fix says ANALYZE or REINDEX).
        if (!proposed || (!proposed.where && findExistingIndex(proposed.table, proposed.columns, result.plan.existingIndexes))) continue;
        if (!out.some((p) => p.sql === proposed.sql)) out.push(proposed);
      }
      if (this.proposals.size >= 200) this.proposals.delete(this.proposals.keys().next().value as string);
      this.proposals.set(key, out);
      return out;
    });
    this.queue = next.catch(() => undefined);
    try {
      return await next;
    } catch (error) {
      this.options.log?.(`Index proposal failed: ${(error as Error).message}`);
      return [];
    }
  }

  /** After a migration changes a table, or the connection changes: estimates are stale. */
  clear(): void {
    this.cache.clear();
    this.proposals.clear();
    this.hypopg = undefined;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await this.queue.catch(() => undefined);
    await this.closeSession();
    this.cache.clear();
  }

  private async resolve(): Promise<ResolvedConnection | undefined> {
    try {
      return await this.options.resolveConnection();
    } catch {
      return undefined;
    }
  }

  private async estimateNow(connection: ResolvedConnection, statement: string, indexSql: string, key: string): Promise<Estimate> {
    if (this.disposed) return { status: 'unavailable', reason: 'the language server is shutting down' };
    let result: Estimate;
    try {
      const session = await this.sessionFor(connection);
      this.hypopg ??= await detectHypopg(session, this.options.allowCreateExtension?.() ?? false);
      if (this.hypopg.state !== 'installed') {
        result = { status: 'unavailable', reason: this.hypopg.reason };
      } else {
        const e = await estimateWithIndex(session, statement, indexSql);
        result = { status: 'ok', before: e.before, after: e.after, usesIndex: e.usesIndex };
      }
    } catch (error) {
      const err = error as ExplainError;
      if (err.kind === 'lost' || !this.slot.current?.alive) await this.closeSession();
      this.options.log?.(`What-if index estimate failed: ${err.message}`);
      // Connection problems are not cached: the next request tries again.
      return { status: 'unavailable', reason: err.message.replace(/\.$/, '') };
    }
    if (this.cache.size >= 200) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(key, result);
    return result;
  }

  private async sessionFor(connection: ResolvedConnection): Promise<ExplainSession> {
    const { session, opened } = await this.slot.for(connection);
    if (opened) {
      this.hypopg = undefined;
      this.cache.clear();
    }
    return session;
  }

  private closeSession(): Promise<void> {
    return this.slot.close();
  }
}

const fmtCost = (n: number) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1));

/** The part of a code action title that reports the estimate. */
export function estimateSuffix(estimate: Estimate): string {
  if (estimate.status === 'unavailable') return ` (cost estimate unavailable: ${estimate.reason})`;
  if (!estimate.usesIndex) return ` (estimated cost ${fmtCost(estimate.before)}: the planner would not use this index for the query)`;
  return ` (estimated cost ${fmtCost(estimate.before)} -> ${fmtCost(estimate.after)})`;
}
