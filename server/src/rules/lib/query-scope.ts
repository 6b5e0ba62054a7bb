// What a query reads: the tables in its FROM (with aliases and their workspace models), which
// table a column reference belongs to, the AND-ed conditions of its WHERE, the column order `*`
// stands for, and whether the statement is application code (worth indexing for) rather than a
// one-off migration backfill.
import type { FileInfo } from '../../engine/rule';
import type { ColumnModel, SchemaModel, TableModel } from '../../model/schema';
import { rangeVarKey } from '../../model/schema-builder';
import type { Statement } from '../../sql/document';
import type { NodeRef } from '../../sql/node-index';

export interface RangeRef {
  /** Schema key (`payments`, `billing.invoices`). */
  key: string;
  /** Table name as written, unqualified. */
  name: string;
  alias?: string;
  table?: TableModel;
}

export interface ResolvedColumn {
  range: RangeRef;
  column: string;
  model?: ColumnModel;
}

const QUERY_TYPES = ['SelectStmt', 'UpdateStmt', 'DeleteStmt'];

/** The nearest SELECT / UPDATE / DELETE enclosing `ref` (the ref itself when it is one). */
export function enclosingQuery(ref: NodeRef | undefined): NodeRef | undefined {
  for (let p = ref; p; p = p.parent) if (QUERY_TYPES.includes(p.type)) return p;
  return undefined;
}

function collect(items: any[] | undefined, schema: SchemaModel, out: RangeRef[]): void {
  for (const item of items ?? []) {
    const rv = item?.RangeVar;
    if (rv?.relname) {
      const key = rangeVarKey(rv);
      out.push({ key, name: String(rv.relname), alias: rv.alias?.aliasname, table: schema.table(key) });
    }
    const join = item?.JoinExpr;
    if (join) collect([join.larg, join.rarg], schema, out);
  }
}

/** The tables a query reads or writes directly (FROM, JOINs, UPDATE/DELETE target, USING). */
export function rangesOf(query: any, schema: SchemaModel): RangeRef[] {
  const out: RangeRef[] = [];
  if (query?.relation) collect([{ RangeVar: query.relation }], schema, out);
  collect(query?.fromClause, schema, out);
  collect(query?.usingClause, schema, out);
  return out;
}

function fieldNames(columnRef: any): string[] {
  const fields: any[] = columnRef?.fields ?? [];
  return fields.map((f) => (f?.String ? String(f.String.sval) : f?.A_Star ? '*' : ''));
}

/** The table of a ColumnRef among `ranges`: by qualifier, or the only table that has the column. */
export function resolveIn(columnRef: any, ranges: readonly RangeRef[]): ResolvedColumn | undefined {
  const names = fieldNames(columnRef);
  const column = names[names.length - 1];
  if (!column || column === '*') return undefined;
  const qualifier = names.length >= 2 ? names[names.length - 2] : undefined;
  let candidates = qualifier ? ranges.filter((r) => (r.alias ?? r.name) === qualifier) : [...ranges];
  if (!qualifier && candidates.length > 1) candidates = candidates.filter((r) => r.table?.columns.has(column));
  if (candidates.length !== 1) return undefined;
  const range = candidates[0];
  return { range, column, model: range.table?.columns.get(column) };
}

/** Resolves a column used anywhere under `ref`, trying the enclosing query, then outer ones (correlated subqueries). */
export function resolveColumn(ref: NodeRef, columnRef: any, schema: SchemaModel): ResolvedColumn | undefined {
  for (let q = enclosingQuery(ref); q; q = enclosingQuery(q.parent)) {
    const found = resolveIn(columnRef, rangesOf(q.node, schema));
    if (found) return found;
  }
  return undefined;
}

/** The AND-ed parts of a condition (`a AND (b AND c)` -> a, b, c). */
export function conjuncts(expr: any, out: any[] = [], depth = 0): any[] {
  if (!expr || depth > 200) return out;
  const b = expr.BoolExpr;
  if (b?.boolop === 'AND_EXPR') for (const a of b.args ?? []) conjuncts(a, out, depth + 1);
  else out.push(expr);
  return out;
}

/**
 * Whether the statement runs as application code: anything outside migrations, views and
 * routine bodies anywhere, and top-level SELECTs. UPDATE/DELETE at the top of a migration are
 * one-off backfills that an index would not pay for.
 */
export function isApplicationQuery(stmt: Statement, fileInfo: FileInfo): boolean {
  if (stmt.container || !fileInfo.migration) return true;
  const ast = stmt.ast as any;
  return !!(ast?.SelectStmt || ast?.ViewStmt || ast?.CreateTableAsStmt?.objtype === 'OBJECT_MATVIEW');
}

/** Every statement of the file, then the SQL inside its routine bodies. */
export function allStatements(file: { statements: readonly Statement[]; embedded: readonly Statement[] }): Statement[] {
  return [...file.statements, ...file.embedded].filter((s) => !!s.ast);
}

/**
 * The table's columns in their physical order (the order `*` and a positional INSERT use), or
 * undefined when the model cannot vouch for it: a table it only saw altered, copied columns
 * (LIKE, INHERITS, PARTITION OF, CREATE TABLE AS) or columns added by files of unknown order.
 */
export function physicalColumns(table: TableModel | undefined): string[] | undefined {
  const created = table?.created;
  if (!table || !created || table.partitionOf || table.columns.size === 0) return undefined;
  const cols = [...table.columns.values()];
  for (const c of cols) {
    const s = c.source;
    if (c.type.name === 'unknown') return undefined;
    const inCreate = s.file === created.file && s.span.start >= created.span.start;
    if (!inCreate && !(s.order > created.order)) return undefined;
  }
  // Columns added by two different files of the same order cannot be ordered.
  const orderOfFile = new Map<string, number>();
  for (const c of cols) orderOfFile.set(c.source.file, c.source.order);
  const orders = [...orderOfFile.values()];
  if (new Set(orders).size !== orders.length) return undefined;
  cols.sort((a, b) => (a.source.order === b.source.order ? a.source.span.start - b.source.span.start : a.source.order - b.source.order));
  return cols.map((c) => c.name);
}
