import { defineRule } from '../engine/rule';
import { rangeVarKey as tableKeyOf } from '../model/schema-builder';
import { parseText } from '../sql/parser';
import { columnRefName } from './lib/ast';
import { alterCmds, tableName } from './lib/migration-ast';
import { statementsWith } from './lib/statements-with';

/** Columns that a CHECK expression proves non-null: `col IS NOT NULL`, also inside AND (not OR, not NOT). */
function provenNotNull(expr: any, out: Set<string>, depth = 0): void {
  if (!expr || depth > 50) return;
  const test = expr.NullTest;
  if (test?.nulltesttype === 'IS_NOT_NULL') {
    const col = columnRefName(test.arg);
    if (col) out.add(col);
    return;
  }
  if (expr.BoolExpr?.boolop === 'AND_EXPR') for (const a of expr.BoolExpr.args ?? []) provenNotNull(a, out, depth + 1);
}

const provenCache = new Map<string, ReadonlySet<string>>();

/** Columns proven non-null by a CHECK expression as the model keeps it (`(amount IS NOT NULL)`), parsed once per text. */
function provenByText(expr: string): ReadonlySet<string> {
  let out = provenCache.get(expr) as Set<string> | undefined;
  if (out) return out;
  out = new Set();
  // Only the model's own CHECK text, so the cache stays as small as the workspace's CHECKs.
  provenNotNull((parseText(`SELECT WHERE ${expr}`).ast as any)?.SelectStmt?.whereClause, out);
  provenCache.set(expr, out);
  return out;
}

export default defineRule({
  meta: {
    id: 'set-not-null-scan',
    category: 'migration',
    severity: 'warning',
    description: 'SET NOT NULL on an existing table without a validated CHECK (col IS NOT NULL), which scans the table under an exclusive lock.',
    rationale:
      '`ALTER COLUMN ... SET NOT NULL` holds an ACCESS EXCLUSIVE lock while it scans every row for NULLs: on a large payments table no query, not even a read, runs until the scan ends. Since PostgreSQL 12 the scan is skipped when a validated `CHECK (col IS NOT NULL)` already proves it: add the CHECK `NOT VALID` (instant), `VALIDATE CONSTRAINT` it (scans under a lock that lets reads and writes continue), then `SET NOT NULL`, then drop the now redundant CHECK.',
    messages: {
      notValidated:
        'SET NOT NULL on {{table}}.{{column}} still scans every row of {{table}} under an ACCESS EXCLUSIVE lock: the CHECK {{constraint}} proves {{column}} IS NOT NULL but was added NOT VALID and is not validated yet. VALIDATE CONSTRAINT {{constraint}} first, in a transaction that committed after the one adding it (it scans without blocking reads and writes); then SET NOT NULL skips the scan (PostgreSQL 12+).',
      scan:
        'SET NOT NULL on {{table}}.{{column}} scans every row of {{table}} for NULLs while holding an ACCESS EXCLUSIVE lock: all reads and writes wait. First ADD CONSTRAINT {{column}}_not_null CHECK ({{column}} IS NOT NULL) NOT VALID, then VALIDATE CONSTRAINT {{column}}_not_null in a separate transaction, then SET NOT NULL (PostgreSQL 12+ skips the scan) and DROP CONSTRAINT {{column}}_not_null.',
    },
    fix: 'none',
    languages: ['sql'],
    examples: {
      incorrect: [{ code: 'ALTER TABLE payments ALTER COLUMN currency SET NOT NULL;' }],
      correct: [
        {
          code: [
            'ALTER TABLE payments ADD CONSTRAINT currency_not_null CHECK (currency IS NOT NULL) NOT VALID;',
            'ALTER TABLE payments VALIDATE CONSTRAINT currency_not_null;',
            'ALTER TABLE payments ALTER COLUMN currency SET NOT NULL;',
            'ALTER TABLE payments DROP CONSTRAINT currency_not_null;',
          ].join('\n'),
        },
      ],
    },
  },
  scope: 'file',
  stateless: true,
  // Reads only its ALTER TABLE statement, whether the table existed before it and its CHECKs then
  // (the schema and the file's schema-changing statements): findings reused while they are unchanged.
  cache: 'statement',
  create(context) {
    /** The CHECK constraints proving `column` non-null on `table` before statement `stmtIndex`: earlier migrations and this file's earlier statements. */
    const provingChecks = (key: string, column: string, stmtIndex: number) =>
      (context.schemaBefore(stmtIndex).table(key)?.checks ?? []).filter((c) => provenByText(c.expr).has(column));
    return statementsWith(['AlterTableStmt'], (stmt) => {
      const alter = (stmt.ast as any)?.AlterTableStmt;
      if (!alter) return;
      const table = tableName(alter.relation);
      if (!table) return;
      for (const item of alterCmds(stmt)) {
        const { cmd } = item;
        if (cmd.subtype !== 'AT_SetNotNull' || typeof cmd.name !== 'string') continue;
        if (!context.isExistingTable(table, stmt.index)) continue;
        const column = cmd.name;
        const checks = provingChecks(tableKeyOf(alter.relation), column, stmt.index);
        if (checks.some((c) => c.validated)) continue;
        const pending = checks.find((c) => c.name);
        if (pending) context.report({ messageId: 'notValidated', span: item.span, data: { table, column, constraint: pending.name! } });
        else context.report({ messageId: 'scan', span: item.span, data: { table, column } });
      }
    });
  },
});
