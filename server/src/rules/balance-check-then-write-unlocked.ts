import { defineRule } from '../engine/rule';
import type { Vocabulary } from '../engine/vocabulary';
import { financialWord, moneyWord } from '../engine/vocabulary';
import type { Statement } from '../sql/document';
import { columnRefName, funcName, relName } from './lib/ast';
import { statementAnchor } from './lib/flow-context';
import { isBalanceColumn, referencedNames } from './lib/flow-balance';
import { fromTables, isWriteLock, rowLock, takesExplicitLock } from './lib/tx-locks';
import { transactionUnits } from './lib/tx-units';
import { inTransactionUnit, shapesTransactions } from '../engine/concern-cache';

interface BalanceRead {
  /** `sum(amount_minor)` or `balance`, for messages. */
  what: string;
  table: string;
}

function firstLine(stmt: Statement): string {
  return stmt.segment.text.split(/\r?\n/)[0].trim().replace(/;$/, '');
}

/** A SUM over a money column (or any SUM on a financial table), or a balance column, in a SELECT list. */
function balanceRead(ast: any, vocab: Vocabulary): BalanceRead | undefined {
  const select = ast?.SelectStmt;
  if (!select?.targetList || select.valuesLists) return undefined;
  const table = fromTables(select.fromClause)[0];
  if (!table) return undefined;
  const financial = !!financialWord(table, vocab);
  let found: string | undefined;
  const visit = (n: any, depth: number) => {
    if (found || !n || typeof n !== 'object' || depth > 60) return;
    if (Array.isArray(n)) return n.forEach((x) => visit(x, depth + 1));
    if (n.SubLink) return; // a subquery is its own read
    const call = n.FuncCall;
    if (call && funcName(call) === 'sum') {
      const cols = [...referencedNames(call.args)];
      if (financial || cols.some((c) => moneyWord(c, vocab))) found = `sum(${cols.join(', ')})`;
      return;
    }
    const col = n.ColumnRef ? columnRefName(n) : undefined;
    if (col && isBalanceColumn(col, vocab)) found = col;
    for (const v of Object.values(n)) visit(v, depth + 1);
  };
  visit(select.targetList, 0);
  return found ? { what: found, table } : undefined;
}

/**
 * Writes that stay correct after an unlocked read: an UPDATE whose SET changes the balance relative
 * to itself and whose WHERE guards it (`balance = balance - $2 ... AND balance >= $2`), and absolute
 * balance writes, which balance-read-modify-write reports.
 */
function writeIsCovered(ast: any, vocab: Vocabulary): boolean {
  const u = ast?.UpdateStmt;
  if (!u) return false;
  const where = referencedNames(u.whereClause);
  return (u.targetList ?? []).some((rt: any) => {
    const col = String(rt?.ResTarget?.name ?? '').toLowerCase();
    if (!isBalanceColumn(col, vocab)) return false;
    const selfRef = referencedNames(rt.ResTarget.val).has(col);
    return !selfRef || where.has(col);
  });
}

function writeTarget(ast: any): { verb: string; table: string } | undefined {
  if (ast?.InsertStmt) return { verb: 'INSERT INTO', table: relName(ast.InsertStmt.relation) };
  if (ast?.UpdateStmt) return { verb: 'UPDATE', table: relName(ast.UpdateStmt.relation) };
  return undefined;
}

export default defineRule({
  meta: {
    id: 'balance-check-then-write-unlocked',
    category: 'concurrency',
    severity: 'warning',
    description: 'A transaction or function reads a balance or a SUM without locking, then inserts or updates based on it, so two concurrent calls both pass the check and overdraw.',
    rationale:
      'Under READ COMMITTED a plain SELECT takes no lock: two withdrawals of 80 from a balance of 100 both read 100, both pass `IF balance >= 80`, and both insert their debit, leaving -60. The same happens with `SELECT sum(amount) FROM ledger_entries WHERE account_id = $1` followed by an INSERT into the ledger. Make the check and the write one critical section: lock the account row before reading (`SELECT ... FOR NO KEY UPDATE`), or take `pg_advisory_xact_lock(account_id)` first, or run the transaction SERIALIZABLE and retry on 40001/40P01. A guarded relative update (`SET balance = balance - $2 WHERE id = $1 AND balance >= $2`) needs no prior read at all.',
    messages: {
      unlocked:
        '`{{read}}` reads {{what}} of {{table}} without a lock{{where}}, and `{{write}}` then writes based on it: two concurrent calls both read the old value, both pass the check and both write, overdrawing the account. Lock first (SELECT ... FROM the account row FOR NO KEY UPDATE, or pg_advisory_xact_lock(account id)) before reading, or run SERIALIZABLE and retry on 40001.',
    },
    fix: 'none',
    languages: ['sql'],
    examples: {
      incorrect: [
        { code: 'BEGIN;\nSELECT sum(amount_minor) FROM ledger_entries WHERE account_id = $1;\nINSERT INTO ledger_entries (account_id, amount_minor) VALUES ($1, -$2);\nCOMMIT;' },
      ],
      correct: [
        { code: 'BEGIN;\nSELECT id FROM accounts WHERE id = $1 FOR NO KEY UPDATE;\nSELECT sum(amount_minor) FROM ledger_entries WHERE account_id = $1;\nINSERT INTO ledger_entries (account_id, amount_minor) VALUES ($1, -$2);\nCOMMIT;' },
        { code: 'BEGIN ISOLATION LEVEL SERIALIZABLE;\nSELECT sum(amount_minor) FROM ledger_entries WHERE account_id = $1;\nINSERT INTO ledger_entries (account_id, amount_minor) VALUES ($1, -$2);\nCOMMIT;' },
      ],
    },
  },
  scope: 'file',
  // Only transactions are checked; a step that neither locks, reads a balance nor writes leaves one as it was.
  concerns(stmt, context) {
    const ast = stmt.ast as any;
    if (!ast) return false;
    if (shapesTransactions(stmt)) return true;
    return inTransactionUnit(stmt, context) && (takesExplicitLock(stmt) || !!rowLock(ast) || !!writeTarget(ast) || !!balanceRead(ast, context.vocabulary));
  },
  stateless: true,
  create(context) {
    return {
      endFile() {
        const vocab = context.vocabulary;
        for (const unit of transactionUnits(context.file.statements, context.fileInfo)) {
          if (unit.serializable) continue;
          let pending: { stmt: Statement; read: BalanceRead } | undefined;
          for (const { stmt } of unit.steps) {
            const ast = stmt.ast as any;
            if (takesExplicitLock(stmt) || isWriteLock(rowLock(ast))) {
              // Reads after the lock are safe; a read made before it stays stale.
              if (!pending) break;
              continue;
            }
            const read = balanceRead(ast, vocab);
            if (read) {
              pending ??= { stmt, read };
              continue;
            }
            const write = writeTarget(ast);
            if (!write || !pending || writeIsCovered(ast, vocab)) continue;
            context.report({
              messageId: 'unlocked',
              span: statementAnchor(pending.stmt),
              data: { read: firstLine(pending.stmt), what: pending.read.what, table: pending.read.table, write: firstLine(stmt), where: unit.where },
            });
            break; // one finding per transaction
          }
        }
      },
    };
  },
});
