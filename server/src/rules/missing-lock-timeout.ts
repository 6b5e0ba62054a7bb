import { defineRule } from '../engine/rule';
import type { Statement } from '../sql/document';
import { tableName, topOfFile } from './lib/migration-ast';
import { TransactionTracker } from './lib/migration-tx';
import { statementsWith } from './lib/statements-with';

/** The statements the rule reads: transaction control, SET, and those that may take a strong lock. */
const VISITED = ['TransactionStmt', 'VariableSetStmt', 'AlterTableStmt', 'IndexStmt', 'RenameStmt', 'CreateTrigStmt', 'TruncateStmt', 'LockStmt', 'DropStmt'] as const;

const LOCKING_DROPS = new Set(['OBJECT_TABLE', 'OBJECT_INDEX', 'OBJECT_MATVIEW', 'OBJECT_VIEW', 'OBJECT_TRIGGER']);

/** The statement's kind and the tables it locks strongly enough to queue ordinary queries behind it. */
function strongLock(stmt: Statement): { what: string; tables: string[] } | undefined {
  const ast = stmt.ast as any;
  if (ast?.AlterTableStmt) return { what: 'ALTER TABLE', tables: [tableName(ast.AlterTableStmt.relation)] };
  if (ast?.IndexStmt && !ast.IndexStmt.concurrent) return { what: 'CREATE INDEX', tables: [tableName(ast.IndexStmt.relation)] };
  if (ast?.RenameStmt?.relation) return { what: 'RENAME', tables: [tableName(ast.RenameStmt.relation)] };
  if (ast?.CreateTrigStmt) return { what: 'CREATE TRIGGER', tables: [tableName(ast.CreateTrigStmt.relation)] };
  if (ast?.TruncateStmt) return { what: 'TRUNCATE', tables: (ast.TruncateStmt.relations ?? []).map((r: any) => tableName(r.RangeVar)) };
  if (ast?.LockStmt) return { what: 'LOCK TABLE', tables: (ast.LockStmt.relations ?? []).map((r: any) => tableName(r.RangeVar)) };
  const drop = ast?.DropStmt;
  if (drop && !drop.concurrent && LOCKING_DROPS.has(drop.removeType)) {
    // DROP TRIGGER names the table before the trigger; the others name the object itself.
    const tables = (drop.objects ?? []).map((o: any) => {
      const items = o?.List?.items ?? [];
      const at = drop.removeType === 'OBJECT_TRIGGER' ? items.length - 2 : items.length - 1;
      return String(items[at]?.String?.sval ?? '');
    });
    return { what: `DROP ${String(drop.removeType).slice(7).replace('MATVIEW', 'MATERIALIZED VIEW')}`, tables };
  }
  return undefined;
}

/** `0` (or '0ms') disables the timeout again. */
function isOff(arg: any): boolean {
  const c = arg?.A_Const;
  if (!c) return false;
  if (c.ival) return !c.ival.ival;
  return /^\s*0\s*(ms|s|min)?\s*$/i.test(String(c.sval?.sval ?? ''));
}

export default defineRule({
  meta: {
    id: 'missing-lock-timeout',
    category: 'migration',
    severity: 'warning',
    description: 'A migration takes a strong lock on an existing table without setting lock_timeout first.',
    rationale:
      'An `ALTER TABLE` that waits for its ACCESS EXCLUSIVE lock (behind one long report query or an idle transaction) makes every later query on the table queue behind it: a two-second DDL turns into minutes of failed payments while nothing visible runs. `SET lock_timeout = \'3s\'` makes the migration give up and fail cleanly instead, to be retried, while traffic keeps flowing.',
    messages: {
      missing:
        '{{what}} locks the existing table {{table}} without a lock_timeout: if it has to wait for the lock (behind a long query or an idle transaction), every later read and write on {{table}} queues behind it and requests time out. Put SET lock_timeout = \'3s\' at the top of the migration (SET LOCAL inside the transaction) and retry on timeout.',
    },
    fix: 'quickfix',
    languages: ['sql'],
    examples: {
      incorrect: [{ code: 'ALTER TABLE payments ADD COLUMN note text;' }],
      correct: [{ code: "SET lock_timeout = '3s';\nALTER TABLE payments ADD COLUMN note text;" }],
    },
  },
  scope: 'file',
  // Concerned with the statements it visits (DDL, BEGIN/COMMIT, SET, TRUNCATE, LOCK), not `cache:
  // 'file'`: its fix inserts at the top of the file, outside the finding's statement, so a
  // whole-file cache never kept its finding and a migration with one re-ran the rule (and the
  // engine's dispatch over every statement) on every keystroke. Reused findings keep offsets before
  // the edit and move those after it; one inside the edited text (the top of the file edited) is
  // never reused, so the insertion point cannot go stale.
  concerns(stmt) {
    if (!stmt.ast) return false;
    const nodes = stmt.nodes();
    for (const type of VISITED) if (nodes.has(type)) return true;
    return false;
  },
  stateless: true,
  create(context) {
    // All set for each file (startFile).
    let tx!: TransactionTracker;
    let session = false;
    let localIn: string | undefined;
    let reported = false;
    const startFile = () => {
      tx = new TransactionTracker(context.fileInfo);
      session = false;
      localIn = undefined;
      reported = false;
    };
    return statementsWith(VISITED, (stmt) => {
      const event = tx.see(stmt);
      if (event === 'end') localIn = undefined;
      if (reported) return;
      const set = (stmt.ast as any)?.VariableSetStmt;
      if (set?.name === 'lock_timeout') {
        const on = set.kind === 'VAR_SET_VALUE' && !isOff(set.args?.[0]);
        // SET LOCAL lasts until the end of the transaction; outside one it does nothing.
        if (set.is_local) localIn = on ? tx.transactionKey : undefined;
        else session = on;
        return;
      }
      if (session || (localIn !== undefined && localIn === tx.transactionKey)) return;
      const lock = strongLock(stmt);
      const table = lock?.tables.find((t) => t && context.isExistingTable(t, stmt.index));
      if (!lock || !table) return;
      reported = true;
      const at = topOfFile(context.file.text);
      context.report({
        messageId: 'missing',
        span: stmt.firstLine(),
        data: { what: lock.what, table },
        fixes: [{ title: "Set lock_timeout = '3s' at the top of the file", edits: [{ start: at, end: at, newText: "SET lock_timeout = '3s';\n" }], preferred: true }],
      });
    }, startFile);
  },
});
