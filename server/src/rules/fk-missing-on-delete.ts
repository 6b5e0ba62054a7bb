import { defineRule } from '../engine/rule';

export default defineRule({
  meta: {
    id: 'fk-missing-on-delete',
    category: 'integrity',
    severity: 'info',
    description: 'Foreign key without an explicit ON DELETE clause.',
    rationale:
      'Without `ON DELETE` PostgreSQL uses NO ACTION, which blocks the delete at the end of the statement; that is usually right for financial data, but it reads as an oversight, and the next engineer "fixes" it with CASCADE. Stating the policy (`ON DELETE RESTRICT` for payments, ledgers and their owners) makes the decision reviewable.',
    messages: {
      missing:
        'Foreign key {{table}} ({{columns}}) -> {{refTable}} does not say what happens when the {{refTable}} row is deleted (PostgreSQL defaults to NO ACTION). State the policy explicitly: ON DELETE RESTRICT for financial data, so nobody later adds CASCADE and deletes money records with their owner.',
    },
    fix: 'quickfix',
    languages: ['sql', 'typescript'],
    examples: {
      incorrect: [{ code: 'CREATE TABLE payments (id bigint PRIMARY KEY, account_id bigint NOT NULL REFERENCES accounts (id));' }],
      correct: [{ code: 'CREATE TABLE payments (id bigint PRIMARY KEY, account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE RESTRICT);' }],
    },
  },
  scope: 'statement',
  create(context) {
    return {
      foreignKey(decl) {
        if (decl.onDeleteExplicit) return;
        const edit = decl.setOnDelete('restrict');
        const fixes = edit ? [{ title: 'Add ON DELETE RESTRICT', edits: [edit], preferred: true }] : undefined;
        context.report({
          messageId: 'missing',
          span: decl.span,
          data: { table: decl.table, columns: decl.columns.join(', '), refTable: decl.refTable },
          fixes,
        });
      },
    };
  },
});
