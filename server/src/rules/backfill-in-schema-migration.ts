import { inTransactionUnit } from '../engine/concern-cache';
import { defineRule } from '../engine/rule';
import { tableName } from './lib/migration-ast';
import { TransactionTracker } from './lib/migration-tx';
import { statementsWith } from './lib/statements-with';

/** The table a data-changing statement writes, and whether it is a backfill (not a single-row insert). */
function dataChange(ast: any): { verb: string; table: string; whole: boolean } | undefined {
  if (ast?.UpdateStmt) return { verb: 'UPDATE', table: tableName(ast.UpdateStmt.relation), whole: !ast.UpdateStmt.whereClause };
  if (ast?.DeleteStmt) return { verb: 'DELETE', table: tableName(ast.DeleteStmt.relation), whole: !ast.DeleteStmt.whereClause };
  const insert = ast?.InsertStmt;
  if (insert?.selectStmt?.SelectStmt?.fromClause?.length) return { verb: 'INSERT ... SELECT', table: tableName(insert.relation), whole: false };
  return undefined;
}

/** Tables a DDL statement locks strongly (the lock is held until its transaction ends). */
function ddlTable(ast: any): string | undefined {
  if (ast?.AlterTableStmt) return tableName(ast.AlterTableStmt.relation);
  if (ast?.IndexStmt && !ast.IndexStmt.concurrent) return tableName(ast.IndexStmt.relation);
  if (ast?.CreateTrigStmt) return tableName(ast.CreateTrigStmt.relation);
  return undefined;
}

export default defineRule({
  meta: {
    id: 'backfill-in-schema-migration',
    category: 'migration',
    severity: 'warning',
    description: 'A data backfill (UPDATE, DELETE, INSERT ... SELECT) in the same transaction as DDL on that table, or a whole-table UPDATE/DELETE in a migration.',
    rationale:
      'DDL takes an ACCESS EXCLUSIVE (or SHARE) lock that is held until the transaction commits; a backfill in the same transaction keeps that lock for as long as it takes to rewrite every row, so every query on the table waits for the whole backfill. A whole-table UPDATE in one statement also writes every row version at once (bloat, WAL spikes, replication lag) and cannot be resumed. Run backfills as a separate, batched job (e.g. 10,000 rows per transaction by primary key range) after the schema change is committed.',
    messages: {
      sameTransaction:
        '{{verb}} on {{table}} runs in the same transaction as DDL on {{table}} (line {{ddlLine}}), so the DDL lock is held for the whole backfill: every read and write on {{table}} waits until it commits. Commit the schema change first and backfill in a separate, batched job.',
      wholeTable:
        '{{verb}} without WHERE rewrites every row of the existing table {{table}} in one transaction: long row locks on every row, bloat and WAL spikes, and no way to resume if it fails. Backfill in batches (by primary key range) in a separate job.',
    },
    fix: 'none',
    languages: ['sql'],
    examples: {
      incorrect: [{ code: "BEGIN;\nALTER TABLE payments ADD COLUMN currency text;\nUPDATE payments SET currency = 'EUR';\nCOMMIT;" }],
      correct: [{ code: "ALTER TABLE payments ADD COLUMN currency text;\nUPDATE payments SET currency = 'EUR' WHERE id BETWEEN 1 AND 10000 AND currency IS NULL;" }],
    },
  },
  scope: 'file',
  // Transaction statements; DDL and writes inside a transaction (an autocommitted DDL statement
  // locks for no other statement); writes without WHERE in a migration. The message cites the DDL's line.
  concerns(stmt, context) {
    const ast = stmt.ast as any;
    if (!ast) return false;
    if (ast.TransactionStmt) return true;
    const change = dataChange(ast);
    if (change?.table && change.whole && context.fileInfo.migration) return true;
    return (!!ddlTable(ast) || !!change?.table) && inTransactionUnit(stmt, context);
  },
  citesLines: true,
  stateless: true,
  create(context) {
    // Both made for each file (startFile).
    let tx!: TransactionTracker;
    /** transaction key -> table -> statement index of the first DDL on it. */
    let ddl!: Map<string, Map<string, number>>;
    const startFile = () => {
      tx = new TransactionTracker(context.fileInfo);
      ddl = new Map();
    };
    return statementsWith(['TransactionStmt', 'AlterTableStmt', 'IndexStmt', 'CreateTrigStmt', 'UpdateStmt', 'DeleteStmt', 'InsertStmt'], (stmt) => {
      tx.see(stmt);
      const ast = stmt.ast as any;
      const locked = ddlTable(ast);
      if (locked) {
        // An autocommitted DDL statement shares its transaction with no other statement.
        if (!tx.inTransaction) return;
        const key = tx.transactionKey;
        let tables = ddl.get(key);
        if (!tables) ddl.set(key, (tables = new Map()));
        if (!tables.has(locked)) tables.set(locked, stmt.segment.start);
        return;
      }
      const change = dataChange(ast);
      if (!change?.table) return;
      const ddlAt = ddl.size && tx.inTransaction ? ddl.get(tx.transactionKey)?.get(change.table) : undefined;
      // Most writes have a WHERE and follow no DDL: no need to ask whether their table existed.
      if (ddlAt === undefined && !(change.whole && context.fileInfo.migration)) return;
      if (!context.isExistingTable(change.table, stmt.index)) return;
      if (ddlAt !== undefined) {
        const ddlLine = context.file.lines.positionAt(ddlAt).line + 1;
        context.report({ messageId: 'sameTransaction', span: stmt.firstLine(), data: { verb: change.verb, table: change.table, ddlLine } });
      } else if (change.whole && context.fileInfo.migration) {
        context.report({ messageId: 'wholeTable', span: stmt.firstLine(), data: { verb: change.verb, table: change.table } });
      }
    }, startFile);
  },
});
