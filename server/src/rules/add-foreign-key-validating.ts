import { defineRule } from '../engine/rule';
import { alterCmds, tableName } from './lib/migration-ast';
import { TransactionTracker } from './lib/migration-tx';
import { ValidationTracker, notValidAdvice, type ValidationHandlers } from './lib/migration-validation';
import { statementsWith } from './lib/statements-with';

const names = (list: any): string => (Array.isArray(list) ? list.map((n: any) => String(n?.String?.sval ?? '')).join(', ') : '');

export default defineRule({
  meta: {
    id: 'add-foreign-key-validating',
    category: 'migration',
    severity: 'warning',
    description: 'A foreign key added to an existing table with validation, which scans the table while blocking writes to both tables.',
    rationale:
      '`ADD CONSTRAINT ... FOREIGN KEY` checks every existing row while holding a SHARE ROW EXCLUSIVE lock on the table and on the table it references: on `payments -> accounts` that stops new payments and account updates for the length of a full scan. `NOT VALID` adds the constraint instantly (new rows are still checked); `VALIDATE CONSTRAINT` in a later transaction scans under a lock that lets reads and writes continue. Inside one transaction the validation keeps the add\'s strong lock, so it gains nothing.',
    messages: {
      validating:
        'Adding foreign key {{name}} on {{table}} ({{columns}}) -> {{refTable}} checks every existing row while holding a SHARE ROW EXCLUSIVE lock on both tables: inserts and updates on {{table}} and {{refTable}} wait for the whole scan. {{advice}}',
      columnReferences:
        'ADD COLUMN {{column}} ... REFERENCES {{refTable}} on the existing table {{table}} validates the new foreign key with a full scan while {{table}} is locked against reads and writes, and blocks writes to {{refTable}} meanwhile. Add the column without REFERENCES, then ADD CONSTRAINT <name> FOREIGN KEY ({{column}}) REFERENCES {{refTable}} NOT VALID, and VALIDATE CONSTRAINT in a later transaction.',
      validateSameTransaction:
        'VALIDATE CONSTRAINT {{name}} runs in the same transaction that added it NOT VALID, so the SHARE ROW EXCLUSIVE lock of the add is held through the whole validation scan of {{table}}. Commit first: validate in a later transaction or migration.',
    },
    fix: 'quickfix',
    languages: ['sql'],
    examples: {
      incorrect: [{ code: 'ALTER TABLE payments ADD CONSTRAINT payments_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id);' }],
      correct: [
        {
          code: 'ALTER TABLE payments ADD CONSTRAINT payments_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id) NOT VALID;\nALTER TABLE payments VALIDATE CONSTRAINT payments_account_fk;',
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
        const advice = notValidAdvice(tx, table, con.conname, 'FOREIGN KEY ...');
        context.report({
          messageId: 'validating',
          span: cmd.span,
          data: { name: con.conname ?? '(unnamed)', table, columns: names(con.fk_attrs), refTable: tableName(con.pktable), advice },
          fixes,
        });
      },
      validateSameTransaction(cmd, table, name) {
        context.report({ messageId: 'validateSameTransaction', span: cmd.span, data: { table, name } });
      },
    };
    const startFile = () => {
      tx = new TransactionTracker(context.fileInfo);
      validation = new ValidationTracker(context, tx, 'CONSTR_FOREIGN', handlers);
    };
    return statementsWith(['TransactionStmt', 'AlterTableStmt'], (stmt) => {
      tx.see(stmt);
      validation.statement(stmt);
      const table = tableName((stmt.ast as any)?.AlterTableStmt?.relation);
      if (!table || !context.isExistingTable(table, stmt.index)) return;
      for (const item of alterCmds(stmt)) {
        if (item.cmd.subtype !== 'AT_AddColumn') continue;
        const col = item.cmd.def?.ColumnDef;
        const fk = (col?.constraints ?? []).map((c: any) => c?.Constraint).find((c: any) => c?.contype === 'CONSTR_FOREIGN');
        if (!fk) continue;
        context.report({ messageId: 'columnReferences', span: item.span, data: { table, column: String(col.colname ?? ''), refTable: tableName(fk.pktable) } });
      }
    }, startFile);
  },
});
