import { defineRule } from '../engine/rule';
import { canonicalTypeName, SERIAL_TYPES } from '../sql/type-name';
import { columnConstraints, columnsAddedToExistingTable } from './lib/migration-ast';
import { statementsWith } from './lib/statements-with';

/** Constraints that fill existing rows with a value, so NOT NULL holds for them. */
const FILLS_ROWS = new Set(['CONSTR_DEFAULT', 'CONSTR_IDENTITY', 'CONSTR_GENERATED']);

export default defineRule({
  meta: {
    id: 'add-column-required',
    category: 'migration',
    severity: 'error',
    description: 'ADD COLUMN ... NOT NULL without a DEFAULT on an existing table, which fails as soon as the table has rows.',
    rationale:
      'Existing rows get NULL in a new column without a default, so `NOT NULL` (or `PRIMARY KEY`) makes the ALTER fail with "column contains null values" on any table that has data: the migration passes on an empty development database and breaks the production deploy. Add the column nullable, backfill it in batches, then add NOT NULL through a validated CHECK (see set-not-null-scan).',
    messages: {
      required:
        'ADD COLUMN {{column}} {{constraint}} without a DEFAULT on the existing table {{table}} fails with "column contains null values" as soon as {{table}} has rows (it passes on an empty dev database and breaks the deploy). Add {{column}} nullable, backfill it in batches, then set NOT NULL through a validated CHECK ({{column}} IS NOT NULL) — or give it a constant DEFAULT.',
    },
    fix: 'none',
    languages: ['sql'],
    examples: {
      incorrect: [{ code: 'ALTER TABLE payments ADD COLUMN currency text NOT NULL;' }],
      correct: [{ code: "ALTER TABLE payments ADD COLUMN currency text NOT NULL DEFAULT 'EUR';" }, { code: 'ALTER TABLE payments ADD COLUMN currency text;' }],
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
        const constraints = columnConstraints(col);
        const required = constraints.find((c) => c.contype === 'CONSTR_NOTNULL' || c.contype === 'CONSTR_PRIMARY') ?? (col?.is_not_null ? { contype: 'CONSTR_NOTNULL' } : undefined);
        if (!required || constraints.some((c) => FILLS_ROWS.has(c.contype))) continue;
        const typeName = String(col?.typeName?.names?.at(-1)?.String?.sval ?? '');
        if (SERIAL_TYPES.has(canonicalTypeName(typeName))) continue;
        context.report({
          messageId: 'required',
          span,
          data: { table, column: String(col?.colname ?? ''), constraint: required.contype === 'CONSTR_PRIMARY' ? 'PRIMARY KEY' : 'NOT NULL' },
        });
      }
    });
  },
});
