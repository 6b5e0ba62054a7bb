// The NOT VALID / VALIDATE CONSTRAINT recipe shared by the foreign-key and CHECK rules: adding a
// validated constraint scans the whole table under a lock that blocks writes; NOT VALID adds it
// instantly (new rows are checked), and a later VALIDATE scans under a lock that lets writes run.
// Validating in the same transaction as the add keeps the add's strong lock through the scan.
import type { FileContext } from '../../engine/rule';
import type { Fix } from '../../engine/types';
import type { Statement } from '../../sql/document';
import { afterStatement, alterCmds, quoteIdent, tableName, writtenName, type AlterCmd } from './migration-ast';
import type { TransactionTracker } from './migration-tx';

export interface ValidationHandlers {
  /** ADD CONSTRAINT of the rule's kind, validated, on an existing table. */
  validating(cmd: AlterCmd, table: string, constraint: any, fixes: Fix[] | undefined): void;
  /** VALIDATE CONSTRAINT in the same transaction as its NOT VALID add. */
  validateSameTransaction(cmd: AlterCmd, table: string, name: string): void;
}

/** Tracks constraints of one kind (`CONSTR_FOREIGN`, `CONSTR_CHECK`) through a file. */
export class ValidationTracker {
  /** `table\0constraint` -> transaction key of the NOT VALID add. */
  private notValidAdds = new Map<string, string>();

  constructor(
    private readonly context: FileContext,
    private readonly tx: TransactionTracker,
    private readonly contype: string,
    private readonly handlers: ValidationHandlers,
  ) {}

  /** Call after `tx.see(stmt)`. */
  statement(stmt: Statement): void {
    const alter = (stmt.ast as any)?.AlterTableStmt;
    if (!alter) return;
    const table = tableName(alter.relation);
    if (!table) return;
    const existing = this.context.isExistingTable(table, stmt.index);
    for (const item of alterCmds(stmt)) {
      const { cmd } = item;
      const con = cmd.def?.Constraint;
      if (cmd.subtype === 'AT_AddConstraint' && con?.contype === this.contype) {
        if (con.skip_validation) {
          if (con.conname) this.notValidAdds.set(`${table}\0${con.conname}`, this.tx.transactionKey);
        } else if (existing) {
          this.handlers.validating(item, table, con, this.fixFor(stmt, item, alter.relation, con));
        }
      } else if (cmd.subtype === 'AT_ValidateConstraint' && typeof cmd.name === 'string') {
        const addedIn = this.notValidAdds.get(`${table}\0${cmd.name}`);
        if (addedIn !== undefined && addedIn === this.tx.transactionKey) this.handlers.validateSameTransaction(item, table, cmd.name);
      }
    }
  }

  /**
   * NOT VALID, then VALIDATE as its own statement. Inside a transaction the VALIDATE would share the
   * add's lock, so the fix only adds NOT VALID there and the message asks for a later migration.
   */
  private fixFor(stmt: Statement, item: AlterCmd, relation: any, con: any): Fix[] | undefined {
    if (!con.conname) return undefined;
    const edits = [{ start: item.span.end, end: item.span.end, newText: ' NOT VALID' }];
    if (this.tx.inTransaction) {
      return [{ title: `Add ${con.conname} as NOT VALID (validate it in a later migration)`, edits }];
    }
    const after = afterStatement(stmt, this.context.file.text);
    const validate = `${after.prefix}ALTER TABLE ${writtenName(relation)} VALIDATE CONSTRAINT ${quoteIdent(con.conname)};`;
    // At the end of a file without `;` both insertions meet: one edit keeps their order.
    if (after.at === item.span.end) edits[0].newText += validate;
    else edits.push({ start: after.at, end: after.at, newText: validate });
    return [{ title: `Add ${con.conname} as NOT VALID, then VALIDATE it`, edits, preferred: true }];
  }
}

/** What to do about a validating ADD CONSTRAINT: name it, or add it NOT VALID and validate separately. */
export function notValidAdvice(tx: TransactionTracker, table: string, conname: string | undefined, example: string): string {
  if (!conname) return `Name the constraint (ADD CONSTRAINT <name> ${example} NOT VALID) so that a later transaction can VALIDATE CONSTRAINT <name>.`;
  return tx.inTransaction
    ? `Add it NOT VALID (instant; new rows are still checked) and, because ${tx.why}, run ALTER TABLE ${table} VALIDATE CONSTRAINT ${conname} in a later migration.`
    : `Add it NOT VALID (instant; new rows are still checked), then run ALTER TABLE ${table} VALIDATE CONSTRAINT ${conname} as its own statement.`;
}
