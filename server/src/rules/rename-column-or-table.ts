import { defineRule } from '../engine/rule';
import { tableName } from './lib/migration-ast';

const WHAT: Record<string, string> = { OBJECT_COLUMN: 'column', OBJECT_TABLE: 'table', OBJECT_VIEW: 'view', OBJECT_MATVIEW: 'materialized view', OBJECT_SCHEMA: 'schema' };

export default defineRule({
  meta: {
    id: 'rename-column-or-table',
    category: 'migration',
    severity: 'warning',
    description: 'Renaming a column, table, view, schema or enum value that running application code still uses.',
    rationale:
      'Migrations run before (or while) the new application version rolls out: between the rename and the last old instance going away, every query that uses the old name fails, so payments and postings error out for the length of a deploy. Use expand/contract instead: add the new name, dual-write, backfill, switch readers, then drop the old one (for a table, a view under the old name bridges the gap). Rollback (down) migrations are exempt.',
    messages: {
      rename:
        'Renaming {{what}} {{old}} to {{new}}{{on}} breaks every running application instance that still uses {{old}}: its queries fail until the deploy completes. Use expand/contract (add {{new}}, dual-write, backfill, switch, drop {{old}} later){{bridge}}.',
      enumValue:
        "Renaming value '{{old}}' of enum {{type}} to '{{new}}' breaks running code that still writes or compares '{{old}}' (inserts fail, status checks silently stop matching). Add the new value, migrate rows and code, and stop using the old one.",
    },
    fix: 'none',
    languages: ['sql'],
    examples: {
      incorrect: [{ code: 'ALTER TABLE payments RENAME COLUMN amount TO amount_minor;' }],
      correct: [{ code: 'ALTER TABLE payments ADD COLUMN amount_minor bigint;' }],
    },
  },
  scope: 'file',
  stateless: true,
  // Reads only its statement, the schema and the file's role: findings reused while they are unchanged.
  cache: 'statement',
  create(context) {
    return {
      statement(stmt) {
        if (context.fileInfo.role === 'down') return;
        const ast = stmt.ast as any;
        const enumRename = ast?.AlterEnumStmt;
        if (enumRename?.oldVal !== undefined && enumRename.newVal !== undefined) {
          const type = (enumRename.typeName ?? []).map((n: any) => String(n?.String?.sval ?? '')).join('.');
          context.report({ messageId: 'enumValue', span: stmt.firstLine(), data: { type, old: enumRename.oldVal, new: enumRename.newVal } });
          return;
        }
        const rename = ast?.RenameStmt;
        const what = WHAT[rename?.renameType];
        if (!what) return;
        if (rename.renameType === 'OBJECT_SCHEMA') {
          context.report({ messageId: 'rename', span: stmt.firstLine(), data: { what, old: String(rename.subname ?? ''), new: String(rename.newname ?? ''), on: '', bridge: '' } });
          return;
        }
        const table = tableName(rename.relation);
        if (!table || !context.isExistingTable(table, stmt.index)) return;
        const isColumn = rename.renameType === 'OBJECT_COLUMN';
        context.report({
          messageId: 'rename',
          span: stmt.firstLine(),
          data: {
            what,
            old: isColumn ? String(rename.subname ?? '') : table,
            new: String(rename.newname ?? ''),
            on: isColumn ? ` on the existing table ${table}` : '',
            bridge: rename.renameType === 'OBJECT_TABLE' ? `; or rename it and CREATE VIEW ${table} AS SELECT * FROM ${rename.newname} until old code is gone` : '',
          },
        });
      },
    };
  },
});
