import { defineRule } from '../engine/rule';
import type { Fix, Span } from '../engine/types';
import type { Statement } from '../sql/document';
import { keywordSpan } from './lib/ast';
import { quoteIdent, tableName } from './lib/migration-ast';
import { TransactionTracker } from './lib/migration-tx';
import { statementsWith } from './lib/statements-with';

function names(list: unknown): string {
  return Array.isArray(list) ? list.map((n: any) => quoteIdent(String(n?.String?.sval ?? ''))).join('.') : '';
}

/** A fix that inserts a guard right after the keywords that precede it (`CONCURRENTLY`, `ADD VALUE`). */
function guardAfter(stmt: Statement, words: string[], guard: string, title: string): Fix[] | undefined {
  const at = keywordSpan(stmt, words, stmt.segment.start);
  return at ? [{ title, edits: [{ start: at.end, end: at.end, newText: ` ${guard}` }], preferred: true }] : undefined;
}

export default defineRule({
  meta: {
    id: 'non-idempotent-ddl',
    category: 'migration',
    severity: 'info',
    description: 'A migration statement that commits on its own (outside any transaction) without IF [NOT] EXISTS, so retrying a half-applied migration fails.',
    rationale:
      '`CREATE INDEX CONCURRENTLY` and `DROP INDEX CONCURRENTLY` cannot run in a transaction, and `ALTER TYPE ... ADD VALUE` outside one commits at once: none of them is rolled back when the migration fails later. A failed `CREATE UNIQUE INDEX CONCURRENTLY` (a duplicate, a deadlock, a cancelled deploy) leaves an INVALID index behind (*verified*), and the retry stops with "relation already exists" (42P07, *verified*); a repeated `DROP INDEX CONCURRENTLY` stops with "index does not exist" (42704) and a repeated `ADD VALUE` with "enum label already exists" (42710, *verified*). The deploy stays blocked until someone edits the database by hand. Guard each statement with IF [NOT] EXISTS; for an index, also drop a leftover INVALID index before retrying, because `IF NOT EXISTS` skips it and leaves the table without a usable index (*verified*).',
    messages: {
      createIndex:
        'CREATE INDEX CONCURRENTLY {{index}} on {{table}} is not rolled back when it fails: it leaves an INVALID index {{index}} behind, and retrying the migration fails with "relation already exists". Add IF NOT EXISTS, and before a retry drop the leftover (DROP INDEX CONCURRENTLY IF EXISTS {{index}} when pg_index.indisvalid is false): IF NOT EXISTS alone would keep the INVALID index and {{table}} would have no usable index.',
      createIndexUnnamed:
        'CREATE INDEX CONCURRENTLY on {{table}} has no name: a failed build leaves an INVALID index behind and the retry creates a second one under another generated name. Name the index and add IF NOT EXISTS (drop a leftover INVALID index before retrying).',
      dropIndex:
        'DROP INDEX CONCURRENTLY {{index}} commits on its own: if the migration fails after it and is retried, this statement fails with "index does not exist" and blocks the deploy. Add IF EXISTS.',
      addValue:
        "ALTER TYPE {{type}} ADD VALUE '{{value}}' runs outside a transaction here and commits on its own: if the migration fails after it and is retried, it fails with \"enum label already exists\" and blocks the deploy. Add IF NOT EXISTS.",
    },
    fix: 'quickfix',
    languages: ['sql'],
    examples: {
      incorrect: [{ code: 'CREATE UNIQUE INDEX CONCURRENTLY payments_idempotency_key_idx ON payments (merchant_id, idempotency_key);' }],
      correct: [
        {
          code: '-- Before retrying a failed run, drop its INVALID leftover: DROP INDEX CONCURRENTLY IF EXISTS payments_idempotency_key_idx\nCREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS payments_idempotency_key_idx ON payments (merchant_id, idempotency_key);',
        },
      ],
    },
  },
  scope: 'file',
  // Reads its statement and the transaction around it: findings reused while the file's DDL and
  // BEGIN/COMMIT statements are unchanged.
  cache: 'file',
  stateless: true,
  // Each finding lies in its statement and follows from it, the tables it names and the control statements.
  byStatement: true,
  create(context) {
    // Made for each file (startFile): it tracks that file's transactions.
    let tx!: TransactionTracker;
    const report = (messageId: string, span: Span, data: Record<string, string>, fixes?: Fix[]) => context.report({ messageId, span, data, fixes });
    const startFile = () => {
      tx = new TransactionTracker(context.fileInfo);
    };
    return statementsWith(['TransactionStmt', 'IndexStmt', 'DropStmt', 'AlterEnumStmt'], (stmt) => {
      if (!context.fileInfo.migration) return;
      tx.see(stmt);
      // Inside a transaction a failure rolls everything back (and CONCURRENTLY is refused there,
      // which concurrently-in-transaction reports).
      if (tx.inTransaction || context.keeps?.(stmt)) return;
      const ast = stmt.ast as any;
      const index = ast?.IndexStmt;
      if (index?.concurrent && !index.if_not_exists) {
        const table = tableName(index.relation);
        if (!index.idxname) report('createIndexUnnamed', stmt.firstLine(), { table });
        else report('createIndex', stmt.firstLine(), { index: quoteIdent(index.idxname), table }, guardAfter(stmt, ['concurrently'], 'IF NOT EXISTS', `Add IF NOT EXISTS to CREATE INDEX ${index.idxname}`));
        return;
      }
      const drop = ast?.DropStmt;
      if (drop?.concurrent && drop.removeType === 'OBJECT_INDEX' && !drop.missing_ok) {
        const index = (drop.objects ?? []).map((o: any) => names(o?.List?.items)).join(', ');
        report('dropIndex', stmt.firstLine(), { index }, guardAfter(stmt, ['concurrently'], 'IF EXISTS', `Add IF EXISTS to DROP INDEX ${index}`));
        return;
      }
      const alter = ast?.AlterEnumStmt;
      if (alter?.newVal !== undefined && alter.oldVal === undefined && !alter.skipIfNewValExists) {
        const type = names(alter.typeName);
        report('addValue', stmt.firstLine(), { type, value: alter.newVal }, guardAfter(stmt, ['add', 'value'], 'IF NOT EXISTS', `Add IF NOT EXISTS to ADD VALUE '${alter.newVal}'`));
      }
    }, startFile);
  },
});
