import { defineRule } from '../engine/rule';
import { columnRefName } from './lib/ast';
import { alterCmds, tableName } from './lib/migration-ast';

/** Columns that a CHECK expression proves non-null: `col IS NOT NULL`, also inside AND. */
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

/** Columns proven non-null by a CHECK expression as the workspace model keeps it (`(amount IS NOT NULL)`). */
function provenByText(expr: string): string[] {
  const out: string[] = [];
  const re = /(?:^|\(|\band\s+)\s*(?:"((?:[^"]|"")+)"|([A-Za-z_][\w$]*))\s+is\s+not\s+null/gi;
  // Unquoted names fold to lower case, as PostgreSQL folds them.
  for (let m = re.exec(expr); m; m = re.exec(expr)) out.push(m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2].toLowerCase());
  return out;
}

interface CheckState {
  columns: Set<string>;
  validated: boolean;
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
  create(context) {
    /** table -> constraint name (or a generated key) -> what it proves. */
    const checks = new Map<string, Map<string, CheckState>>();
    const proven = (table: string, column: string): boolean => {
      for (const c of checks.get(table)?.values() ?? []) if (c.validated && c.columns.has(column)) return true;
      // Checks validated by earlier migrations (the workspace model); this file's own are tracked above.
      for (const c of context.schema.table(table)?.checks ?? []) {
        if (c.validated && c.source.file !== context.file.path && provenByText(c.expr).includes(column)) return true;
      }
      return false;
    };
    return {
      statement(stmt) {
        const alter = (stmt.ast as any)?.AlterTableStmt;
        if (!alter) return;
        const table = tableName(alter.relation);
        if (!table) return;
        let byName = checks.get(table);
        if (!byName) checks.set(table, (byName = new Map()));
        for (const item of alterCmds(stmt)) {
          const { cmd } = item;
          const con = cmd.def?.Constraint;
          if (cmd.subtype === 'AT_AddConstraint' && con?.contype === 'CONSTR_CHECK') {
            const columns = new Set<string>();
            provenNotNull(con.raw_expr, columns);
            if (columns.size) byName.set(con.conname ?? `#${stmt.index}`, { columns, validated: !con.skip_validation });
          } else if (cmd.subtype === 'AT_ValidateConstraint') {
            const c = byName.get(String(cmd.name));
            if (c) c.validated = true;
          } else if (cmd.subtype === 'AT_DropConstraint') {
            byName.delete(String(cmd.name));
          } else if (cmd.subtype === 'AT_SetNotNull' && typeof cmd.name === 'string') {
            if (!context.isExistingTable(table, stmt.index) || proven(table, cmd.name)) continue;
            context.report({ messageId: 'scan', span: item.span, data: { table, column: cmd.name } });
          }
        }
      },
    };
  },
});
