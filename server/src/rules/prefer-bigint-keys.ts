import { defineRule } from '../engine/rule';
import type { ColumnDecl } from '../engine/decls';
import { wordsOf } from '../engine/vocabulary';
import { workspaceSchema } from './lib/schema-workspace';

const SMALL_KEYS: Record<string, { max: string; replacement: string }> = {
  int2: { max: '32,767', replacement: 'bigint' },
  int4: { max: '2,147,483,647', replacement: 'bigint' },
  serial2: { max: '32,767', replacement: 'bigserial' },
  serial4: { max: '2,147,483,647', replacement: 'bigserial' },
};

export default defineRule({
  meta: {
    id: 'prefer-bigint-keys',
    category: 'integrity',
    severity: 'warning',
    description: 'A primary key, foreign key or `*_id` column typed smallint, integer or serial.',
    rationale:
      'An `integer` key stops at 2,147,483,647. Sequences also burn values on rolled-back inserts, so a busy payments or events table reaches the limit sooner than its row count suggests, and from then on every INSERT fails. Widening the key later is `ALTER COLUMN ... TYPE bigint`, which rewrites the table and every index under an ACCESS EXCLUSIVE lock, and has to be repeated on every referencing column. `bigint` costs 4 more bytes per row.',
    messages: {
      small:
        '{{table}}.{{column}} is {{role}} typed {{type}}, which stops at {{max}}: once the sequence reaches it every INSERT into {{table}} fails, and widening it then rewrites the table (and each referencing table) under an ACCESS EXCLUSIVE lock. Use {{replacement}}.',
    },
    fix: 'quickfix',
    languages: ['sql', 'typescript'],
    examples: {
      incorrect: [{ code: 'CREATE TABLE payments (id serial PRIMARY KEY, account_id integer NOT NULL);' }],
      correct: [{ code: 'CREATE TABLE payments (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, account_id bigint NOT NULL);' }],
    },
  },
  scope: 'file',
  cache: 'file',
  stateless: true,
  create(context) {
    // Kept for the run and emptied for each file (startFile).
    const decls: ColumnDecl[] = [];
    return {
      startFile: () => void (decls.length = 0),
      column(decl) {
        if (SMALL_KEYS[decl.type.name] && !decl.type.array) decls.push(decl);
      },
      endFile() {
        if (decls.length === 0) return;
        const schema = workspaceSchema(context);
        for (const decl of decls) {
          const table = schema.table(decl.table);
          const primary = decl.primaryKey || !!table?.primaryKey?.columns.includes(decl.name);
          const foreign = !!table?.foreignKeys.some((f) => f.columns.includes(decl.name));
          const words = wordsOf(decl.name);
          const idName = words.length > 1 && words[words.length - 1] === 'id';
          if (!primary && !foreign && !idName) continue;
          const role = primary ? 'a primary key' : foreign ? 'a foreign key' : 'an id column';
          const { max, replacement } = SMALL_KEYS[decl.type.name];
          const newType = decl.retype(replacement);
          context.report({
            messageId: 'small',
            span: decl.span,
            data: { table: decl.table, column: decl.name, role, type: decl.type.written || decl.type.name, max, replacement },
            fixes: newType ? [{ title: `Change ${decl.table}.${decl.name} to ${replacement}`, edits: [{ ...decl.typeSpan, newText: newType }], preferred: true }] : undefined,
          });
        }
      },
    };
  },
});
