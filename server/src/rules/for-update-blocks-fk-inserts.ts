import { defineRule } from '../engine/rule';
import type { SchemaModel, TableModel } from '../model/schema';
import type { Statement } from '../sql/document';
import { relName } from './lib/ast';
import { whereText } from './lib/flow-context';
import { workspaceSchema } from './lib/schema-workspace';
import { lockClauseSpan, rowLock } from './lib/tx-locks';
import { transactionUnits } from './lib/tx-units';
import { inTransactionUnit, shapesTransactions } from '../engine/concern-cache';

interface Referrers {
  /** `payments.account_id` for messages. */
  names: string[];
  /** Columns of the locked table that foreign keys point at (its key). */
  keyColumns: Set<string>;
}

function referrers(schema: SchemaModel, target: TableModel): Referrers {
  const names: string[] = [];
  const keyColumns = new Set<string>();
  for (const t of schema.tables.values()) {
    for (const fk of t.foreignKeys) {
      if (schema.table(fk.refTable) !== target) continue;
      names.push(`${t.name}.${fk.columns.join(', ')}`);
      const cols = fk.refColumns.length ? fk.refColumns : target.primaryKey?.columns ?? [];
      for (const c of cols) keyColumns.add(c.toLowerCase());
    }
  }
  return { names, keyColumns };
}

/** Whether a later statement of the transaction changes the locked rows' key (or deletes them): then FOR UPDATE is the right lock. */
function changesKey(later: readonly Statement[], schema: SchemaModel, target: TableModel, keyColumns: Set<string>): boolean {
  return later.some((s) => {
    const ast = s.ast as any;
    if (ast?.DeleteStmt) return schema.table(relName(ast.DeleteStmt.relation)) === target;
    const u = ast?.UpdateStmt;
    if (!u || schema.table(relName(u.relation)) !== target) return false;
    return (u.targetList ?? []).some((rt: any) => keyColumns.has(String(rt?.ResTarget?.name ?? '').toLowerCase()));
  });
}

export default defineRule({
  meta: {
    id: 'for-update-blocks-fk-inserts',
    category: 'concurrency',
    severity: 'info',
    description: '`FOR UPDATE` on a table other tables reference, in a transaction that does not change the key: `FOR NO KEY UPDATE` locks just as well for balance updates without blocking inserts of referencing rows.',
    rationale:
      'Every insert of a row that references an account (a payment, a ledger entry) checks the foreign key by taking `FOR KEY SHARE` on the account row. `FOR UPDATE` conflicts with that lock, so while one transaction holds an account `FOR UPDATE`, every insert of a payment or entry for that account waits (verified: FK inserts wait under FOR UPDATE, not under FOR NO KEY UPDATE). `FOR NO KEY UPDATE` still serializes balance changes, which is what the lock is for; `FOR UPDATE` is only needed when the transaction deletes the row or changes its key.',
    messages: {
      blocksInserts:
        'FOR UPDATE on {{table}}{{where}} also blocks every insert into {{referrers}} for the locked rows (foreign-key checks take FOR KEY SHARE, which FOR UPDATE conflicts with), although this transaction does not change the key of {{table}}. Use FOR NO KEY UPDATE: it still serializes balance updates but lets referencing inserts through.',
    },
    fix: 'quickfix',
    languages: ['sql'],
    examples: {
      incorrect: [
        { code: 'CREATE TABLE accounts (id bigint PRIMARY KEY, balance numeric NOT NULL);\nCREATE TABLE payments (id bigint PRIMARY KEY, account_id bigint NOT NULL REFERENCES accounts (id));\nSELECT balance FROM accounts WHERE id = 1 FOR UPDATE;' },
      ],
      correct: [
        { code: 'CREATE TABLE accounts (id bigint PRIMARY KEY, balance numeric NOT NULL);\nCREATE TABLE payments (id bigint PRIMARY KEY, account_id bigint NOT NULL REFERENCES accounts (id));\nSELECT balance FROM accounts WHERE id = 1 FOR NO KEY UPDATE;' },
      ],
    },
  },
  scope: 'file',
  stateless: true,
  // FOR UPDATE anywhere, and in a transaction the later writes that may change the key.
  concerns(stmt, context) {
    const ast = stmt.ast as any;
    if (!ast) return false;
    if (shapesTransactions(stmt) || rowLock(ast)) return true;
    return inTransactionUnit(stmt, context) && !!(ast.UpdateStmt || ast.DeleteStmt);
  },
  create(context) {
    return {
      endFile() {
        const schema = workspaceSchema(context);
        const referrersOf = new Map<TableModel, Referrers>();
        // What runs after each statement in its transaction (a body, a BEGIN block, a wrapped file).
        const laterOf = new Map<Statement, Statement[]>();
        for (const unit of transactionUnits(context.file.statements, context.fileInfo)) {
          unit.steps.forEach((s, i) => laterOf.set(s.stmt, unit.steps.slice(i + 1).map((x) => x.stmt)));
        }
        for (const stmt of [...context.file.statements, ...context.file.embedded]) {
          const lock = rowLock(stmt.ast);
          if (lock?.strength !== 'update') continue;
          for (const name of lock.tables) {
            const table = schema.table(name);
            if (!table) continue;
            let refs = referrersOf.get(table);
            if (!refs) referrersOf.set(table, (refs = referrers(schema, table)));
            if (!refs.names.length || changesKey(laterOf.get(stmt) ?? [], schema, table, refs.keyColumns)) continue;
            const span = lockClauseSpan(stmt);
            if (!span) continue;
            const forTok = context.file.text.slice(span.start, span.start + 3);
            context.report({
              messageId: 'blocksInserts',
              span,
              data: { table: name, where: whereText(stmt), referrers: refs.names.slice(0, 3).join(', ') + (refs.names.length > 3 ? ` and ${refs.names.length - 3} more` : '') },
              fixes: [{ title: 'Lock with FOR NO KEY UPDATE', edits: [{ start: span.start, end: span.end, newText: `${forTok} ${forTok === 'FOR' ? 'NO KEY UPDATE' : 'no key update'}` }], preferred: true }],
            });
            break;
          }
        }
      },
    };
  },
});
