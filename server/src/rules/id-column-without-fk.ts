import { defineRule } from '../engine/rule';
import { guessedTargetTables } from '../model/guessed-references';
import type { ColumnDecl } from '../engine/decls';
import type { Fix } from '../engine/types';
import { wordsOf } from '../engine/vocabulary';
import type { SchemaModel, TableModel } from '../model/schema';
import { qualifiedName, quoteIdent, workspaceSchema } from './lib/schema-workspace';

/** Words that mark an identifier issued outside this database (payment providers, tracing, clients). */
const EXTERNAL_WORDS = new Set([
  'external', 'ext', 'provider', 'vendor', 'gateway', 'psp', 'processor', 'remote', 'upstream', 'partner',
  'stripe', 'paypal', 'adyen', 'braintree', 'plaid', 'square', 'checkout', 'wise', 'twilio', 'sendgrid', 'auth0', 'firebase', 'google', 'apple', 'github',
  'request', 'trace', 'span', 'correlation', 'idempotency', 'session', 'device', 'message', 'event', 'job',
]);

export default defineRule({
  meta: {
    id: 'id-column-without-fk',
    category: 'integrity',
    severity: 'info',
    description: 'A `*_id` column that is neither a primary key nor a foreign key anywhere in the workspace.',
    rationale:
      'A column named `account_id` promises a reference; without a foreign key nothing keeps that promise. Rows end up pointing at accounts that were never created or were deleted, and money is attributed to nobody: totals per account no longer add up to the ledger. A foreign key makes PostgreSQL check every insert. On an existing table add it `NOT VALID` and `VALIDATE CONSTRAINT` later, so the check of existing rows does not block writes. Identifiers issued elsewhere (a provider\'s charge id) are better named `*_external_id` or after the provider.',
    messages: {
      noFk:
        '`{{column}}` looks like a reference (its name ends in _id), but {{table}}.{{column}} is neither a primary key nor a foreign key in any migration: nothing stops it from pointing at a {{target}} row that never existed or was deleted, so money gets attributed to nothing. Add a FOREIGN KEY{{suggestion}} (on an existing table: NOT VALID, then VALIDATE CONSTRAINT), or rename it (`*_external_id`) if it holds an outside identifier.',
    },
    fix: 'suggestion',
    languages: ['sql', 'typescript'],
    examples: {
      incorrect: [{ code: 'CREATE TABLE payments (id bigint PRIMARY KEY, account_id bigint NOT NULL);' }],
      correct: [
        { code: 'CREATE TABLE payments (id bigint PRIMARY KEY, account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE RESTRICT);' },
        { code: 'CREATE TABLE payments (id bigint PRIMARY KEY, stripe_charge_id text NOT NULL);' },
      ],
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
        const words = wordsOf(decl.name);
        if (words.length < 2 || words[words.length - 1] !== 'id' || decl.primaryKey) return;
        if (words.some((w) => EXTERNAL_WORDS.has(w))) return;
        decls.push(decl);
      },
      endFile() {
        if (decls.length === 0) return;
        const schema = workspaceSchema(context);
        for (const decl of decls) {
          const table = schema.table(decl.table);
          if (table?.primaryKey?.columns.includes(decl.name)) continue;
          if (table?.foreignKeys.some((f) => f.columns.includes(decl.name))) continue;
          // Dropped or renamed by a later migration: the column no longer exists to constrain.
          if (table && !table.columns.has(decl.name)) continue;
          const target = referencedTable(schema, decl.name);
          const targetKey = target?.primaryKey?.columns.length === 1 ? target.primaryKey.columns[0] : undefined;
          const references = target && targetKey ? `REFERENCES ${qualifiedName(target)} (${quoteIdent(targetKey)})` : undefined;
          context.report({
            messageId: 'noFk',
            span: decl.span,
            data: {
              table: decl.table,
              column: decl.name,
              target: target?.name ?? wordsOf(decl.name).slice(0, -1).join('_'),
              suggestion: references ? ` (${references})` : '',
            },
            fixes: references && decl.via === 'create' && decl.language === 'sql' ? referenceFix(decl, references) : undefined,
          });
        }
      },
    };
  },
});

function referenceFix(decl: ColumnDecl, references: string): Fix[] {
  return [{ title: `Make ${decl.table}.${decl.name} a foreign key (${references})`, edits: [{ start: decl.span.end, end: decl.span.end, newText: ` ${references} ON DELETE RESTRICT` }] }];
}

/** `payer_account_id` -> the `payer_accounts` or `accounts` table, when the workspace has one. */
function referencedTable(schema: SchemaModel, column: string): TableModel | undefined {
  for (const name of guessedTargetTables(column)) {
    const t = schema.table(name);
    if (t?.created) return t;
  }
  return undefined;
}
