import { defineRule } from '../engine/rule';
import type { Fix } from '../engine/types';
import { financialWord } from '../engine/vocabulary';
import { keywordEnd, tableName } from './lib/migration-ast';
import { TransactionTracker } from './lib/migration-tx';
import { statementsWith } from './lib/statements-with';

export default defineRule({
  meta: {
    id: 'create-index-non-concurrently',
    category: 'migration',
    severity: 'warning',
    description: 'CREATE INDEX without CONCURRENTLY on an existing table blocks every write to it while the index builds.',
    rationale:
      'A plain `CREATE INDEX` takes a SHARE lock on the table for the whole build: on a large payments or ledger table that is minutes during which no payment can be inserted, no balance updated, and requests pile up behind the lock. `CREATE INDEX CONCURRENTLY` builds without blocking writes. It cannot run inside a transaction block (*verified*), and `drizzle-kit migrate` applies all pending migrations in one transaction (*verified*), so such an index goes into its own migration that runs outside a transaction. `IF NOT EXISTS` lets a failed concurrent build be retried after dropping the INVALID index it leaves behind.',
    messages: {
      blocking:
        'CREATE INDEX on {{table}} without CONCURRENTLY holds a SHARE lock for the whole build: every INSERT, UPDATE and DELETE on {{table}} waits until it finishes. Use CREATE INDEX CONCURRENTLY IF NOT EXISTS.',
      blockingInTransaction:
        'CREATE INDEX on {{table}} without CONCURRENTLY holds a SHARE lock for the whole build: every INSERT, UPDATE and DELETE on {{table}} waits until it finishes. CREATE INDEX CONCURRENTLY cannot run in a transaction and {{why}}: move this index to its own migration that runs outside a transaction (with drizzle-kit, a custom migration applied by a script outside `drizzle-kit migrate`), as CREATE INDEX CONCURRENTLY IF NOT EXISTS.',
    },
    fix: 'quickfix',
    languages: ['sql'],
    examples: {
      incorrect: [{ code: 'CREATE INDEX payments_account_id_idx ON payments (account_id);' }],
      correct: [
        { code: 'CREATE INDEX CONCURRENTLY IF NOT EXISTS payments_account_id_idx ON payments (account_id);' },
        { code: 'CREATE TABLE payouts (id bigint PRIMARY KEY, account_id bigint NOT NULL);\nCREATE INDEX payouts_account_id_idx ON payouts (account_id);' },
      ],
    },
  },
  scope: 'file',
  // Reads its CREATE INDEX, the transaction around it and the schema: findings reused while the
  // file's DDL and BEGIN/COMMIT statements are unchanged.
  cache: 'file',
  stateless: true,
  // Each finding lies in its statement and follows from it, the tables it names and the control statements.
  byStatement: true,
  create(context) {
    // Made for each file (startFile): it tracks that file's transactions.
    let tx!: TransactionTracker;
    const startFile = () => {
      tx = new TransactionTracker(context.fileInfo);
    };
    return statementsWith(['TransactionStmt', 'IndexStmt'], (stmt) => {
      tx.see(stmt);
      const index = (stmt.ast as any)?.IndexStmt;
      if (!index || index.concurrent || context.keeps?.(stmt)) return;
      const table = tableName(index.relation);
      if (!table || !context.isExistingTable(table, stmt.index)) return;
      const severity = financialWord(table, context.vocabulary) ? 'error' : undefined;
      if (tx.inTransaction) {
        context.report({ messageId: 'blockingInTransaction', span: stmt.firstLine(), data: { table, why: tx.why }, severity });
        return;
      }
      // Partitioned parents cannot be indexed concurrently; the fix would not run there.
      const partitioned = !!context.schema.table(table)?.partitionBy;
      const at = keywordEnd(stmt, 'index');
      let fixes: Fix[] | undefined;
      if (at >= 0 && !partitioned) {
        const guard = !index.if_not_exists && index.idxname ? ' IF NOT EXISTS' : '';
        fixes = [{ title: 'Build the index CONCURRENTLY', edits: [{ start: at, end: at, newText: ` CONCURRENTLY${guard}` }], preferred: true }];
      }
      context.report({ messageId: 'blocking', span: stmt.firstLine(), data: { table }, severity, fixes });
    }, startFile);
  },
});
