/**
 * The index a plan finding calls for: equality columns first, then one range column, then the sort
 * keys the plan sorts by; partial (`WHERE status = 'pending'`) when a condition compares a
 * low-cardinality column with a constant, which keeps the index small and lets the key columns serve
 * the rest of the query. Expression texts come from EXPLAIN and are read with PostgreSQL's parser.
 */
import { parseSync } from 'libpg-query';
import { filterColumns, indexName, sortColumns } from '../insights/index-fix';
import type { Plan, PlanNode } from '../plan-model';
import { extendedQuery, type ExplainSession } from '../session';

export interface ProposedIndex {
  table: string;
  columns: string[];
  /** Partial index predicate, e.g. `status = 'pending'`. */
  where?: string;
  sql: string;
}

/** A condition `column <op> constant` that could become a partial index predicate. */
export interface ConstantCondition {
  column: string;
  predicate: string;
  /** IS NULL / boolean flags are partial-worthy without statistics. */
  always: boolean;
}

/** `n_distinct` from pg_stats per column (positive: count; negative: fraction of rows). */
export type DistinctLookup = (table: string, column: string) => number | undefined;

/** At most this many distinct values make a column "low cardinality" (statuses, types, flags). */
export const LOW_CARDINALITY = 20;

type Node = Record<string, any>;

function columnOf(node: Node | undefined): string | undefined {
  let cur = node;
  while (cur?.TypeCast) cur = cur.TypeCast.arg;
  const fields = cur?.ColumnRef?.fields as Node[] | undefined;
  const last = fields?.[fields.length - 1]?.String?.sval;
  return typeof last === 'string' ? last : undefined;
}

function constantText(node: Node | undefined): string | undefined {
  let cur = node;
  // EXPLAIN prints `'pending'::text`; the cast adds nothing to a predicate on the column itself.
  while (cur?.TypeCast) cur = cur.TypeCast.arg;
  const c = cur?.A_Const;
  if (!c) return undefined;
  if (c.sval) return `'${String(c.sval.sval ?? '').replace(/'/g, "''")}'`;
  if (c.ival) return String(c.ival.ival ?? 0);
  if (c.fval) return String(c.fval.fval);
  if (c.boolval) return c.boolval.boolval ? 'true' : 'false';
  return undefined;
}

const quote = (name: string) => (/^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`);

/** The AND-ed conditions of a filter that compare a column with a constant. */
export function constantConditions(expression: string | undefined): ConstantCondition[] {
  if (!expression) return [];
  let where: Node | undefined;
  try {
    where = (parseSync(`SELECT 1 WHERE ${expression}`) as Node).stmts?.[0]?.stmt?.SelectStmt?.whereClause;
  } catch {
    return [];
  }
  if (!where) return [];
  const conjuncts: Node[] = where.BoolExpr?.boolop === 'AND_EXPR' ? where.BoolExpr.args : [where];
  const out: ConstantCondition[] = [];
  for (const c of conjuncts) {
    if (c.A_Expr?.kind === 'AEXPR_OP' && c.A_Expr.name?.[0]?.String?.sval === '=') {
      const column = columnOf(c.A_Expr.lexpr) ?? columnOf(c.A_Expr.rexpr);
      const value = constantText(c.A_Expr.rexpr) ?? constantText(c.A_Expr.lexpr);
      if (column && value) out.push({ column, predicate: `${quote(column)} = ${value}`, always: value === 'true' || value === 'false' });
    } else if (c.NullTest) {
      const column = columnOf(c.NullTest.arg);
      if (column) out.push({ column, predicate: `${quote(column)} ${c.NullTest.nulltesttype === 'IS_NOT_NULL' ? 'IS NOT NULL' : 'IS NULL'}`, always: true });
    } else if (c.ColumnRef) {
      const column = columnOf(c);
      if (column) out.push({ column, predicate: quote(column), always: true });
    } else if (c.BoolExpr?.boolop === 'NOT_EXPR' && c.BoolExpr.args?.length === 1 && c.BoolExpr.args[0].ColumnRef) {
      const column = columnOf(c.BoolExpr.args[0]);
      if (column) out.push({ column, predicate: `NOT ${quote(column)}`, always: true });
    }
  }
  return out;
}

/** The keys of a Sort directly above the scan (through Gather Merge / Limit-free chains). */
function sortKeysAbove(plan: Plan, node: PlanNode): string[] {
  for (let id = node.parentId; id !== undefined; id = plan.nodes[id].parentId) {
    const above = plan.nodes[id];
    if (above.nodeType === 'Sort' || above.nodeType === 'Incremental Sort') return sortColumns(above.raw['Sort Key']);
    if (above.nodeType !== 'Gather Merge' && above.nodeType !== 'Gather') return [];
  }
  return [];
}

const bare = (c: string) => c.replace(/\s.*$/, '').replace(/"/g, '');

/**
 * The index for a scan node (a Seq Scan discarding rows, an index scan still filtering), or
 * undefined when none fits (an OR, no plain column).
 */
export function proposeIndex(plan: Plan, node: PlanNode, distinct: DistinctLookup = () => undefined): ProposedIndex | undefined {
  const table = node.relationName;
  if (!table) return undefined;
  const filter = node.raw.Filter as string | undefined;
  const cond = (node.raw['Index Cond'] as string | undefined) ?? (node.raw['Recheck Cond'] as string | undefined);
  const parts = [cond, filter].filter((x): x is string => !!x).map(filterColumns);
  if (!parts.length || parts.some((p) => p.hasOr)) return undefined;
  const equality = [...new Set(parts.flatMap((p) => p.equality))];
  const range = [...new Set(parts.flatMap((p) => p.range))].filter((c) => !equality.includes(c));
  const lowCard = (c: ConstantCondition) => {
    if (c.always) return true;
    const n = distinct(table, c.column);
    return n !== undefined && n > 0 && n <= LOW_CARDINALITY;
  };
  const partial = [cond, filter].flatMap(constantConditions).find(lowCard);
  const keys = [...equality.filter((c) => c !== partial?.column), ...range.slice(0, 1), ...sortKeysAbove(plan, node)];
  const columns = keys.filter((c, i) => keys.findIndex((d) => bare(d) === bare(c)) === i);
  if (!columns.length && partial) columns.push(partial.column);
  if (!columns.length) return undefined;
  const slug = partial ? partial.predicate.replace(/'/g, '').replace(/\bIS NOT NULL\b/i, 'not_null').replace(/\bIS NULL\b/i, 'null').replace(/\W+/g, '_').replace(/^_|_$/g, '') : '';
  const name = indexName(table, slug && !columns.some((c) => bare(c) === slug) ? [...columns, slug] : columns);
  const sql = `CREATE INDEX CONCURRENTLY ${name} ON ${quote(table)} (${columns.join(', ')})${partial ? ` WHERE ${partial.predicate}` : ''};`;
  return { table, columns, where: partial?.predicate, sql };
}

/** `n_distinct` of the given tables' columns, for `proposeIndex`. */
export async function distinctLookup(session: ExplainSession, tables: string[]): Promise<DistinctLookup> {
  if (!tables.length) return () => undefined;
  const result = await session.client.query({
    ...extendedQuery('SELECT tablename, attname, n_distinct::float8 AS n FROM pg_stats WHERE tablename = ANY($1::text[])'),
    values: [tables],
  });
  const map = new Map(result.rows.map((r) => [`${r.tablename}.${r.attname}`, Number(r.n)]));
  return (table, column) => map.get(`${table}.${column}`);
}
