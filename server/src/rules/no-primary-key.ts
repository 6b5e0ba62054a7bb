import type { ColumnDecl } from '../engine/decls';
import { defineRule } from '../engine/rule';
import type { Fix } from '../engine/types';
import type { TableModel } from '../model/schema';
import { statementAt, FrontEndTables } from './lib/schema-edits';
import { tablesNamedHere, qualifiedName } from './lib/schema-workspace';

export default defineRule({
  meta: {
    id: 'no-primary-key',
    category: 'integrity',
    severity: 'warning',
    description: 'A table created without a primary key, and none added anywhere else in the workspace.',
    rationale:
      'Without a primary key nothing stops the same payment from being stored twice, and once it is there no statement can correct or delete one copy: every UPDATE or DELETE hits both. Foreign keys need a key to reference, and a table in a logical-replication publication (the usual way to feed a warehouse or migrate with no downtime) has no replica identity, so its UPDATEs and DELETEs fail. Add `id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY`, or declare the natural key as the primary key.',
    messages: {
      missing:
        '{{table}} has no primary key in any migration of the workspace: duplicate rows cannot be told apart or fixed one at a time, nothing can reference a row with a foreign key, and UPDATE/DELETE fail once the table is in a logical-replication publication. Add `id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY` or declare the natural key as PRIMARY KEY.',
    },
    fix: 'quickfix',
    languages: ['sql', 'typescript'],
    examples: {
      incorrect: [
        { code: 'CREATE TABLE refunds (payment_id bigint NOT NULL, amount_minor bigint NOT NULL);' },
        {
          language: 'typescript',
          code: "import { bigint, pgTable } from 'drizzle-orm/pg-core';\nexport const refunds = pgTable('refunds', {\n  paymentId: bigint('payment_id', { mode: 'number' }).notNull(),\n  amountMinor: bigint('amount_minor', { mode: 'bigint' }).notNull(),\n});",
        },
      ],
      correct: [
        {
          language: 'typescript',
          code: "import { bigint, pgTable } from 'drizzle-orm/pg-core';\nexport const refunds = pgTable('refunds', {\n  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),\n  paymentId: bigint('payment_id', { mode: 'number' }).notNull(),\n  amountMinor: bigint('amount_minor', { mode: 'bigint' }).notNull(),\n});",
        },
        { code: 'CREATE TABLE refunds (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, payment_id bigint NOT NULL, amount_minor bigint NOT NULL);' },
        { code: 'CREATE TABLE refunds (payment_id bigint NOT NULL, amount_minor bigint NOT NULL);\nALTER TABLE refunds ADD PRIMARY KEY (payment_id);' },
      ],
    },
  },
  scope: 'file',
  cache: 'file',
  stateless: true,
  create(context) {
    // Kept for the run and emptied for each file (startFile).
    const frontEnd = new FrontEndTables();
    const idColumns = new Map<string, ColumnDecl>();
    return {
      startFile() {
        frontEnd.clear();
        idColumns.clear();
      },
      table: frontEnd.collect,
      column(decl) {
        if (decl.constrain && decl.name === 'id') idColumns.set(decl.table, decl);
      },
      endFile() {
        for (const { table, span } of tablesNamedHere(context)) {
          if (table.primaryKey) continue;
          const decl = frontEnd.get(table.name);
          if (decl) {
            const id = idColumns.get(table.name);
            const edits = id ? [id.constrain!('primary key')].filter((e) => e !== undefined) : decl.edits?.addIdentityKey();
            const title = id ? `Make ${table.name}.id the primary key` : `Add an identity primary key to ${table.name}`;
            context.report({ messageId: 'missing', span, data: { table: qualifiedName(table) }, fixes: edits?.length ? [{ title, edits, preferred: true }] : undefined });
            continue;
          }
          const stmt = table.created ? statementAt(context, table.created.span) : undefined;
          // CREATE TABLE AS copies query results (often a scratch or report table): not a data model.
          if (!(stmt?.ast as any)?.CreateStmt) continue;
          context.report({ messageId: 'missing', span, data: { table: qualifiedName(table) }, fixes: primaryKeyFix(context.file.text, table, span.end) });
        }
      },
    };
  },
});

/** Makes an existing `id` column the key, or adds an identity `id` as the first column. */
function primaryKeyFix(text: string, table: TableModel, nameEnd: number): Fix[] | undefined {
  const id = table.columns.get('id');
  if (id) {
    if (id.source.file !== table.nameSpan?.file || id.type.name === 'unknown') return undefined;
    return [{ title: `Make ${table.name}.id the primary key`, edits: [{ start: id.source.span.end, end: id.source.span.end, newText: ' PRIMARY KEY' }], preferred: true }];
  }
  const open = text.indexOf('(', nameEnd);
  if (open < 0 || text.slice(nameEnd, open).trim() !== '') return undefined;
  const empty = /^\s*\)/.test(text.slice(open + 1));
  const newText = `id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY${empty ? '' : ', '}`;
  return [{ title: `Add an identity primary key to ${table.name}`, edits: [{ start: open + 1, end: open + 1, newText }], preferred: true }];
}
