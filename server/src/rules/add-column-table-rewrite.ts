import { defineRule } from '../engine/rule';
import { canonicalTypeName, SERIAL_TYPES } from '../sql/type-name';
import { funcName } from './lib/ast';
import { columnConstraints, columnsAddedToExistingTable } from './lib/migration-ast';
import { statementsWith } from './lib/statements-with';

/** Volatile functions: a default that calls one is evaluated per row, so PostgreSQL rewrites the table. */
const VOLATILE = new Set(['gen_random_uuid', 'uuid_generate_v1', 'uuid_generate_v1mc', 'uuid_generate_v4', 'uuidv4', 'uuidv7', 'random', 'random_normal', 'clock_timestamp', 'timeofday', 'nextval', 'txid_current']);

function volatileCall(expr: unknown, depth = 0): string | undefined {
  if (!expr || typeof expr !== 'object' || depth > 200) return undefined;
  if (Array.isArray(expr)) {
    for (const e of expr) {
      const found = volatileCall(e, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  const call = (expr as any).FuncCall;
  if (call && VOLATILE.has(funcName(call))) return `${funcName(call)}()`;
  for (const v of Object.values(expr)) {
    const found = volatileCall(v, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** Why adding this column rewrites the table, or undefined when PostgreSQL only updates the catalog. */
function rewriteCause(col: any): string | undefined {
  const typeName = String(col?.typeName?.names?.at(-1)?.String?.sval ?? '');
  if (SERIAL_TYPES.has(canonicalTypeName(typeName))) return `the ${typeName} type (a nextval() default per row)`;
  for (const c of columnConstraints(col)) {
    if (c.contype === 'CONSTR_IDENTITY') return 'GENERATED ... AS IDENTITY (a sequence value per row)';
    if (c.contype === 'CONSTR_GENERATED' && c.generated_kind === 's') return 'GENERATED ... STORED (computed and stored for every row)';
    if (c.contype === 'CONSTR_DEFAULT') {
      const call = volatileCall(c.raw_expr);
      if (call) return `the volatile default ${call} (evaluated for every row)`;
    }
  }
  return undefined;
}

export default defineRule({
  meta: {
    id: 'add-column-table-rewrite',
    category: 'migration',
    severity: 'warning',
    description: 'ADD COLUMN with a volatile default, serial, identity or stored generated column, which rewrites the whole existing table.',
    rationale:
      'Since PostgreSQL 11, `ADD COLUMN ... DEFAULT <constant>` only touches the catalog: `DEFAULT 0` and `DEFAULT now()` do not rewrite the table (*verified*; `now()` stamps every existing row with the migration\'s time). A volatile default (`gen_random_uuid()`, `random()`, `clock_timestamp()`, `nextval()`), a serial or identity column, or a `GENERATED ... STORED` column must compute a value per row, so PostgreSQL rewrites the table under an ACCESS EXCLUSIVE lock (*verified* for gen_random_uuid, bigserial and stored generated columns): on a large payments table, every read and write waits for the copy. Add the column without a default, `SET DEFAULT` for new rows, and backfill existing rows in batches.',
    messages: {
      rewrite:
        'ADD COLUMN {{column}} on the existing table {{table}} rewrites the whole table because of {{cause}}, holding an ACCESS EXCLUSIVE lock: every read and write on {{table}} waits for the copy. Add {{column}} without it, then ALTER COLUMN {{column}} SET DEFAULT for new rows and backfill existing rows in batches.',
    },
    fix: 'none',
    languages: ['sql'],
    examples: {
      incorrect: [{ code: 'ALTER TABLE payments ADD COLUMN idempotency_key uuid DEFAULT gen_random_uuid();' }],
      correct: [
        { code: 'ALTER TABLE payments ADD COLUMN idempotency_key uuid;\nALTER TABLE payments ALTER COLUMN idempotency_key SET DEFAULT gen_random_uuid();' },
        { code: 'ALTER TABLE payments ADD COLUMN refunded_minor bigint NOT NULL DEFAULT 0;' },
      ],
    },
  },
  scope: 'file',
  stateless: true,
  // Reads only its ALTER TABLE statement and whether the table existed before it (the file's
  // schema-changing statements and the schema): findings reused while they are unchanged.
  cache: 'statement',
  create(context) {
    return statementsWith(['AlterTableStmt'], (stmt) => {
      for (const { table, col, span } of columnsAddedToExistingTable(stmt, context.isExistingTable)) {
        const cause = rewriteCause(col);
        if (!cause) continue;
        context.report({ messageId: 'rewrite', span, data: { table, column: String(col?.colname ?? ''), cause } });
      }
    });
  },
});
