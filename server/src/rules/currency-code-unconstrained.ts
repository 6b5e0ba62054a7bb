import { defineRule } from '../engine/rule';
import type { Fix } from '../engine/types';
import { financialWord, moneyWord, wordsOf } from '../engine/vocabulary';
import type { ColumnModel, TableModel } from '../model/schema';
import { snakeCase } from './lib/identifiers';
import { checkConstraintName, checkNameStyle, statementAt, FrontEndTables } from './lib/schema-edits';
import { ownSpan, ownTables, qualifiedName, quoteIdent } from './lib/schema-workspace';
import { judgeTables } from './lib/per-table-findings';

/** Three upper-case letters: what the CHECK requires of a currency code (ISO 4217 alphabetic). */
const ISO_CODE = "~ '^[A-Z]{3}$'";

function isCurrencyColumn(name: string): boolean {
  const words = wordsOf(name);
  const last = words[words.length - 1];
  return last === 'currency' || last === 'ccy' || (last === 'code' && (words[words.length - 2] === 'currency' || words[words.length - 2] === 'ccy'));
}

function constrained(table: TableModel, column: ColumnModel): boolean {
  return table.checks.some((c) => c.columns.includes(column.name)) || table.foreignKeys.some((f) => f.columns.includes(column.name));
}

export default defineRule({
  meta: {
    id: 'currency-code-unconstrained',
    category: 'money',
    severity: 'warning',
    description: 'A currency column with no CHECK and no foreign key, or a financial table with amounts but no currency.',
    rationale:
      'An amount means nothing without its currency, and a currency column that accepts any text accepts `usd`, `US`, `EURO` and empty strings: conversions and per-currency totals then split or drop money silently. `char(3)` does not help: `\'US\'::char(3)` is accepted and padded (*verified*). Constrain the code with `CHECK (currency ~ \'^[A-Z]{3}$\')`, or reference a `currencies (code)` table that also holds the minor-unit exponent. On a Drizzle `pgTable` the quick fix adds the same CHECK as a named `check()` to the table\'s extra config.',
    messages: {
      unconstrained:
        '{{table}}.{{column}} holds a currency code but no CHECK or foreign key constrains it in any migration: `usd`, `US` or an empty string are stored, and per-currency totals and conversions silently split or drop that money. Add CHECK ({{column}} ~ \'^[A-Z]{3}$\') (in Drizzle, a check() in the table\'s extra config) or a foreign key to a currencies table.',
      char3:
        '{{table}}.{{column}} is char(3) with no CHECK or foreign key in any migration: char(3) accepts \'US\' and pads it to \'US \', and accepts lower case, so invalid codes reach per-currency totals. Add CHECK ({{column}} ~ \'^[A-Z]{3}$\') (and prefer text).',
      missingCurrency:
        '{{table}} stores amounts ({{amount}}) but has no currency column: an amount without its currency cannot be converted, reported or reconciled once a second currency appears. Add `currency text NOT NULL CHECK (currency ~ \'^[A-Z]{3}$\')` (or state in a comment that the currency lives on a parent row).',
    },
    fix: 'quickfix',
    languages: ['sql', 'typescript'],
    examples: {
      incorrect: [
        { code: 'CREATE TABLE payments (id bigint PRIMARY KEY, amount_minor bigint NOT NULL, currency text NOT NULL);' },
        {
          language: 'typescript',
          code: "import { bigint, pgTable, text } from 'drizzle-orm/pg-core';\nexport const payments = pgTable('payments', {\n  id: bigint('id', { mode: 'number' }).primaryKey(),\n  amountMinor: bigint('amount_minor', { mode: 'number' }).notNull(),\n  currency: text('currency').notNull(),\n});",
        },
      ],
      correct: [
        { code: "CREATE TABLE payments (id bigint PRIMARY KEY, amount_minor bigint NOT NULL, currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'));" },
        {
          language: 'typescript',
          code: "import { sql } from 'drizzle-orm';\nimport { bigint, check, pgTable, text } from 'drizzle-orm/pg-core';\nexport const payments = pgTable('payments', {\n  id: bigint('id', { mode: 'number' }).primaryKey(),\n  amountMinor: bigint('amount_minor', { mode: 'number' }).notNull(),\n  currency: text('currency').notNull(),\n}, (t) => [check('payments_currency_check', sql`${t.currency} ~ '^[A-Z]{3}$'`)]);",
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
    return {
      startFile: () => frontEnd.clear(),
      table: frontEnd.collect,
      endFile() {
        // Drizzle fixes read the schema's check names: judged whole there (reusable: false).
        judgeTables(context, ownTables(context), { tableOf: (t: TableModel) => t, reusable: frontEnd.isEmpty() }, (table, report) => {
          const columns = [...table.columns.values()];
          for (const column of columns) {
            const span = ownSpan(context, column.source);
            if (!span || !isCurrencyColumn(column.name) || constrained(table, column)) continue;
            const char3 = column.type.name === 'bpchar' && column.type.mods[0] === 3;
            const title = `Constrain ${table.name}.${column.name} to ISO 4217 codes`;
            // Drizzle needs a name: ours to choose, so snake_case even for a camelCase key-derived column.
            const drizzle = frontEnd.get(table.name)?.edits;
            const edits = drizzle
              ? drizzle.addCheck(checkConstraintName(snakeCase(table.name), snakeCase(column.name), table.checks.map((c) => c.name), checkNameStyle(context.schema)), column.name, ISO_CODE)
              : // SQL: only where the column was declared by a statement of this file.
                table.created?.file === context.file.path && statementAt(context, span)
                ? [{ start: span.end, end: span.end, newText: ` CHECK (${quoteIdent(column.name)} ${ISO_CODE})` }]
                : undefined;
            const fixes: Fix[] | undefined = edits ? [{ title, edits, preferred: true }] : undefined;
            report({ messageId: char3 ? 'char3' : 'unconstrained', span, data: { table: qualifiedName(table), column: column.name }, fixes });
          }
          const nameSpan = ownSpan(context, table.nameSpan);
          if (!nameSpan || table.temporary || table.partitionOf || !financialWord(table.name, context.vocabulary)) return;
          if (columns.some((c) => isCurrencyColumn(c.name))) return;
          const amount = columns.find((c) => moneyWord(c.name, context.vocabulary));
          if (amount) report({ messageId: 'missingCurrency', span: nameSpan, severity: 'info', data: { table: qualifiedName(table), amount: amount.name } });
        });
      },
    };
  },
});
