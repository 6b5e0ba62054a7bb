import { defineRule, type FileContext } from '../engine/rule';
import type { Fix } from '../engine/types';
import type { Statement } from '../sql/document';
import { columnRefName, funcName, nodeSpan, relName } from './lib/ast';
import { statementAnchor, whereText } from './lib/flow-context';
import { workspaceSchema } from './lib/schema-workspace';
import { conjuncts, keyEqualities, lockClauseSpan, lockedTables, rowLock, takesExplicitLock } from './lib/tx-locks';
import { transactionUnits } from './lib/tx-units';
import { plpgsqlBody } from '../sql/plpgsql';
import { inTransactionUnit, shapesTransactions } from '../engine/concern-cache';

interface MultiRow {
  /** `IN (...)`, `= ANY(...)`, `BETWEEN`, `a range`. */
  how: string;
  /** The column the predicate selects rows by, when it is a plain column. */
  column?: any;
}

const RANGE_OPS = new Set(['<', '>', '<=', '>=']);

/** The first AND-ed condition of a WHERE that can match several rows by key. */
function multiRowPredicate(where: any): MultiRow | undefined {
  for (const c of conjuncts(where)) {
    const e = c?.A_Expr;
    const op = e?.name?.[0]?.String?.sval;
    const column = e?.lexpr?.ColumnRef ? e.lexpr : undefined;
    if (e?.kind === 'AEXPR_IN' && op === '=') return { how: 'IN (...)', column };
    if (e?.kind === 'AEXPR_OP_ANY' && op === '=') return { how: '= ANY(...)', column };
    if (typeof e?.kind === 'string' && e.kind.startsWith('AEXPR_BETWEEN')) return { how: 'BETWEEN', column };
    if (e?.kind === 'AEXPR_OP' && RANGE_OPS.has(op) && (e.lexpr?.ColumnRef || e.rexpr?.ColumnRef)) return { how: 'a range condition', column };
    const sub = c?.SubLink;
    if (sub?.subLinkType === 'ANY_SUBLINK' && sub.testexpr?.ColumnRef) return { how: 'IN (SELECT ...)', column: sub.testexpr };
  }
  return undefined;
}

/** Whether the ORDER BY sorts by a key: the primary key, `id`, or the column the rows were picked by. */
function orderedByKey(sort: any[] | undefined, keys: Set<string>): boolean {
  return (sort ?? []).some((s) => {
    const name = columnRefName(s?.SortBy?.node)?.toLowerCase();
    return !!name && (keys.has(name) || name === 'id');
  });
}

function primaryKeyOf(context: FileContext, table: string): string[] {
  return workspaceSchema(context).table(table)?.primaryKey?.columns.map((c) => c.toLowerCase()) ?? [];
}

/** The source text of an expression; a qualified column (`a.id`) carries one location, so its dotted parts are added. */
function valueText(context: FileContext, stmt: Statement, node: any): string {
  const span = nodeSpan(stmt, node);
  const tokens = stmt.tokens();
  let i = tokens.findIndex((t) => t.start === span.start);
  if (i >= 0 && node?.ColumnRef) {
    while (tokens[i + 1]?.text === '.' && tokens[i + 2]) {
      span.end = tokens[i + 2].end;
      i += 2;
    }
  }
  return context.file.text.slice(span.start, span.end).replace(/\s+/g, ' ');
}

/** LEAST()/GREATEST() keys are an explicit ordering (lock the smaller id first). */
function usesOrderingCall(node: any, depth = 0): boolean {
  if (!node || typeof node !== 'object' || depth > 50) return false;
  if (node.MinMaxExpr) return true;
  if (node.FuncCall && ['least', 'greatest'].includes(funcName(node.FuncCall))) return true;
  return Object.values(node).some((v) => usesOrderingCall(v, depth + 1));
}

export default defineRule({
  meta: {
    id: 'multi-row-lock-unordered',
    category: 'concurrency',
    severity: 'warning',
    description: 'Rows are locked in an order the database does not fix (a multi-row FOR UPDATE without ORDER BY on the key, or two UPDATEs of one table by different keys), so two transactions can deadlock (40P01).',
    rationale:
      'A transfer that locks account A then B, running at the same time as one that locks B then A, deadlocks: PostgreSQL detects it after `deadlock_timeout` (1 s by default) and aborts one of them with SQLSTATE 40P01, so one payment fails and every row it locked stayed blocked meanwhile. `WHERE id IN (...)` / `= ANY($1)` / a range locks rows in whatever order the plan visits them, which changes with the plan. Lock in one global order instead: `SELECT ... WHERE id = ANY($1) ORDER BY id FOR NO KEY UPDATE` before the UPDATEs, so every transaction takes the locks in the same sequence and waits instead of deadlocking.',
    messages: {
      unordered:
        '{{lock}} on {{table}}{{where}} locks the rows matched by {{how}} in plan order, not key order: two transactions locking overlapping sets in different orders deadlock, and PostgreSQL aborts one with 40P01 after deadlock_timeout. Add ORDER BY {{key}} before {{lock}} so every caller locks in the same order.',
      loopUnordered:
        '{{verb}} of {{table}}{{where}} runs once per row of a FOR loop whose query has no ORDER BY, so rows are locked one by one in plan order: two calls over overlapping rows deadlock (40P01) and one fails. Add ORDER BY {{key}} to the loop query, or lock the rows first in key order (... ORDER BY {{key}} FOR NO KEY UPDATE).',
      unorderedWrites:
        '{{verb}} of {{table}} by `{{column}} = {{second}}`{{where}} comes after a lock of another row of {{table}} (`{{column}} = {{first}}`) with no ordered lock first: a concurrent transaction doing the same in the opposite order deadlocks (40P01) and one of the payments fails. Lock both rows first in key order (SELECT ... FROM {{table}} WHERE {{column}} IN (...) ORDER BY {{column}} FOR NO KEY UPDATE), or update the lower key first (LEAST/GREATEST).',
    },
    fix: 'quickfix',
    languages: ['sql'],
    examples: {
      incorrect: [
        { code: 'SELECT id, balance FROM accounts WHERE id = ANY($1) FOR UPDATE;' },
        { code: 'BEGIN;\nUPDATE accounts SET balance = balance - $3 WHERE id = $1;\nUPDATE accounts SET balance = balance + $3 WHERE id = $2;\nCOMMIT;' },
      ],
      correct: [
        { code: 'SELECT id, balance FROM accounts WHERE id = ANY($1) ORDER BY id FOR NO KEY UPDATE;' },
        {
          code: 'BEGIN;\nSELECT id FROM accounts WHERE id IN ($1, $2) ORDER BY id FOR NO KEY UPDATE;\nUPDATE accounts SET balance = balance - $3 WHERE id = $1;\nUPDATE accounts SET balance = balance + $3 WHERE id = $2;\nCOMMIT;',
        },
      ],
    },
  },
  scope: 'file',
  // Locking SELECTs anywhere; in a transaction, its locks and writes. Other steps change nothing.
  concerns(stmt, context) {
    const ast = stmt.ast as any;
    if (!ast) return false;
    if (shapesTransactions(stmt) || rowLock(ast)) return true;
    return inTransactionUnit(stmt, context) && (takesExplicitLock(stmt) || !!ast.UpdateStmt || !!ast.DeleteStmt);
  },
  stateless: true,
  create(context) {
    const checkLockingSelect = (stmt: Statement) => {
      const select = (stmt.ast as any)?.SelectStmt;
      const lock = rowLock(stmt.ast);
      if (!select || !lock?.waits || (lock.strength !== 'update' && lock.strength !== 'no key update')) return;
      const multi = multiRowPredicate(select.whereClause);
      if (!multi) return;
      const table = lock.tables[0] ?? '';
      const keys = new Set([...primaryKeyOf(context, table), ...(multi.column ? [columnRefName(multi.column)!.toLowerCase()] : [])]);
      if (orderedByKey(select.sortClause, keys)) return;
      const span = lockClauseSpan(stmt);
      if (!span) return;
      const lockText = context.file.text.slice(span.start, span.end).replace(/\s+/g, ' ');
      const keyText = multi.column ? valueText(context, stmt, multi.column) : primaryKeyOf(context, table).join(', ') || 'id';
      // ORDER BY goes before LIMIT/OFFSET; an existing ORDER BY on another column needs a human.
      const mechanical = !select.sortClause && !select.limitCount && !select.limitOffset && multi.column;
      const fixes: Fix[] | undefined = mechanical ? [{ title: `Lock in key order: ORDER BY ${keyText}`, edits: [{ start: span.start, end: span.start, newText: `ORDER BY ${keyText} ` }], preferred: true }] : undefined;
      context.report({ messageId: 'unordered', span, data: { lock: lockText.toUpperCase(), table, where: whereText(stmt), how: multi.how, key: keyText }, fixes });
    };

    /** `FOR r IN SELECT ... LOOP UPDATE t ... WHERE id = r.id` with an unordered, unlocked loop query. */
    const checkLoops = (owner: Statement) => {
      const body = plpgsqlBody(owner);
      if (!body || body.error) return;
      for (const loop of body.steps) {
        const select = (loop.statement?.ast as any)?.SelectStmt;
        const vars = (loop.into ?? []).map((v) => v.toLowerCase());
        if (loop.type !== 'PLpgSQL_stmt_fors' || !select || select.sortClause || rowLock(loop.statement!.ast) || !vars.length) continue;
        for (const step of body.steps) {
          if (!step.frames.some((f) => f.kind === 'loop' && f.node === 'PLpgSQL_stmt_fors' && f.lineno === loop.lineno)) continue;
          const ast = step.statement?.ast as any;
          const node = ast?.UpdateStmt ?? ast?.DeleteStmt;
          if (!node) continue;
          const key = keyEqualities(node.whereClause, true).find((k) => {
            const first = k.value?.ColumnRef?.fields?.[0]?.String?.sval;
            return typeof first === 'string' && vars.includes(first.toLowerCase());
          });
          if (!key) continue;
          context.report({
            messageId: 'loopUnordered',
            span: statementAnchor(step.statement!),
            data: { verb: ast.UpdateStmt ? 'UPDATE' : 'DELETE', table: relName(node.relation), where: whereText(step.statement!), key: key.column },
          });
          break; // one finding per loop
        }
      }
    };

    return {
      endFile() {
        for (const stmt of [...context.file.statements, ...context.file.embedded]) checkLockingSelect(stmt);
        for (const stmt of context.file.statements) checkLoops(stmt);
        for (const unit of transactionUnits(context.file.statements, context.fileInfo)) {
          // table -> the first key-locked row (column and value text); once locks are ordered, nothing to report.
          const firstLock = new Map<string, { column: string; value: string }>();
          const ordered = new Set<string>();
          let serialized = false;
          for (const { stmt } of unit.steps) {
            const ast = stmt.ast as any;
            if (takesExplicitLock(stmt)) {
              if (!ast?.LockStmt) serialized = true;
              for (const t of lockedTables(ast)) ordered.add(t);
            }
            const lock = rowLock(ast);
            if (ast?.SelectStmt && lock && (ast.SelectStmt.sortClause || multiRowPredicate(ast.SelectStmt.whereClause))) {
              // A multi-row lock takes every row at once (its order is checked above).
              for (const t of lock.tables) ordered.add(t);
              continue;
            }
            const update = ast?.UpdateStmt;
            const isWrite = !!update || !!ast?.DeleteStmt || (!!ast?.SelectStmt && lock?.waits && (lock.strength === 'update' || lock.strength === 'no key update'));
            if (!isWrite || serialized) continue;
            const node = update ?? ast.DeleteStmt ?? ast.SelectStmt;
            const table = update || ast.DeleteStmt ? relName(node.relation) : lock!.tables[0];
            if (!table || ordered.has(table)) continue;
            const keys = keyEqualities(node.whereClause, !!stmt.container).filter((k) => !usesOrderingCall(k.value));
            const key = keys.find((k) => k.column === 'id' || primaryKeyOf(context, table).includes(k.column)) ?? keys[0];
            if (!key) continue;
            const value = valueText(context, stmt, key.value);
            const first = firstLock.get(table);
            if (!first) {
              firstLock.set(table, { column: key.column, value });
              continue;
            }
            if (first.column !== key.column || first.value === value) continue;
            const verb = update ? 'UPDATE' : ast.DeleteStmt ? 'DELETE' : 'SELECT ... FOR UPDATE';
            context.report({ messageId: 'unorderedWrites', span: statementAnchor(stmt), data: { verb, table, column: key.column, first: first.value, second: value, where: stmt.container ? whereText(stmt) : unit.where } });
            ordered.add(table); // one finding per table and transaction
          }
        }
      },
    };
  },
});
