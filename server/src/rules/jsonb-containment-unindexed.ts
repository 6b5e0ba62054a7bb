import { defineRule, type FileContext } from '../engine/rule';
import type { Span } from '../engine/types';
import type { SchemaModel, TableModel } from '../model/schema';
import type { Statement } from '../sql/document';
import type { NodeRef } from '../sql/node-index';
import { nodeSpan } from './lib/ast';
import { queryIndexFix } from './lib/query-index-fix';
import { allStatements, isApplicationQuery, resolveColumn, type ResolvedColumn } from './lib/query-scope';
import { qualifiedName, quoteIdent, workspaceSchema } from './lib/schema-workspace';
import { memoBySchemaReads } from './lib/schema-reads';
import { memoOnStatement, unmoved } from './lib/statement-memo';

const OPERATORS = new Set(['@>', '?', '?|', '?&']);

function opName(node: any): string | undefined {
  const names: any[] = node?.name ?? [];
  return names.length === 1 ? names[0]?.String?.sval : undefined;
}

function isJsonbCast(node: any): boolean {
  const names: any[] = node?.TypeCast?.typeName?.names ?? [];
  return names[names.length - 1]?.String?.sval === 'jsonb' && !node.TypeCast.typeName.arrayBounds;
}

/** jsonb by the workspace model; for a table the model does not know, `@> '...'::jsonb` still proves it. */
function isJsonb(col: ResolvedColumn, expr: any): boolean {
  if (col.model) return col.model.type.name === 'jsonb' && !col.model.type.array;
  return !col.range.table && isJsonbCast(expr.rexpr);
}

/** A GIN index with the column as a key, on the table or on its partitioned parent. */
function hasGin(schema: SchemaModel, table: TableModel | undefined, column: string): boolean {
  for (let t = table, depth = 0; t && depth < 8; t = t.partitionOf ? schema.table(t.partitionOf) : undefined, depth++) {
    if (t.indexes.some((i) => i.method === 'gin' && i.columns.includes(column))) return true;
  }
  return false;
}

interface Use {
  expr: any;
  op: string;
  col: ResolvedColumn;
  /** The operator expression in the file. */
  span: Span;
}

function shiftUses(uses: readonly Use[], delta: number): Use[] {
  return uses.map((u) => ({ ...u, span: { start: u.span.start + delta, end: u.span.end + delta } }));
}

/** The statement's unindexed jsonb filters: they depend on its text and the schema only, so they are kept per statement text. */
function unindexedUses(stmt: Statement, schema: SchemaModel): Use[] {
  const uses: Use[] = [];
  for (const ref of stmt.nodes().get('A_Expr') ?? []) {
    const use = jsonbUse(ref, stmt, schema);
    if (use && !hasGin(schema, use.col.range.table, use.col.column)) uses.push(use);
  }
  return uses;
}

/** Kept per statement while the tables it names keep their shape (schema-reads.ts). */
function usesOf(stmt: Statement, context: FileContext): readonly Use[] {
  // Without a jsonb operator on a column the statement reports nothing, whatever the schema: no
  // look at the tables it reads (after a DDL edit that was one per query of the file).
  if (!stmt.ast || !isApplicationQuery(stmt, context.fileInfo) || !memoOnStatement(stmt, 'jsonb-containment-unindexed:operators', hasOperatorOnColumn, unmoved)) return NONE;
  const schema = workspaceSchema(context);
  return memoBySchemaReads(stmt, 'jsonb-containment-unindexed', schema, [], (s) => unindexedUses(s, schema), shiftUses);
}

export default defineRule({
  meta: {
    id: 'jsonb-containment-unindexed',
    category: 'indexing',
    severity: 'info',
    description: 'A query filters a jsonb column with @>, ?, ?| or ?& and no GIN index on that column exists in the workspace.',
    rationale:
      'A B-tree cannot answer `metadata @> \'{"provider": "stripe"}\'` or `metadata ? \'refund_id\'`: without a GIN index on the column, every such query reads every row of the table and decodes each jsonb value, so a webhook lookup by provider reference gets slower with every payment stored and holds a snapshot open for the whole scan. A GIN index answers it from the index. `jsonb_path_ops` is smaller and faster for containment (`@>`, and the jsonpath operators) but cannot answer the key-existence operators `?`, `?|` and `?&`, which need the default `jsonb_ops`: the fix picks `jsonb_path_ops` only when every query of the file on that column uses `@>`. The index may live in any migration of the workspace; the fix adds one with CREATE INDEX CONCURRENTLY in a new migration (or a plain CREATE INDEX right after a table created in the same file), and none for a query file when the workspace has no migration folder. Operator classes are not recorded in the workspace model: any GIN index on the column counts.',
    messages: {
      unindexed:
        '{{table}}.{{column}} is filtered with {{op}} but no GIN index on {{column}} exists in the workspace: a B-tree cannot serve it, so every such query reads and decodes every row of {{table}}, slower with each row stored. Add CREATE INDEX CONCURRENTLY ... ON {{table}} USING gin ({{key}}).',
    },
    fix: 'quickfix',
    languages: ['sql'],
    examples: {
      incorrect: [
        {
          code: "CREATE TABLE payments (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  metadata jsonb NOT NULL DEFAULT '{}'\n);\n\nSELECT id FROM payments WHERE metadata @> '{\"provider\": \"stripe\"}';",
        },
      ],
      correct: [
        {
          code: "CREATE TABLE payments (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  metadata jsonb NOT NULL DEFAULT '{}'\n);\nCREATE INDEX payments_metadata_idx ON payments USING gin (metadata jsonb_path_ops);\n\nSELECT id FROM payments WHERE metadata @> '{\"provider\": \"stripe\"}';",
        },
      ],
    },
  },
  scope: 'file',
  stateless: true,
  // Queries with an unindexed jsonb filter (kept per statement text); the others report nothing.
  concerns: (stmt, context) => usesOf(stmt, context).length > 0,
  create(context) {
    return {
      endFile() {
        const uses: Use[] = [];
        for (const stmt of allStatements(context.file)) for (const use of usesOf(stmt, context)) uses.push(use);
        report(context, workspaceSchema(context), uses);
      },
    };
  },
});

const NONE: readonly Use[] = [];

/** `column @> ...`, `column ? ...`: the expressions jsonbUse looks at the schema for. */
function isOperatorOnColumn(expr: any): boolean {
  const op = opName(expr);
  return expr?.kind === 'AEXPR_OP' && !!op && OPERATORS.has(op) && !!expr.lexpr?.ColumnRef;
}

function hasOperatorOnColumn(stmt: Statement): boolean {
  return (stmt.nodes().get('A_Expr') ?? []).some((ref) => isOperatorOnColumn(ref.node));
}

function jsonbUse(ref: NodeRef, stmt: Statement, schema: SchemaModel): Use | undefined {
  const expr = ref.node;
  if (!isOperatorOnColumn(expr)) return undefined;
  const op = opName(expr)!;
  const col = resolveColumn(ref, expr.lexpr.ColumnRef, schema);
  return col && isJsonb(col, expr) ? { expr, op, col, span: nodeSpan(stmt, expr) } : undefined;
}

function report(context: FileContext, schema: SchemaModel, uses: Use[]): void {
  // One index per column serves every query of the file: the key-existence operators need the
  // default operator class, so look at all uses of the column before choosing it.
  const needsJsonbOps = new Set(uses.filter((u) => u.op !== '@>').map((u) => `${u.col.range.key}.${u.col.column}`));
  const fixed = new Set<string>();
  const seen = new Set<string>();
  for (const u of uses) {
    const id = `${u.col.range.key}.${u.col.column}`;
    const span = u.span;
    if (seen.has(`${id}@${span.start}`)) continue;
    seen.add(`${id}@${span.start}`);
    const column = quoteIdent(u.col.column);
    const key = needsJsonbOps.has(id) ? column : `${column} jsonb_path_ops`;
    // The kept use may come from an earlier schema of the same shape: its spans are the current schema's.
    const table = u.col.range.table && schema.table(u.col.range.key);
    const tableName = table ? qualifiedName(table) : quoteIdent(u.col.range.name);
    let fixes;
    if (table && !fixed.has(id)) {
      fixed.add(id);
      fixes = queryIndexFix(context, schema, table, {
        nameParts: [u.col.column],
        using: 'USING gin ',
        keys: key,
        columns: [u.col.column],
        slug: `index_${table.name}_${u.col.column}_gin`,
        title: `Create a GIN index on ${table.name} (${u.col.column})`,
        comment: [
          `GIN index for the ${[...new Set(uses.filter((x) => `${x.col.range.key}.${x.col.column}` === id).map((x) => x.op))].join(', ')} filters on ${table.name}.${u.col.column}.`,
          `CONCURRENTLY keeps writes to ${table.name} flowing while the index builds.`,
        ],
      }).fix;
    }
    context.report({ messageId: 'unindexed', span, data: { table: tableName, column: u.col.column, op: u.op, key }, fixes });
  }
}
