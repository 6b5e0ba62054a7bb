import { defineRule } from '../engine/rule';
import { TransactionTracker } from './lib/migration-tx';
import { ValidationTracker, notValidAdvice, type ValidationHandlers } from './lib/migration-validation';
import { statementsWith } from './lib/statements-with';

export default defineRule({
  meta: {
    id: 'add-check-validating',
    category: 'migration',
    severity: 'warning',
    description: 'A CHECK constraint added to an existing table with validation, which scans the table under an exclusive lock.',
    rationale:
      '`ADD CONSTRAINT ... CHECK` takes an ACCESS EXCLUSIVE lock and checks every existing row before releasing it: on a large payments or ledger table, every read and write waits for the full scan. `NOT VALID` adds the constraint instantly (new and updated rows are checked); `VALIDATE CONSTRAINT` in a later transaction scans under a SHARE UPDATE EXCLUSIVE lock that lets reads and writes continue. Validating in the same transaction keeps the exclusive lock through the scan and gains nothing.',
    messages: {
      validating:
        'Adding CHECK {{name}} on {{table}} scans every existing row while holding an ACCESS EXCLUSIVE lock: all reads and writes on {{table}} wait for the whole scan. {{advice}}',
      validateSameTransaction:
        'VALIDATE CONSTRAINT {{name}} runs in the same transaction that added it NOT VALID, so the ACCESS EXCLUSIVE lock of the add is held through the whole validation scan of {{table}}. Commit first: validate in a later transaction or migration.',
    },
    fix: 'quickfix',
    languages: ['sql'],
    examples: {
      incorrect: [{ code: 'ALTER TABLE payments ADD CONSTRAINT payments_amount_positive CHECK (amount_minor > 0);' }],
      correct: [
        {
          code: 'ALTER TABLE payments ADD CONSTRAINT payments_amount_positive CHECK (amount_minor > 0) NOT VALID;\nALTER TABLE payments VALIDATE CONSTRAINT payments_amount_positive;',
        },
      ],
    },
  },
  scope: 'file',
  // Reads ALTER TABLE statements, BEGIN/COMMIT around them and whether this file created the table:
  // findings reused while the file's DDL and transaction statements are unchanged. The fix's
  // VALIDATE goes after the `;`, which the whole-file cache checks is still there.
  cache: 'file',
  stateless: true,
  // Each finding lies in its statement and follows from it, the tables it names and the control statements.
  byStatement: true,
  create(context) {
    // Made for each file (startFile): what it tracks is that file's transactions and NOT VALID adds.
    let tx!: TransactionTracker;
    let validation!: ValidationTracker;
    const handlers: ValidationHandlers = {
      validating(cmd, table, con, fixes) {
        const advice = notValidAdvice(tx, table, con.conname, 'CHECK (...)');
        context.report({ messageId: 'validating', span: cmd.span, data: { name: con.conname ?? '(unnamed)', table, advice }, fixes });
      },
      validateSameTransaction(cmd, table, name) {
        context.report({ messageId: 'validateSameTransaction', span: cmd.span, data: { table, name } });
      },
    };
    const startFile = () => {
      tx = new TransactionTracker(context.fileInfo);
      validation = new ValidationTracker(context, tx, 'CONSTR_CHECK', handlers);
    };
    return statementsWith(['TransactionStmt', 'AlterTableStmt'], (stmt) => {
      tx.see(stmt);
      validation.statement(stmt);
    }, startFile);
  },
});
