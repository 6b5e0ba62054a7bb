/**
 * Runs EXPLAIN safely. User text reaches the server only after `checkStatement` proved it is one
 * statement, and always over the extended protocol except for PostgreSQL 16+'s GENERIC_PLAN, which the
 * server accepts over the simple protocol only.
 */
import { checkStatement, ensureParserLoaded, type CheckedStatement } from './statement-check';
import { ExplainError, extendedQuery, queryError, type ExplainSession } from './session';
import { parsePlan, type Plan } from './plan-model';

export type PlanKind = 'generic' | 'literal';

export interface ExplainOptions {
  /** `$n` parameters: plan them generically (the default). */
  params?: 'auto';
  /**
   * false: estimated plan only. 'select': run SELECTs inside a read-only transaction.
   * 'dml-confirmed': the user confirmed running INSERT/UPDATE/DELETE inside a rolled-back transaction.
   */
  analyze?: false | 'select' | 'dml-confirmed';
  /** Supplies `$n` types from the workspace model when PostgreSQL cannot infer them (42P08/42P18). */
  paramTypes?: (statement: CheckedStatement) => string[] | undefined | Promise<string[] | undefined>;
  /** Use PREPARE + force_generic_plan (the PostgreSQL 12-15 path) even on 16+; for tests. */
  forcePrepareGenericPath?: boolean;
  verbose?: boolean;
}

export interface ExplainResult {
  plan: Plan;
  /** The raw `EXPLAIN (FORMAT JSON)` document. */
  json: unknown;
  planKind: PlanKind;
  analyzed: boolean;
  statement: CheckedStatement;
  serverVersionNum: number;
  /** Set when ANALYZE timed out and an estimated plan is shown instead. */
  note?: string;
}

let statementCounter = 0;

type Rows = { rows: Array<Record<string, unknown>> };
/** Extended protocol for everything; `simpleProtocol` only for the GENERIC_PLAN path (see file comment). */
async function run(session: ExplainSession, text: string, simpleProtocol = false): Promise<Rows> {
  return session.client.query(simpleProtocol ? { text } : extendedQuery(text));
}

function planJson(result: { rows: Array<Record<string, unknown>> }): unknown {
  const cell = result.rows[0]?.['QUERY PLAN'];
  return typeof cell === 'string' ? JSON.parse(cell) : cell;
}

export async function explain(session: ExplainSession, text: string, options: ExplainOptions = {}): Promise<ExplainResult> {
  await ensureParserLoaded();
  const statement = checkStatement(text);
  const analyze = options.analyze ?? false;
  const base = { statement, serverVersionNum: session.serverVersionNum };
  try {
    if (analyze) {
      if (statement.paramCount > 0) {
        throw new ExplainError(
          `EXPLAIN ANALYZE has to run the statement, and it has ${statement.paramCount} parameter(s) ($1...) without values; showing the estimated plan is the safe choice.`,
          undefined,
          'refused',
        );
      }
      const writes = statement.kind !== 'select' || statement.writesInCte;
      if (writes && analyze !== 'dml-confirmed') {
        throw new ExplainError(
          `EXPLAIN ANALYZE would execute this ${statement.kind.toUpperCase()} (inside a rolled-back transaction, but triggers run, sequences advance and row locks are held meanwhile); confirm it explicitly to run it.`,
          undefined,
          'refused',
        );
      }
      try {
        const json = await explainAnalyze(session, statement, writes, options);
        const plan = parsePlan(json);
        await attachIndexes(session, plan);
        return { ...base, json, plan, planKind: 'literal', analyzed: true };
      } catch (error) {
        if ((error as { code?: string }).code !== '57014') throw error;
        // A timed-out ANALYZE returns no partial plan; the estimated one still helps.
        const fallback = await explainPlain(session, statement, options);
        return {
          ...base,
          ...fallback,
          analyzed: false,
          note: 'EXPLAIN ANALYZE was cancelled after the 3 s statement timeout; this is the estimated plan.',
        };
      }
    }
    const plain = await explainPlain(session, statement, options);
    await attachTableRows(session, plain.plan);
    await attachIndexes(session, plain.plan);
    return { ...base, ...plain, analyzed: false };
  } catch (error) {
    throw queryError(session, error);
  }
}

async function explainPlain(session: ExplainSession, statement: CheckedStatement, options: ExplainOptions) {
  const settings = session.serverVersionNum >= 120000 ? ', SETTINGS' : '';
  const verbose = options.verbose ? ', VERBOSE' : '';
  if (statement.paramCount === 0) {
    const json = planJson(await run(session, `EXPLAIN (FORMAT JSON${settings}${verbose}) ${statement.sql}`));
    return { json, plan: parsePlan(json), planKind: 'literal' as PlanKind };
  }
  let json: unknown;
  try {
    if (session.serverVersionNum >= 160000 && !options.forcePrepareGenericPath) {
      // Simple protocol on purpose (see file comment); checkStatement guarantees a single statement, and
      // the newline keeps a trailing `--` comment from swallowing anything.
      json = planJson(await run(session, `EXPLAIN (GENERIC_PLAN, FORMAT JSON${settings}${verbose}) ${statement.sql}\n`, true));
    } else {
      json = await explainPrepared(session, statement, undefined, settings + verbose);
    }
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code !== '42P08' && code !== '42P18') throw error;
    const types = await options.paramTypes?.(statement);
    if (!types || types.length < statement.paramCount) {
      throw new ExplainError(
        `PostgreSQL cannot tell the type of a parameter (${(error as Error).message}); add a cast such as \`$1::bigint\` so the plan can be shown.`,
        code,
        'server',
      );
    }
    json = await explainPrepared(session, statement, types, settings + verbose);
  }
  const plan = parsePlan(json);
  // Our own SET LOCAL, not the user's configuration.
  delete plan.settings.plan_cache_mode;
  return { json, plan, planKind: 'generic' as PlanKind };
}

/** PostgreSQL 12-15: a prepared statement forced to its generic plan, executed with NULLs. */
async function explainPrepared(session: ExplainSession, statement: CheckedStatement, types: string[] | undefined, extra: string) {
  const name = `ledgerlint_explain_${process.pid}_${++statementCounter}`;
  const typeList = types ? `(${types.slice(0, statement.paramCount).map(safeTypeName).join(', ')})` : '';
  const nulls = Array.from({ length: statement.paramCount }, () => 'NULL').join(', ');
  let prepared = false;
  await run(session, 'BEGIN READ ONLY');
  try {
    await run(session, `PREPARE ${name}${typeList} AS ${statement.sql}\n`);
    prepared = true;
    await run(session, 'SET LOCAL plan_cache_mode = force_generic_plan');
    return planJson(await run(session, `EXPLAIN (FORMAT JSON${extra}) EXECUTE ${name}(${nulls})`));
  } finally {
    await run(session, 'ROLLBACK').catch(() => undefined);
    // Prepared statements survive ROLLBACK.
    if (prepared) await run(session, `DEALLOCATE ${name}`).catch(() => undefined);
    await run(session, 'RESET plan_cache_mode').catch(() => undefined);
  }
}

function safeTypeName(type: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_ .]*(\(\d+(,\s*\d+)?\))?(\[\])?$/.test(type.trim())) {
    throw new ExplainError(`"${type}" is not a type name Ledgerlint will send to the database.`, undefined, 'refused');
  }
  return type.trim();
}

async function explainAnalyze(session: ExplainSession, statement: CheckedStatement, writes: boolean, options: ExplainOptions) {
  const verbose = options.verbose ? ', VERBOSE' : '';
  await run(session, writes ? 'BEGIN' : 'BEGIN READ ONLY');
  try {
    // The session is read-only by default; only this transaction, which always rolls back, may write.
    if (writes) await run(session, 'SET TRANSACTION READ WRITE');
    return planJson(await run(session, `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON, SETTINGS${verbose}) ${statement.sql}\n`));
  } finally {
    await run(session, 'ROLLBACK').catch(() => undefined);
  }
}

/** Table sizes let an estimated plan say how much of a table a Seq Scan throws away. */
async function attachTableRows(session: ExplainSession, plan: Plan): Promise<void> {
  const names = [...new Set(plan.nodes.map((n) => n.relationName).filter((n): n is string => !!n))];
  if (!names.length) return;
  const result = await session.client.query(
    'SELECT relname, reltuples::float8 AS rows FROM pg_class WHERE relname = ANY($1::text[]) AND pg_table_is_visible(oid)',
    [names],
  );
  plan.tableRows = Object.fromEntries(result.rows.filter((r) => r.rows >= 0).map((r) => [r.relname as string, Number(r.rows)]));
}

/**
 * The indexes of the plan's tables, so a finding never suggests one that is already there (and can say
 * when the one that is there is invalid). Key columns only: INCLUDE columns cannot serve a lookup.
 */
async function attachIndexes(session: ExplainSession, plan: Plan): Promise<void> {
  const names = [...new Set(plan.nodes.map((n) => n.relationName).filter((n): n is string => !!n))];
  if (!names.length) return;
  const result = await session.client.query(`
    SELECT t.relname AS table_name, i.relname AS index_name, am.amname AS method, x.indisunique AS is_unique,
           x.indisvalid AS is_valid, pg_get_expr(x.indpred, x.indrelid) AS predicate,
           ARRAY(SELECT pg_get_indexdef(x.indexrelid, k + 1, true)
                        || CASE WHEN x.indoption[k] & 1 = 1 THEN ' DESC' ELSE '' END
                 FROM generate_series(0, x.indnkeyatts - 1) AS k ORDER BY k) AS columns
    FROM pg_index x
    JOIN pg_class i ON i.oid = x.indexrelid
    JOIN pg_class t ON t.oid = x.indrelid
    JOIN pg_am am ON am.oid = i.relam
    WHERE t.relname = ANY($1::text[]) AND pg_table_is_visible(t.oid)
    ORDER BY t.relname, i.relname`, [names]);
  plan.existingIndexes = result.rows.map((r) => ({
    table: String(r.table_name),
    name: String(r.index_name),
    columns: (r.columns as string[]) ?? [],
    predicate: (r.predicate as string | null) ?? undefined,
    method: String(r.method),
    unique: r.is_unique === true,
    valid: r.is_valid === true,
    source: 'database' as const,
  }));
}
