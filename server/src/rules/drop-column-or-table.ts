import { defineRule } from '../engine/rule';
import { financialWord } from '../engine/vocabulary';
import { alterCmds, tableName } from './lib/migration-ast';

export default defineRule({
  meta: {
    id: 'drop-column-or-table',
    category: 'migration',
    severity: 'warning',
    description: 'Dropping a column, table, schema or database that running code (and auditors) may still need.',
    rationale:
      'A drop is the one migration that cannot be rolled back: the data is gone, and every running instance that still reads the column or table fails until the deploy completes. Financial records usually must be kept for years. Stop using the column in code first, deploy, archive financial data, and drop in a later release. Rollback (down) migrations are exempt.',
    messages: {
      column:
        'DROP COLUMN {{column}} on {{table}} destroys its data irreversibly and breaks running code that still selects {{column}} until the deploy completes{{fin}}. Stop using it in code, deploy, then drop it in a later migration.',
      object:
        'DROP {{what}} {{name}} destroys its data irreversibly and breaks running code that still uses it{{fin}}. Stop using it, deploy, archive what must be kept, then drop it in a later migration.',
    },
    fix: 'none',
    languages: ['sql'],
    examples: {
      incorrect: [{ code: 'ALTER TABLE payments DROP COLUMN legacy_reference;' }],
      correct: [{ code: 'CREATE TABLE scratch (id bigint);\nDROP TABLE scratch;' }],
    },
  },
  scope: 'file',
  stateless: true,
  // Reads only its statement, the schema and the file's role: findings reused while they are unchanged.
  cache: 'statement',
  create(context) {
    const finNote = (table: string) =>
      financialWord(table, context.vocabulary) ? ` (\`${table}\` looks like a financial table: archive its records before dropping anything, they are usually subject to retention rules)` : '';
    return {
      statement(stmt) {
        if (context.fileInfo.role === 'down') return;
        const ast = stmt.ast as any;
        if (ast?.DropdbStmt) {
          context.report({ messageId: 'object', span: stmt.firstLine(), data: { what: 'DATABASE', name: String(ast.DropdbStmt.dbname ?? ''), fin: '' } });
          return;
        }
        const drop = ast?.DropStmt;
        if (drop?.removeType === 'OBJECT_SCHEMA') {
          const names = (drop.objects ?? []).map((o: any) => String(o?.String?.sval ?? '')).join(', ');
          context.report({ messageId: 'object', span: stmt.firstLine(), data: { what: 'SCHEMA', name: names, fin: '' } });
          return;
        }
        if (drop?.removeType === 'OBJECT_TABLE') {
          const tables = (drop.objects ?? []).map((o: any) => String(o?.List?.items?.at(-1)?.String?.sval ?? '')).filter((t: string) => t && context.isExistingTable(t, stmt.index));
          if (tables.length === 0) return;
          const fin = tables.find((t: string) => financialWord(t, context.vocabulary));
          context.report({ messageId: 'object', span: stmt.firstLine(), data: { what: 'TABLE', name: tables.join(', '), fin: fin ? finNote(fin) : '' }, severity: fin ? 'error' : undefined });
          return;
        }
        const table = tableName(ast?.AlterTableStmt?.relation);
        if (!table || !context.isExistingTable(table, stmt.index)) return;
        for (const { cmd, span } of alterCmds(stmt)) {
          if (cmd.subtype !== 'AT_DropColumn') continue;
          const fin = finNote(table);
          context.report({ messageId: 'column', span, data: { table, column: String(cmd.name ?? ''), fin }, severity: fin ? 'error' : undefined });
        }
      },
    };
  },
});
