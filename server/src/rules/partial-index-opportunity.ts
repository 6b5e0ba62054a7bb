import { defineRule, type FileContext } from '../engine/rule';
import type { Span } from '../engine/types';
import { financialWord } from '../engine/vocabulary';
import type { SchemaModel, TableModel } from '../model/schema';
import type { Statement } from '../sql/document';
import { tokenIndexAt } from '../sql/tokens';
import { nodeSpan } from './lib/ast';
import { conditionOf, isLowCardinality, predicateKeys, type Condition } from './lib/filter-conditions';
import { queryIndexFix } from './lib/query-index-fix';
import { allStatements, conjuncts, isApplicationQuery, rangesOf, resolveIn, type RangeRef } from './lib/query-scope';
import { qualifiedName, quoteIdent, workspaceSchema } from './lib/schema-workspace';
import { memoBySchemaReads } from './lib/schema-reads';
import { memoOnStatement, unmoved } from './lib/statement-memo';

const QUERY_TYPES = ['SelectStmt', 'UpdateStmt', 'DeleteStmt'];
const EQUALITY_KINDS = new Set(['AEXPR_IN', 'AEXPR_OP_ANY']);
const RANGE_OPS = new Set(['<', '<=', '>', '>=']);

interface Filter {
  range: RangeRef;
  column: string;
  equality: boolean;
}

/** `col = $1`, `col IN (...)`, `col = ANY($1)` (equality) or `col > $1`, `col BETWEEN ...` (range) on a plain column. */
function filterOf(expr: any, ranges: RangeRef[]): Filter | undefined {
  const a = expr?.A_Expr;
  if (!a?.lexpr?.ColumnRef) return undefined;
  const op = a.name?.length === 1 ? a.name[0]?.String?.sval : undefined;
  const equality = (a.kind === 'AEXPR_OP' && op === '=') || EQUALITY_KINDS.has(a.kind);
  const range = (a.kind === 'AEXPR_OP' && RANGE_OPS.has(op)) || a.kind === 'AEXPR_BETWEEN';
  if (!equality && !range) return undefined;
  const col = resolveIn(a.lexpr.ColumnRef, ranges);
  return col ? { range: col.range, column: col.column, equality } : undefined;
}

/** Tables of the partitioned parent chain: an index on the parent exists on every partition. */
function withParents(schema: SchemaModel, table: TableModel): TableModel[] {
  const out: TableModel[] = [];
  for (let t: TableModel | undefined = table; t && out.length < 8; t = t.partitionOf ? schema.table(t.partitionOf) : undefined) out.push(t);
  return out;
}

/**
 * Whether an index of the workspace already serves the query on these conditions: one whose
 * predicate the query repeats and that targets them (predicate includes one, or leading key is
 * one of their columns), or a primary key / unique key the query pins with equality (one row).
 */
function served(schema: SchemaModel, table: TableModel | undefined, lowCard: Condition[], allKeys: Set<string>, equalityColumns: Set<string>): boolean {
  if (!table) return false;
  const lowKeys = new Set(lowCard.map((c) => c.key));
  const lowCols = new Set(lowCard.map((c) => c.column));
  for (const t of withParents(schema, table)) {
    const keys = [t.primaryKey?.columns, ...t.uniques.filter((u) => !u.where).map((u) => u.columns)];
    if (keys.some((k) => k && k.length > 0 && k.every((c) => equalityColumns.has(c)))) return true;
    for (const index of t.indexes) {
      const pred = index.where ? predicateKeys(index.where) : new Set<string>();
      if (!pred || ![...pred].every((k) => allKeys.has(k))) continue;
      if ([...pred].some((k) => lowKeys.has(k)) || lowCols.has(index.columns[0])) return true;
    }
  }
  return false;
}

/** A NullTest's span ends at its IS; stretch it over NULL. */
function conditionSpan(stmt: Statement, node: any): Span {
  const span = nodeSpan(stmt, node);
  if (!node?.NullTest) return span;
  const tokens = stmt.tokens();
  const i = tokenIndexAt(tokens, span.end);
  const nul = tokens[i]?.keyword === 'null' ? tokens[i] : undefined;
  return nul ? { start: span.start, end: nul.end } : span;
}

export default defineRule({
  meta: {
    id: 'partial-index-opportunity',
    category: 'indexing',
    severity: 'info',
    description: "A query filters a financial table on a constant of a low-cardinality column (status = 'pending', deleted_at IS NULL, a boolean flag) and no index in the workspace serves it.",
    rationale:
      "Queues and dashboards ask for the few rows still in a state: pending payouts to send, unsettled transfers to reconcile, invoices not soft-deleted. The column has a handful of values, so a plain index on it is rarely chosen, and without an index every run reads the whole table, which grows with every payment ever made while the matching rows stay few: the job that ran in milliseconds at launch takes seconds a year later and holds its snapshot (and any row locks it takes) all that time. A partial index, `CREATE INDEX ... ON payouts (created_at) WHERE status = 'pending'`, holds only the matching rows, stays small as history grows, and is what the query's constant selects. PostgreSQL uses a partial index only when the query repeats its predicate with the literal value: a parameter (`status = $1`) in a generic plan does not match. The key columns are the query's other filters, then its ORDER BY columns (the primary key when there are none). The fix adds the index right after the table's CREATE TABLE when this file created the table, otherwise with CREATE INDEX CONCURRENTLY in a new migration next to this one or, for a query file, in the workspace's migration folder; when the workspace has no migration folder there is no fix. Column names are a heuristic for cardinality (`status`, `state`, `*_type`, `*_at IS NULL`, booleans).",
    messages: {
      unserved:
        "{{table}} is filtered on {{condition}} and no index in the workspace serves it: {{columns}} looks like a column with few distinct values, so without a partial index each run reads every row of {{table}}, slower with every row stored while the matching rows stay few. Add a partial index holding only those rows: CREATE INDEX CONCURRENTLY ... ON {{table}} ({{keys}}) WHERE {{condition}}.",
    },
    fix: 'quickfix',
    languages: ['sql'],
    examples: {
      incorrect: [
        {
          code: "CREATE TABLE payouts (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  status text NOT NULL,\n  created_at timestamptz NOT NULL DEFAULT now()\n);\n\nSELECT id FROM payouts WHERE status = 'pending' ORDER BY created_at LIMIT 100;",
        },
      ],
      correct: [
        {
          code: "CREATE TABLE payouts (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  status text NOT NULL,\n  created_at timestamptz NOT NULL DEFAULT now()\n);\nCREATE INDEX payouts_created_at_pending_idx ON payouts (created_at) WHERE status = 'pending';\n\nSELECT id FROM payouts WHERE status = 'pending' ORDER BY created_at LIMIT 100;",
        },
      ],
    },
  },
  scope: 'file',
  stateless: true,
  // Queries with an unserved filter (kept per statement text); a query without one reports nothing.
  concerns: (stmt, context) => unservedOf(stmt, context).length > 0,
  create(context) {
    return {
      endFile() {
        const schema = workspaceSchema(context);
        const fixed = new Set<string>();
        // The fix (one per index) is chosen here, in file order.
        for (const stmt of allStatements(context.file)) for (const c of unservedOf(stmt, context)) reportRange(context, schema, c, fixed);
      },
    };
  },
});

/** A query's filter on low-cardinality constants that no index serves. */
interface Unserved {
  query: any;
  ranges: RangeRef[];
  range: RangeRef;
  low: Condition[];
  filters: Filter[];
  span: Span;
}

/**
 * What a query would report depends on its text, the schema and the vocabulary only: kept per
 * statement text, so a keystroke re-checks one query. A DDL edit keeps it for queries whose tables
 * kept their shape (schema-reads.ts).
 */
function unservedOf(stmt: Statement, context: FileContext): readonly Unserved[] {
  // Most statements hold no query filtering on a constant: they need no look at the schema, and
  // after a DDL edit looking up the tables of each query again was most of this rule's ~16 ms at 10k statements.
  if (!stmt.ast || !isApplicationQuery(stmt, context.fileInfo) || !memoOnStatement(stmt, 'partial-index-opportunity:conditions', hasCondition, unmoved)) return NONE;
  const schema = workspaceSchema(context);
  return memoBySchemaReads(stmt, 'partial-index-opportunity', schema, [context.vocabulary], (s) => unservedIn(s, schema, context.vocabulary), shiftUnserved);
}

const NONE: readonly Unserved[] = [];

/** Whether a query of the statement has a condition a partial index could hold: what checkQuery needs before reading the schema. */
function hasCondition(stmt: Statement): boolean {
  const index = stmt.nodes();
  for (const type of QUERY_TYPES) {
    for (const ref of index.get(type) ?? []) {
      const where = (ref.node as any)?.whereClause;
      if (where && conjuncts(where).some((node) => conditionOf(node) !== undefined)) return true;
    }
  }
  return false;
}

function shiftUnserved(list: readonly Unserved[], delta: number): Unserved[] {
  return list.map((u) => ({ ...u, span: { start: u.span.start + delta, end: u.span.end + delta } }));
}

function unservedIn(stmt: Statement, schema: SchemaModel, vocabulary: FileContext['vocabulary']): Unserved[] {
  const out: Unserved[] = [];
  const index = stmt.nodes();
  for (const type of QUERY_TYPES) {
    for (const ref of index.get(type) ?? []) checkQuery(vocabulary, schema, stmt, ref.node, out);
  }
  return out;
}

function checkQuery(vocabulary: FileContext['vocabulary'], schema: SchemaModel, stmt: Statement, query: any, out: Unserved[]): void {
  if (!query?.whereClause) return;
  const ranges = rangesOf(query, schema);
  if (ranges.length === 0) return;
  const perRange = new Map<RangeRef, { low: Array<{ cond: Condition; node: any }>; keys: Set<string>; filters: Filter[] }>();
  const entry = (r: RangeRef) => {
    let e = perRange.get(r);
    if (!e) perRange.set(r, (e = { low: [], keys: new Set(), filters: [] }));
    return e;
  };
  for (const node of conjuncts(query.whereClause)) {
    const cond = conditionOf(node);
    const col = cond ? resolveIn(cond.columnRef, ranges) : undefined;
    if (cond && col) {
      const e = entry(col.range);
      e.keys.add(cond.key);
      if (financialWord(col.range.name, vocabulary) && isLowCardinality(cond, col.model?.type.array ? undefined : col.model?.type.name)) e.low.push({ cond, node });
      continue;
    }
    const f = filterOf(node, ranges);
    if (f) entry(f.range).filters.push(f);
  }
  for (const [range, e] of perRange) {
    if (e.low.length === 0) continue;
    const equalityColumns = new Set(e.filters.filter((f) => f.equality).map((f) => f.column));
    if (served(schema, range.table, e.low.map((l) => l.cond), e.keys, equalityColumns)) continue;
    out.push({ query, ranges, range, low: e.low.map((l) => l.cond), filters: e.filters, span: conditionSpan(stmt, e.low[0].node) });
  }
}

/** Index keys: the other filters (equality first), then the ORDER BY columns, else the primary key. */
function indexKeys(query: any, range: RangeRef, ranges: RangeRef[], low: Condition[], filters: Filter[]): string[] {
  const lowCols = new Set(low.map((c) => c.column));
  const table = range.table;
  const known = (c: string) => !table || table.columns.size === 0 || table.columns.has(c);
  const out: string[] = [];
  const add = (c: string) => !lowCols.has(c) && known(c) && !out.includes(c) && out.push(c);
  for (const f of filters.filter((x) => x.equality)) add(f.column);
  for (const f of filters.filter((x) => !x.equality)) add(f.column);
  for (const s of query.sortClause ?? []) {
    const ref = s?.SortBy?.node?.ColumnRef;
    const col = ref ? resolveIn(ref, ranges) : undefined;
    if (col?.range === range) add(col.column);
  }
  if (out.length === 0) for (const c of table?.primaryKey?.columns ?? []) add(c);
  if (out.length === 0) out.push(low[0].column);
  return out;
}

function reportRange(context: FileContext, schema: SchemaModel, { query, ranges, range, low: conds, filters, span }: Unserved, fixed: Set<string>): void {
  const keys = indexKeys(query, range, ranges, conds, filters);
  const condition = conds.map((c) => c.sql).join(' AND ');
  // The kept range may come from an earlier schema of the same shape: its spans are the current schema's.
  const table = range.table && schema.table(range.key);
  const tableName = table ? qualifiedName(table) : quoteIdent(range.name);
  const keyList = keys.map(quoteIdent).join(', ');
  let fixes;
  const id = `${range.key}(${keyList}) WHERE ${condition}`;
  if (table && !fixed.has(id)) {
    fixed.add(id);
    fixes = queryIndexFix(context, schema, table, {
      nameParts: [...keys, ...conds.map((c) => c.namePart)],
      using: '',
      keys: keyList,
      where: condition,
      columns: [...keys, ...conds.map((c) => c.column)],
      slug: `index_${table.name}_${conds.map((c) => c.namePart).join('_')}`,
      title: `Create a partial index on ${table.name} (${keys.join(', ')}) WHERE ${condition}`,
      comment: [`Partial index for the queries on ${table.name} filtering on ${condition}.`, `CONCURRENTLY keeps writes to ${table.name} flowing while the index builds.`],
    }).fix;
  }
  context.report({
    messageId: 'unserved',
    span,
    data: { table: tableName, condition, columns: [...new Set(conds.map((c) => c.column))].join(', '), keys: keyList },
    fixes,
  });
}
