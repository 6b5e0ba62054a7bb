import { defineRule } from '../engine/rule';
import type { Statement } from '../sql/document';
import { TransactionTracker } from './lib/migration-tx';
import { statementsWith } from './lib/statements-with';

export default defineRule({
  meta: {
    id: 'transaction-nesting-uncommitted',
    category: 'migration',
    severity: 'error',
    description: 'A BEGIN left open at the end of the file, a nested BEGIN, or a COMMIT inside a file the migration runner wraps in a transaction.',
    rationale:
      'PostgreSQL has no nested transactions: a second `BEGIN` is ignored with a warning, and the first `COMMIT` ends everything, so statements meant to be atomic are committed half-way. A `BEGIN` never committed leaves the session idle in a transaction holding its locks (the runner may then commit or roll back the migration without you knowing which). When the runner wraps the file in a transaction (drizzle-kit `migrate` wraps all pending migrations in one), a `COMMIT` in the file commits the runner\'s transaction early and breaks its rollback on failure.',
    messages: {
      uncommitted:
        'This BEGIN is never committed by the end of the file: the session stays idle in a transaction holding every lock it took (on payments tables, writes queue behind it) and the outcome depends on the runner. End it with COMMIT.',
      nested:
        'Nested BEGIN: PostgreSQL has no nested transactions, it ignores this BEGIN ({{why}}) and the first COMMIT ends the outer transaction, committing half of what was meant to be atomic. Remove it, or use SAVEPOINT.',
      commitInWrapped:
        '{{what}} inside a file that the migration runner wraps in a transaction (drizzle-kit `migrate` applies all pending migrations in one): it ends the runner\'s transaction early, so a later failure can no longer roll back what came before. Remove the transaction control statements.',
    },
    fix: 'none',
    languages: ['sql'],
    examples: {
      incorrect: [{ code: 'BEGIN;\nALTER TABLE payments ADD COLUMN note text;' }],
      correct: [{ code: 'BEGIN;\nALTER TABLE payments ADD COLUMN note text;\nCOMMIT;' }],
    },
  },
  scope: 'file',
  // Only BEGIN/COMMIT/ROLLBACK move the tracker or report; the nested BEGIN message cites the open one's line.
  concerns: (stmt) => !!(stmt.ast as any)?.TransactionStmt,
  citesLines: true,
  stateless: true,
  create(context) {
    // Both set for each file (startFile).
    let tx!: TransactionTracker;
    let openBegin: Statement | undefined;
    const startFile = () => {
      tx = new TransactionTracker(context.fileInfo);
      openBegin = undefined;
    };
    // Only transaction statements move the tracker or report: the others are not visited.
    return {
      ...statementsWith(['TransactionStmt'], (stmt) => {
        const event = tx.see(stmt);
        if (!event) return;
        if (tx.runnerWraps) {
          if (event === 'begin' || event === 'nested-begin') context.report({ messageId: 'nested', span: stmt.firstLine(), data: { why: 'the runner already opened a transaction' } });
          else context.report({ messageId: 'commitInWrapped', span: stmt.firstLine(), data: { what: stmt.segment.text.split(/\s+/)[0].toUpperCase() } });
          return;
        }
        if (event === 'begin') openBegin = stmt;
        else if (event === 'nested-begin') context.report({ messageId: 'nested', span: stmt.firstLine(), data: { why: `a transaction is already open since line ${context.file.lines.positionAt(openBegin?.segment.start ?? 0).line + 1}` } });
        else openBegin = undefined;
      }, startFile),
      endFile() {
        if (openBegin && tx.inBlock) context.report({ messageId: 'uncommitted', span: openBegin.firstLine() });
      },
    };
  },
});
