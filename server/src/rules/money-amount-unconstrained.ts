import type { ColumnDecl } from '../engine/decls';
import { defineRule } from '../engine/rule';
import type { Fix, TextEdit } from '../engine/types';
import { financialWord, isLedgerTable, moneyWord } from '../engine/vocabulary';
import type { TableModel } from '../model/schema';
import { snakeCase } from './lib/identifiers';
import { checkConstraintName, checkNameStyle, statementAt, FrontEndTables } from './lib/schema-edits';
import { ownSpan, ownTables, qualifiedName, quoteIdent } from './lib/schema-workspace';
import { judgeTables } from './lib/per-table-findings';

const NUMERIC_TYPES = new Set(['numeric', 'int2', 'int4', 'int8', 'float4', 'float8', 'money']);
/** Words for amounts that may legitimately be zero (a free transfer has no fee). */
const MAY_BE_ZERO = new Set(['fee', 'tax', 'vat', 'commission', 'interest', 'cost', 'balance', 'limit']);

export default defineRule({
  meta: {
    id: 'money-amount-unconstrained',
    category: 'money',
    severity: 'warning',
    description: 'A money column of a financial table that may be NULL, or that no CHECK constraint bounds.',
    rationale:
      'A NULL amount is not zero: `sum()` skips it, `amount > 0` is neither true nor false, and the row disappears from reconciliations without an error. An amount with no CHECK accepts a negative payment or refund, which silently reverses the money flow. Both mistakes come from application bugs, and the database is the last place that can refuse them. Declare money columns NOT NULL with a CHECK that states the sign the business expects (`> 0` for payments, `<> 0` for signed ledger entries, `>= 0` for fees). Bare `numeric` (no precision and scale) accepts any number of decimals, so sub-cent values creep in. On a Drizzle `pgTable` the quick fix adds `.notNull()` and a named `check()` (named like the workspace\'s other checks, or as PostgreSQL names the SQL fix\'s CHECK) to the table\'s extra config.',
    messages: {
      nullableUnchecked:
        '`{{column}}` looks like a money column and {{table}}.{{column}} is nullable with no CHECK in any migration: a NULL amount drops out of sum() and reconciliations without an error, and a negative value silently reverses the payment. Declare it NOT NULL with a CHECK on its sign (e.g. {{check}}; in Drizzle, .notNull() and a check() in the table\'s extra config).',
      nullable:
        '`{{column}}` looks like a money column and {{table}}.{{column}} is nullable: a NULL amount drops out of sum() and reconciliations without an error. Declare it NOT NULL.',
      unchecked:
        '`{{column}}` looks like a money column and no CHECK constrains {{table}}.{{column}} in any migration: a negative or zero value from an application bug is stored and silently reverses the money flow. Add a CHECK on its sign (e.g. {{check}}; in Drizzle, a check() in the table\'s extra config).',
      bareNumeric:
        '`{{column}}` looks like a money column typed bare numeric: {{table}}.{{column}} accepts any number of decimals, so sub-cent amounts creep in and totals stop matching statements. Give it a precision and scale, e.g. numeric(19,4).',
    },
    fix: 'suggestion',
    languages: ['sql', 'typescript'],
    examples: {
      incorrect: [
        { code: 'CREATE TABLE payments (id bigint PRIMARY KEY, amount_minor bigint);' },
        {
          language: 'typescript',
          code: "import { bigint, pgTable } from 'drizzle-orm/pg-core';\nexport const payments = pgTable('payments', {\n  id: bigint('id', { mode: 'number' }).primaryKey(),\n  amountMinor: bigint('amount_minor', { mode: 'number' }),\n});",
        },
      ],
      correct: [
        { code: 'CREATE TABLE payments (id bigint PRIMARY KEY, amount_minor bigint NOT NULL CHECK (amount_minor > 0));' },
        {
          language: 'typescript',
          code: "import { sql } from 'drizzle-orm';\nimport { bigint, check, pgTable } from 'drizzle-orm/pg-core';\nexport const payments = pgTable('payments', {\n  id: bigint('id', { mode: 'number' }).primaryKey(),\n  amountMinor: bigint('amount_minor', { mode: 'number' }).notNull(),\n}, (t) => [check('payments_amount_minor_check', sql`${t.amountMinor} > 0`)]);",
        },
      ],
    },
  },
  scope: 'file',
  // Reports only on columns and tables this file declares, from the schema: reused while its DDL is unchanged.
  cache: 'file',
  stateless: true,
  create(context) {
    // Kept for the run and emptied for each file (startFile).
    const frontEnd = new FrontEndTables();
    const columnDecls = new Map<string, ColumnDecl>();
    return {
      startFile() {
        frontEnd.clear();
        columnDecls.clear();
      },
      table: frontEnd.collect,
      column(decl) {
        if (decl.constrain) columnDecls.set(`${decl.table}.${decl.name}`, decl);
      },
      endFile() {
        // Drizzle fixes read columnDecls and the schema's check names: judged whole (reusable: false).
        judgeTables(context, ownTables(context), { tableOf: (t: TableModel) => t, reusable: frontEnd.isEmpty() }, (table, report) => {
          const financial = !!financialWord(table.name, context.vocabulary);
          for (const column of table.columns.values()) {
            const span = ownSpan(context, column.source);
            const word = span && NUMERIC_TYPES.has(column.type.name) ? moneyWord(column.name, context.vocabulary) : undefined;
            if (!span || !word || column.generated) continue;
            const sign = signFor(table, word, context.vocabulary);
            const data = { table: qualifiedName(table), column: column.name, check: `(${quoteIdent(column.name)} ${sign})` };
            if (column.type.name === 'numeric' && column.type.mods.length === 0) {
              report({ messageId: 'bareNumeric', span, data, severity: 'hint' });
            }
            if (!financial) continue;
            const checked = table.checks.some((c) => c.columns.includes(column.name));
            if (checked && column.notNull) continue;
            const messageId = !checked && !column.notNull ? 'nullableUnchecked' : column.notNull ? 'unchecked' : 'nullable';
            const added = `${column.notNull ? '' : ' NOT NULL'}${checked ? '' : ` CHECK ${data.check}`}`;
            const title = `Constrain ${table.name}.${column.name}:${added}`;
            // The right sign is a business decision: offered, not applied by "fix all".
            let edits: TextEdit[] | undefined;
            const drizzle = frontEnd.get(table.name);
            if (drizzle?.edits) {
              // Drizzle: `.notNull()` on the column and a named `check()` in the table's extra config; the
              // name is ours to choose, so it is snake_case even for a camelCase key-derived column.
              const notNull = column.notNull ? [] : [columnDecls.get(`${table.name}.${column.name}`)?.constrain?.('not null')];
              const check = checked ? [] : drizzle.edits.addCheck(checkConstraintName(snakeCase(table.name), snakeCase(column.name), table.checks.map((c) => c.name), checkNameStyle(context.schema)), column.name, sign) ?? [undefined];
              const all = [...notNull, ...check];
              if (all.every((e) => e !== undefined)) edits = all as TextEdit[];
            } else if (table.created?.file === context.file.path && statementAt(context, span)) {
              // SQL: only where the column was declared by a statement of this file.
              edits = [{ start: span.end, end: span.end, newText: added }];
            }
            const fixes: Fix[] | undefined = edits?.length ? [{ title, edits }] : undefined;
            report({ messageId, span, data, fixes });
          }
        });
      },
    };
  },
});

/** The sign a CHECK should state: signed ledger entries are non-zero, fees may be zero, payments are positive. */
function signFor(table: TableModel, word: string, vocabulary: Parameters<typeof isLedgerTable>[1]): string {
  if (isLedgerTable(table.name, vocabulary)) return '<> 0';
  return MAY_BE_ZERO.has(word) ? '>= 0' : '> 0';
}
