// Transaction tracking for migration rules. What a statement may do safely depends on whether
// it runs in a transaction: written BEGIN..COMMIT blocks, or a runner that wraps the whole file
// (drizzle-kit's `migrate` wraps every pending migration in one transaction).
import type { FileInfo } from '../../engine/rule';
import type { Statement } from '../../sql/document';

const OPENS = new Set(['TRANS_STMT_BEGIN', 'TRANS_STMT_START']);
const CLOSES = new Set(['TRANS_STMT_COMMIT', 'TRANS_STMT_ROLLBACK', 'TRANS_STMT_PREPARE', 'TRANS_STMT_COMMIT_PREPARED', 'TRANS_STMT_ROLLBACK_PREPARED']);

export type TransactionEvent = 'begin' | 'nested-begin' | 'end' | 'end-without-begin' | undefined;

export class TransactionTracker {
  private depth = 0;
  private openedAt = -1;
  private current = -1;

  constructor(private readonly info: FileInfo) {}

  /** Call once per statement, before looking at it; returns what a transaction statement did. */
  see(stmt: Statement): TransactionEvent {
    this.current = stmt.index;
    const kind = (stmt.ast as any)?.TransactionStmt?.kind as string | undefined;
    if (!kind) return undefined;
    if (OPENS.has(kind)) {
      this.depth++;
      if (this.depth > 1) return 'nested-begin';
      this.openedAt = stmt.index;
      return 'begin';
    }
    if (CLOSES.has(kind)) {
      const had = this.depth > 0;
      this.depth = 0;
      this.openedAt = -1;
      return had ? 'end' : 'end-without-begin';
    }
    return undefined;
  }

  /** Inside a written BEGIN..COMMIT block. */
  get inBlock(): boolean {
    return this.depth > 0;
  }

  get runnerWraps(): boolean {
    return this.info.runnerWrapsTransaction;
  }

  /** In any transaction: a written block or a runner-wrapped file. */
  get inTransaction(): boolean {
    return this.depth > 0 || this.info.runnerWrapsTransaction;
  }

  /** Identifies the transaction the current statement runs in (autocommit: its own). */
  get transactionKey(): string {
    if (this.info.runnerWrapsTransaction) return 'file';
    if (this.depth > 0) return `block:${this.openedAt}`;
    return `stmt:${this.current}`;
  }

  /** Why the current statement is in a transaction, for messages. */
  get why(): string {
    if (this.depth > 0) return 'it is inside a BEGIN ... COMMIT block';
    if (this.info.runnerWrapsTransaction) return 'the migration runner wraps this file in a transaction (drizzle-kit `migrate` applies all pending migrations in one transaction)';
    return '';
  }
}
