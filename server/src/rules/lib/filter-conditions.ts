// The conditions of a WHERE clause that a partial index can carry as its predicate (`status =
// 'pending'`, `deleted_at IS NULL`, boolean flags), normalised so a query's conditions can be
// compared with an index's predicate as written in another migration.
import { parseText } from '../../sql/parser';
import { wordsOf } from '../../engine/vocabulary';
import { conjuncts } from './query-scope';

export interface Condition {
  /** The ColumnRef node of the filtered column. */
  columnRef: any;
  column: string;
  /** Comparable form: `status='pending'`, `deleted_at is null`, `flagged`, `not flagged`. */
  key: string;
  /** The predicate as it goes into CREATE INDEX ... WHERE, unqualified. */
  sql: string;
  /** A word for the index name. */
  namePart: string;
  kind: 'equals' | 'null' | 'flag';
}

function columnOf(node: any): { ref: any; name: string } | undefined {
  const fields: any[] = node?.ColumnRef?.fields ?? [];
  const name = fields[fields.length - 1]?.String?.sval;
  return typeof name === 'string' ? { ref: node.ColumnRef, name } : undefined;
}

function stringValue(node: any): string | undefined {
  const c = node?.A_Const ?? node?.TypeCast?.arg?.A_Const;
  return typeof c?.sval?.sval === 'string' ? c.sval.sval : undefined;
}

function quoteIdentifier(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '') || 'value';
}

/** A condition a partial-index predicate can hold, or undefined. */
export function conditionOf(expr: any): Condition | undefined {
  const a = expr?.A_Expr;
  if (a?.kind === 'AEXPR_OP' && a.name?.length === 1 && a.name[0]?.String?.sval === '=') {
    const [colSide, other] = columnOf(a.lexpr) ? [a.lexpr, a.rexpr] : [a.rexpr, a.lexpr];
    const col = columnOf(colSide);
    if (!col) return undefined;
    const q = quoteIdentifier(col.name);
    const bool = other?.A_Const?.boolval;
    if (bool) {
      const value = !!bool.boolval;
      return flag(col, value);
    }
    const value = stringValue(other);
    if (value === undefined) return undefined;
    return { columnRef: col.ref, column: col.name, key: `${col.name}=${value}`, sql: `${q} = '${value.replace(/'/g, "''")}'`, namePart: slug(value), kind: 'equals' };
  }
  const nt = expr?.NullTest;
  if (nt?.nulltesttype === 'IS_NULL') {
    const col = columnOf(nt.arg);
    if (!col) return undefined;
    return { columnRef: col.ref, column: col.name, key: `${col.name} is null`, sql: `${quoteIdentifier(col.name)} IS NULL`, namePart: `${col.name}_null`, kind: 'null' };
  }
  const bare = columnOf(expr);
  if (bare) return flag(bare, true);
  const not = expr?.BoolExpr;
  if (not?.boolop === 'NOT_EXPR' && not.args?.length === 1) {
    const col = columnOf(not.args[0]);
    if (col) return flag(col, false);
  }
  return undefined;
}

function flag(col: { ref: any; name: string }, value: boolean): Condition {
  const q = quoteIdentifier(col.name);
  return { columnRef: col.ref, column: col.name, key: value ? col.name : `not ${col.name}`, sql: value ? q : `NOT ${q}`, namePart: value ? col.name : `not_${col.name}`, kind: 'flag' };
}

const STATUS_WORDS = new Set(['status', 'state', 'stage', 'phase', 'kind', 'type']);
const TIME_TYPES = new Set(['timestamptz', 'timestamp', 'date']);

/**
 * Whether the condition picks a few rows out of many by a column with few distinct values: a
 * boolean flag, a status-like name compared with a constant, or a nullable timestamp tested for
 * NULL (`deleted_at`, `settled_at`). `typeName` comes from the workspace model when it knows it.
 */
export function isLowCardinality(c: Condition, typeName: string | undefined): boolean {
  if (c.kind === 'flag') return true;
  const words = wordsOf(c.column);
  const last = words[words.length - 1];
  if (c.kind === 'null') return typeName ? TIME_TYPES.has(typeName) : last === 'at' || last === 'on';
  return typeName === 'bool' || STATUS_WORDS.has(last);
}

const predicateCache = new Map<string, Set<string> | null>();

/** The comparable keys of a partial-index predicate as written, or null when one of its parts is not understood. */
export function predicateKeys(where: string): Set<string> | null {
  let keys = predicateCache.get(where);
  if (keys !== undefined) return keys;
  const parsed = parseText(`SELECT 1 WHERE ${where}`);
  const clause = (parsed.ast as any)?.SelectStmt?.whereClause;
  keys = null;
  if (clause) {
    const conds = conjuncts(clause).map(conditionOf);
    keys = conds.every((c) => c) ? new Set(conds.map((c) => c!.key)) : null;
  }
  if (predicateCache.size > 5000) predicateCache.clear();
  predicateCache.set(where, keys);
  return keys;
}
