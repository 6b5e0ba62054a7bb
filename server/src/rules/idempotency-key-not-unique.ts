import type { ColumnDecl, TableDecl } from '../engine/decls';
import { defineRule, type FileContext } from '../engine/rule';
import type { Fix } from '../engine/types';
import { matchTerm, tenantWord, wordsOf } from '../engine/vocabulary';
import type { ColumnModel, SchemaModel, TableModel } from '../model/schema';
import { freshIndexName, indexStyle } from './lib/schema-indexes';
import { insertAfterStatement, statementAt, FrontEndTables } from './lib/schema-edits';
import { concurrentIndexMigrationFix } from './lib/schema-migration';
import { ownSpan, ownTables, qualifiedName, quoteIdent, workspaceSchema } from './lib/schema-workspace';
import { judgeTables } from './lib/per-table-findings';

/** Column names that carry a client's retry key. */
const KEY_NAMES = ['idempotency_key', 'idempotency_token', 'request_id', 'external_id'];
/** Tables that record a money movement a client may submit twice (a subset of the financial words). */
const PAYMENT_LIKE = ['payment', 'transfer', 'payout', 'refund', 'charge', 'withdrawal', 'deposit'];

function isKeyColumn(name: string): boolean {
  const joined = wordsOf(name).join('_');
  return KEY_NAMES.some((k) => joined === k || joined.endsWith(`_${k}`));
}

/** A PK or UNIQUE that includes the column; a partial one only when it excludes just the NULLs. */
function uniqueOn(table: TableModel, column: string): boolean {
  if (table.primaryKey?.columns.includes(column)) return true;
  const notNull = new RegExp(`^\\(?\\s*"?${column.replace(/[^A-Za-z0-9_]/g, '.')}"?\\s+is\\s+not\\s+null\\s*\\)?\\s*;?$`, 'i');
  return table.uniques.some((u) => u.columns.includes(column) && (!u.where || notNull.test(u.where.trim())));
}

export default defineRule({
  meta: {
    id: 'idempotency-key-not-unique',
    category: 'integrity',
    severity: 'error',
    description: 'An idempotency key that no UNIQUE constraint or unique index enforces, or that may be NULL.',
    rationale:
      'Clients retry: a timeout after the payment was written makes the app send it again. The idempotency key only prevents a double charge if the database refuses the second row, which takes a UNIQUE constraint (per merchant when keys are chosen by merchants), and a NOT NULL column, because a unique index lets any number of NULLs through. Write with `INSERT ... ON CONFLICT DO NOTHING RETURNING` and read the existing row when nothing is returned.',
    messages: {
      notUnique:
        '{{table}}.{{column}} looks like an idempotency key, but no UNIQUE constraint or unique index covers it in any migration: a retried request inserts a second {{table}} row and the customer is charged twice. Add UNIQUE ({{keyColumns}}) and insert with ON CONFLICT DO NOTHING RETURNING.',
      nullable:
        '{{table}}.{{column}} looks like an idempotency key but may be NULL: a unique index lets any number of NULL keys through, so requests sent without a key are never deduplicated and a retry charges twice. Declare it NOT NULL.',
      missingKey:
        '{{table}} looks like a table of payments that clients submit, but has no idempotency key column: a retried request after a timeout creates a second row and moves the money twice. Add `idempotency_key text NOT NULL` with UNIQUE ({{keyColumns}}).',
    },
    fix: 'quickfix',
    languages: ['sql', 'typescript'],
    examples: {
      incorrect: [
        { code: 'CREATE TABLE payments (id bigint PRIMARY KEY, merchant_id bigint NOT NULL, idempotency_key text);' },
        {
          language: 'typescript',
          code: "import { bigint, pgTable, text } from 'drizzle-orm/pg-core';\nexport const payments = pgTable('payments', {\n  id: bigint('id', { mode: 'number' }).primaryKey(),\n  merchantId: bigint('merchant_id', { mode: 'number' }).notNull(),\n  idempotencyKey: text('idempotency_key'),\n}).enableRLS();",
        },
      ],
      correct: [
        { code: 'CREATE TABLE payments (id bigint PRIMARY KEY, merchant_id bigint NOT NULL, idempotency_key text NOT NULL, UNIQUE (merchant_id, idempotency_key));' },
        {
          language: 'typescript',
          code: "import { bigint, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';\nexport const payments = pgTable('payments', {\n  id: bigint('id', { mode: 'number' }).primaryKey(),\n  merchantId: bigint('merchant_id', { mode: 'number' }).notNull(),\n  idempotencyKey: text('idempotency_key').notNull(),\n}, (t) => [uniqueIndex('payments_merchant_id_idempotency_key_key').on(t.merchantId, t.idempotencyKey)]).enableRLS();",
        },
      ],
    },
  },
  scope: 'file',
  // Reports only on columns and tables this file declares, from the schema: reused while its DDL is unchanged.
  cache: 'file',
  stateless: true,
  create(context) {
    // Kept for the run and emptied for each file (startFile).
    const frontEnd = new FrontEndTables();
    const columnDecls = new Map<string, ColumnDecl>();
    return {
      startFile() {
        frontEnd.clear();
        columnDecls.clear();
      },
      table: frontEnd.collect,
      column(decl) {
        if (decl.constrain) columnDecls.set(`${decl.table}.${decl.name}`, decl);
      },
      endFile() {
        const schema = workspaceSchema(context);
        const options = { tableOf: (t: TableModel) => t, indexNames: true, reusable: frontEnd.isEmpty() };
        judgeTables(context, ownTables(context), options, (table, report) => {
          const keys = [...table.columns.values()].filter((c) => isKeyColumn(c.name));
          const tenant = [...table.columns.keys()].find((c) => tenantWord(c, context.vocabulary));
          for (const column of keys) {
            const span = ownSpan(context, column.source);
            if (!span) continue;
            const keyColumns = [tenant, column.name].filter((c): c is string => !!c);
            const data = { table: qualifiedName(table), column: column.name, keyColumns: [...new Set(keyColumns)].join(', ') };
            if (!uniqueOn(table, column.name)) {
              report({ messageId: 'notUnique', span, data, fixes: uniqueFix(context, schema, table, column, [...new Set(keyColumns)], frontEnd.get(table.name)) });
            }
            if (!column.notNull) {
              const own = table.created?.file === context.file.path;
              const decl = columnDecls.get(`${table.name}.${column.name}`);
              const edit = decl ? decl.constrain?.('not null') : own ? { start: span.end, end: span.end, newText: ' NOT NULL' } : undefined;
              const fixes: Fix[] | undefined = edit ? [{ title: `Declare ${table.name}.${column.name} NOT NULL`, edits: [edit], preferred: true }] : undefined;
              report({ messageId: 'nullable', span, data, fixes });
            }
          }
          const nameSpan = ownSpan(context, table.nameSpan);
          if (nameSpan && keys.length === 0 && !table.temporary && !table.partitionOf && matchTerm(table.name, PAYMENT_LIKE)) {
            report({ messageId: 'missingKey', span: nameSpan, severity: 'info', data: { table: qualifiedName(table), keyColumns: [tenant, 'idempotency_key'].filter(Boolean).join(', ') } });
          }
        });
      },
    };
  },
});

function uniqueFix(context: FileContext, schema: SchemaModel, table: TableModel, column: ColumnModel, cols: string[], decl: TableDecl | undefined): Fix[] | undefined {
  const name = freshIndexName(schema, indexStyle(schema), table.name, cols);
  if (decl?.edits) {
    const edits = decl.edits.addIndex(name, cols, true);
    return edits ? [{ title: `Make ${table.name} (${cols.join(', ')}) unique`, edits, preferred: true }] : undefined;
  }
  const target = `${qualifiedName(table)} (${cols.map(quoteIdent).join(', ')})`;
  if (table.created?.file === context.file.path) {
    const stmt = statementAt(context, column.source.span);
    if (!stmt) return undefined;
    // A new table is empty: a plain unique index builds instantly inside the migration's transaction.
    const edit = insertAfterStatement(context, stmt, `CREATE UNIQUE INDEX ${quoteIdent(name)} ON ${target};`);
    return [{ title: `Make ${table.name} (${cols.join(', ')}) unique`, edits: [edit], preferred: true }];
  }
  return concurrentIndexMigrationFix(
    context,
    schema,
    `unique_${table.name}_${column.name}`,
    `Make ${table.name} (${cols.join(', ')}) unique`,
    [`Idempotency: refuse a second ${table.name} row for the same ${cols.join(', ')}.`, 'Fails if duplicates already exist: find them first with GROUP BY ... HAVING count(*) > 1.'],
    `CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ${quoteIdent(name)} ON ${target};`,
  );
}
