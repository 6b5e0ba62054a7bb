// Row-lock facts about single statements, for the transaction-aware concurrency rules.
import type { Span } from '../../engine/types';
import type { Statement } from '../../sql/document';
import type { SqlStatement } from '../../sql/statement';
import { columnRefName, funcName, relName } from './ast';

export type LockStrength = 'update' | 'no key update' | 'share' | 'key share';

const STRENGTH: Record<string, LockStrength> = {
  LCS_FORUPDATE: 'update',
  LCS_FORNOKEYUPDATE: 'no key update',
  LCS_FORSHARE: 'share',
  LCS_FORKEYSHARE: 'key share',
};

export interface RowLock {
  strength: LockStrength;
  /** SKIP LOCKED / NOWAIT never wait, so they cannot take part in a deadlock. */
  waits: boolean;
  /** Locked tables: the `OF` list, or every table of the FROM clause. */
  tables: string[];
}

/** Tables named in a FROM clause, through joins (not subqueries). */
export function fromTables(from: any[] | undefined): string[] {
  const out: string[] = [];
  const visit = (n: any, depth: number) => {
    if (!n || depth > 50) return;
    if (n.RangeVar) out.push(relName(n.RangeVar));
    else if (n.JoinExpr) {
      visit(n.JoinExpr.larg, depth + 1);
      visit(n.JoinExpr.rarg, depth + 1);
    }
  };
  for (const n of from ?? []) visit(n, 0);
  return out;
}

/** The row lock a SELECT takes (the strongest of its locking clauses), if any. */
export function rowLock(ast: any): RowLock | undefined {
  const select = ast?.SelectStmt;
  const clauses: any[] = select?.lockingClause ?? [];
  let best: RowLock | undefined;
  const order: LockStrength[] = ['key share', 'share', 'no key update', 'update'];
  for (const c of clauses) {
    const lc = c?.LockingClause;
    const strength = STRENGTH[lc?.strength];
    if (!strength) continue;
    const of = (lc.lockedRels ?? []).map((r: any) => relName(r?.RangeVar)).filter(Boolean);
    const lock: RowLock = { strength, waits: (lc.waitPolicy ?? 'LockWaitBlock') === 'LockWaitBlock', tables: of.length ? of : fromTables(select.fromClause) };
    if (!best || order.indexOf(strength) > order.indexOf(best.strength)) best = lock;
  }
  return best;
}

export function isWriteLock(lock: RowLock | undefined): boolean {
  return lock?.strength === 'update' || lock?.strength === 'no key update';
}

const ADVISORY = new Set(['pg_advisory_xact_lock', 'pg_try_advisory_xact_lock', 'pg_advisory_lock', 'pg_try_advisory_lock']);

/** The statement takes an advisory lock (serializing its callers) or a LOCK TABLE. */
export function takesExplicitLock(stmt: Statement): boolean {
  const ast = stmt.ast as any;
  if (!ast) return false;
  if (ast.LockStmt) return true;
  return (stmt.nodes().get('FuncCall') ?? []).some((ref) => ADVISORY.has(funcName(ref.node)));
}

/** Tables LOCK TABLE names. */
export function lockedTables(ast: any): string[] {
  return (ast?.LockStmt?.relations ?? []).map((r: any) => relName(r?.RangeVar)).filter(Boolean);
}

/** `FOR UPDATE` / `FOR NO KEY UPDATE` / `FOR SHARE` words of the statement's last locking clause. */
export function lockClauseSpan(stmt: SqlStatement): Span | undefined {
  const tokens = stmt.tokens();
  const word = (i: number) => tokens[i]?.text.toLowerCase();
  let found: Span | undefined;
  for (let i = 0; i < tokens.length; i++) {
    if (word(i) !== 'for') continue;
    for (const run of [['update'], ['no', 'key', 'update'], ['share'], ['key', 'share']]) {
      if (run.every((w, k) => word(i + 1 + k) === w)) {
        found = { start: tokens[i].start, end: tokens[i + run.length].end };
        break;
      }
    }
  }
  return found;
}

/** Top-level AND-ed conditions of a WHERE clause. */
export function conjuncts(where: any): any[] {
  if (!where) return [];
  const b = where.BoolExpr;
  if (b?.boolop === 'AND_EXPR') return (b.args ?? []).flatMap(conjuncts);
  return [where];
}

/**
 * `col = <value>` conditions of a WHERE clause: column name (lower-cased) and the value node. Inside
 * PL/pgSQL a variable (`p_id`, `r.id`) parses as a column reference, so `inBody` accepts one as the value.
 */
export function keyEqualities(where: any, inBody = false): Array<{ column: string; value: any; node: any }> {
  const out: Array<{ column: string; value: any; node: any }> = [];
  for (const c of conjuncts(where)) {
    const e = c?.A_Expr;
    if (e?.kind !== 'AEXPR_OP' || e.name?.[0]?.String?.sval !== '=') continue;
    const l = columnRefName(e.lexpr);
    const r = columnRefName(e.rexpr);
    if (l && e.lexpr?.ColumnRef && (inBody || !e.rexpr?.ColumnRef)) out.push({ column: l.toLowerCase(), value: e.rexpr, node: c });
    else if (r && e.rexpr?.ColumnRef && !e.lexpr?.ColumnRef) out.push({ column: r.toLowerCase(), value: e.lexpr, node: c });
  }
  return out;
}
