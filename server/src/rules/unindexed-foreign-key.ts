import type { TableDecl } from '../engine/decls';
import { defineRule, type FileContext } from '../engine/rule';
import type { Fix } from '../engine/types';
import type { ForeignKeyModel, SchemaModel, TableModel } from '../model/schema';
import { freshIndexName, indexStyle, servingKey } from './lib/schema-indexes';
import { insertAfterStatement, statementAt, FrontEndTables } from './lib/schema-edits';
import { concurrentIndexMigrationFix } from './lib/schema-migration';
import { ownSpan, ownTables, qualifiedName, quoteIdent, workspaceSchema } from './lib/schema-workspace';
import { judgeTables } from './lib/per-table-findings';

export default defineRule({
  meta: {
    id: 'unindexed-foreign-key',
    category: 'indexing',
    severity: 'warning',
    description: 'A foreign key whose columns are not the leading columns of any index, primary key or unique constraint in the workspace.',
    rationale:
      'PostgreSQL indexes the referenced key, never the referencing columns. Without an index on the child side, every DELETE of a parent row, and every UPDATE of its key, scans the whole child table to look for references, while holding its locks: deleting one merchant scans every payment. Joins from the parent to its children scan too. An index on the foreign key columns (leading columns of a B-tree; partial indexes do not count, since the check does not repeat their predicate) turns each of these into an index lookup. The index may live in any migration of the workspace.',
    messages: {
      unindexed:
        'Foreign key {{table}} ({{columns}}) -> {{refTable}} has no index with {{columns}} as leading columns anywhere in the workspace: every DELETE on {{refTable}} (and every update of its key) scans all of {{table}} to check for referencing rows, holding locks while it does, and joins from {{refTable}} to {{table}} scan it too. Add an index on {{table}} ({{columns}}).',
    },
    fix: 'quickfix',
    languages: ['sql', 'typescript'],
    examples: {
      incorrect: [
        { code: 'CREATE TABLE payments (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE RESTRICT\n);' },
        {
          language: 'typescript',
          code: "import { bigint, pgTable } from 'drizzle-orm/pg-core';\nimport { accounts } from './accounts';\nexport const payments = pgTable('payments', {\n  id: bigint('id', { mode: 'number' }).primaryKey(),\n  accountId: bigint('account_id', { mode: 'number' }).notNull().references(() => accounts.id, { onDelete: 'restrict' }),\n});",
        },
      ],
      correct: [
        {
          code: 'CREATE TABLE payments (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE RESTRICT\n);\nCREATE INDEX payments_account_id_idx ON payments (account_id);',
        },
        {
          language: 'typescript',
          code: "import { bigint, index, pgTable } from 'drizzle-orm/pg-core';\nimport { accounts } from './accounts';\nexport const payments = pgTable('payments', {\n  id: bigint('id', { mode: 'number' }).primaryKey(),\n  accountId: bigint('account_id', { mode: 'number' }).notNull().references(() => accounts.id, { onDelete: 'restrict' }),\n}, (t) => [index('payments_account_id_idx').on(t.accountId)]);",
        },
      ],
    },
  },
  scope: 'file',
  cache: 'file',
  stateless: true,
  create(context) {
    // Kept for the run and emptied for each file (startFile).
    const frontEnd = new FrontEndTables();
    return {
      startFile: () => frontEnd.clear(),
      table: frontEnd.collect,
      endFile() {
        const schema = workspaceSchema(context);
        // A table is judged again only when it changed, or its partitioned parent did (isIndexed).
        const options = {
          tableOf: (t: TableModel) => t,
          reads: (t: TableModel) => [t.partitionOf ? schema.table(t.partitionOf) : undefined],
          indexNames: true,
          reusable: frontEnd.isEmpty(),
        };
        judgeTables(context, ownTables(context), options, (table, report) => {
          for (const fk of table.foreignKeys) {
            const span = ownSpan(context, fk.source);
            if (!span || fk.columns.length === 0 || isIndexed(schema, table, fk)) continue;
            report({
              messageId: 'unindexed',
              span,
              data: { table: qualifiedName(table), columns: fk.columns.join(', '), refTable: fk.refTable },
              fixes: indexFix(context, schema, table, fk, frontEnd.get(table.name)),
            });
          }
        });
      },
    };
  },
});

function isIndexed(schema: SchemaModel, table: TableModel, fk: ForeignKeyModel): boolean {
  if (servingKey(table, fk.columns)) return true;
  // An index on a partitioned parent is created on every partition.
  const parent = table.partitionOf ? schema.table(table.partitionOf) : undefined;
  return !!parent && !!servingKey(parent, fk.columns);
}

function indexFix(context: FileContext, schema: SchemaModel, table: TableModel, fk: ForeignKeyModel, decl: TableDecl | undefined): Fix[] | undefined {
  const name = freshIndexName(schema, indexStyle(schema), table.name, fk.columns);
  if (decl?.edits) {
    const edits = decl.edits.addIndex(name, fk.columns, false);
    return edits ? [{ title: `Index ${table.name} (${fk.columns.join(', ')}) in its extra config`, edits, preferred: true }] : undefined;
  }
  const target = `${qualifiedName(table)} (${fk.columns.map(quoteIdent).join(', ')})`;
  const newTable = !!table.created && table.created.file === context.file.path;
  if (newTable) {
    // A table created in this file is empty: a plain CREATE INDEX is instant and, unlike
    // CONCURRENTLY, runs inside the migration's transaction.
    const stmt = statementAt(context, fk.source.span);
    if (!stmt) return undefined;
    const edit = insertAfterStatement(context, stmt, `CREATE INDEX ${quoteIdent(name)} ON ${target};`);
    return [{ title: `Index ${table.name} (${fk.columns.join(', ')}) after its CREATE TABLE`, edits: [edit], preferred: true }];
  }
  return concurrentIndexMigrationFix(
    context,
    schema,
    `index_${table.name}_${fk.columns.join('_')}`,
    `Create the index on ${table.name} (${fk.columns.join(', ')})`,
    [`Index for the foreign key ${table.name} (${fk.columns.join(', ')}) -> ${fk.refTable}.`, `CONCURRENTLY keeps writes to ${table.name} flowing while the index builds.`],
    `CREATE INDEX CONCURRENTLY IF NOT EXISTS ${quoteIdent(name)} ON ${target};`,
  );
}
