import type { ForeignKeyDecl } from '../engine/decls';
import { defineRule } from '../engine/rule';
import { financialWord, matchTerm } from '../engine/vocabulary';
import { keywordSpan, relName } from './lib/ast';

/**
 * Parties that own financial records. `account` and `wallet` are also in the financial-table
 * vocabulary; the others are not, so they are listed here.
 */
const OWNER_TERMS = ['user', 'customer', 'merchant', 'affiliate', 'tenant', 'account', 'wallet'];

const ACTION_TEXT: Record<string, string> = { cascade: 'CASCADE', 'set null': 'SET NULL', 'set default': 'SET DEFAULT' };

export default defineRule({
  meta: {
    id: 'ledger-fk-on-delete-cascade',
    category: 'integrity',
    severity: 'error',
    description: 'Foreign key that deletes or orphans financial records when their owner row is deleted (ON DELETE CASCADE / SET NULL / SET DEFAULT), or TRUNCATE ... CASCADE.',
    rationale:
      'Deleting one user, merchant or account with `ON DELETE CASCADE` silently deletes their payments, ledger entries and invoices, which must be kept for audits and disputes (typically 5-10 years); `SET NULL` keeps the rows but loses whose money they were. `TRUNCATE ... CASCADE` empties every table that references the target, however far away. Use `ON DELETE RESTRICT` and deactivate or anonymize owners instead of deleting them.',
    messages: {
      child:
        'ON DELETE {{action}} on {{table}} ({{columns}}) -> {{refTable}}: deleting a row of {{refTable}} {{effect}} the rows of {{table}} that reference it (`{{table}}` looks like a financial table), destroying records needed for audits and disputes. Use ON DELETE RESTRICT and deactivate or anonymize the {{refTable}} row instead.',
      owner:
        'ON DELETE {{action}} on {{table}} ({{columns}}) -> {{refTable}}: deleting one row of {{refTable}} (`{{refTable}}` looks like an owner of financial records) {{effect}} its rows in {{table}}. Use ON DELETE RESTRICT and deactivate or anonymize the {{refTable}} row instead.',
      truncate:
        'TRUNCATE {{tables}} CASCADE also empties every table that references them, including payments or ledgers several foreign keys away, with no per-row trigger to stop it. Truncate the tables you name explicitly (RESTRICT fails if others reference them) or delete in batches.',
    },
    fix: 'quickfix',
    languages: ['sql', 'typescript'],
    examples: {
      incorrect: [{ code: 'CREATE TABLE payments (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE);' }],
      correct: [{ code: 'CREATE TABLE payments (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users (id) ON DELETE RESTRICT);' }],
    },
  },
  scope: 'statement',
  create(context) {
    return {
      foreignKey(decl: ForeignKeyDecl) {
        const action = ACTION_TEXT[decl.onDelete];
        if (!action) return;
        const childFinancial = financialWord(decl.table, context.vocabulary) !== undefined;
        const ownerParent = matchTerm(unqualified(decl.refTable), OWNER_TERMS) !== undefined;
        if (!childFinancial && !ownerParent) return;
        const span = decl.onDeleteSpan ?? decl.span;
        const edit = decl.onDeleteSpan ? decl.setOnDelete('restrict') : undefined;
        const fixes = edit ? [{ title: 'Use ON DELETE RESTRICT', edits: [edit], preferred: true }] : undefined;
        context.report({
          messageId: childFinancial ? 'child' : 'owner',
          span,
          data: {
            action,
            table: decl.table,
            columns: decl.columns.join(', '),
            refTable: decl.refTable,
            effect: decl.onDelete === 'cascade' ? 'deletes' : 'orphans',
          },
          fixes,
        });
      },
      TruncateStmt(ref, stmt) {
        if (ref.node.behavior !== 'DROP_CASCADE') return;
        const tokens = stmt.tokens();
        const cascade = [...tokens].reverse().find((t) => t.keyword === 'cascade');
        const span = cascade ? { start: cascade.start, end: cascade.end } : keywordSpan(stmt, ['truncate']) ?? stmt.firstLine();
        const tables = (ref.node.relations ?? []).map((r: any) => relName(r.RangeVar)).join(', ');
        context.report({
          messageId: 'truncate',
          span,
          data: { tables },
          fixes: cascade ? [{ title: 'Use RESTRICT (fail if other tables reference them)', edits: [{ start: cascade.start, end: cascade.end, newText: 'RESTRICT' }], preferred: true }] : undefined,
        });
      },
    };
  },
});

function unqualified(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1);
}
