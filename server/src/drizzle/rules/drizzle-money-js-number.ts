import { moneyWord } from '../../engine/vocabulary';
import { defineDrizzleCheck } from '../check';
import type { DrizzleColumn } from '../schema-types';

const NUMERIC = new Set(['numeric']);

/** Why the column's values reach JavaScript as a float `number`, or undefined. */
function jsNumberReason(c: DrizzleColumn): 'numericMode' | 'bigintMode' | 'typeNumber' | 'customType' | undefined {
  if (NUMERIC.has(c.type.name) && c.mode === 'number') return 'numericMode';
  if (c.type.name === 'int8' && c.mode === 'number') return 'bigintMode';
  if (NUMERIC.has(c.type.name) && c.tsType === 'number') return 'typeNumber';
  if (c.customJsNumber) return 'customType';
  return undefined;
}

export default defineDrizzleCheck({
  meta: {
    id: 'drizzle-money-js-number',
    category: 'money',
    severity: 'warning',
    description: 'A Drizzle money column read into a JavaScript `number` (`numeric({ mode: "number" })`, `bigint({ mode: "number" })`, `$type<number>()`, a customType converting with Number()).',
    rationale:
      'A JavaScript `number` is a binary double: `numeric(19,4)` values such as 0.1 or 1234567.8901 are rounded on the way in, sums drift by fractions of a cent, and above 2^53 (about 90 trillion minor units) integers silently lose digits. The database stores the exact amount, but every calculation in the service uses the approximation. Keep numeric in Drizzle\'s default string mode and use a decimal library, or `bigint({ mode: "bigint" })` for minor units.',
    messages: {
      numericMode:
        '{{table}}.{{column}} is numeric but read with mode: \'number\' (`{{key}}` looks like a money column): amounts become binary floats in JavaScript, so 0.10 is not exact and sums drift by fractions of a cent. Remove mode: \'number\' (strings by default) and compute with a decimal library.',
      bigintMode:
        '{{table}}.{{column}} is bigint but read with mode: \'number\' (`{{key}}` looks like a money column): above 2^53 minor units digits are silently lost, and arithmetic in JavaScript is floating point. Use mode: \'bigint\'.',
      typeNumber:
        '{{table}}.{{column}} is numeric but typed as number with $type<number>() (`{{key}}` looks like a money column): the driver returns a string, and code that treats it as a number converts it to a binary float. Keep the string type and compute with a decimal library.',
      customType:
        '{{table}}.{{column}} uses a customType whose fromDriver converts to a JavaScript number (`{{key}}` looks like a money column): amounts become binary floats. Return a string (or bigint minor units) from fromDriver.',
    },
    fix: 'quickfix',
    languages: ['typescript'],
    examples: {
      incorrect: [
        {
          language: 'typescript',
          code: "import { numeric, pgTable } from 'drizzle-orm/pg-core';\nexport const payments = pgTable('payments', {\n  amount: numeric('amount', { precision: 19, scale: 4, mode: 'number' }).notNull(),\n});",
        },
      ],
      correct: [
        {
          language: 'typescript',
          code: "import { numeric, pgTable } from 'drizzle-orm/pg-core';\nexport const payments = pgTable('payments', {\n  amount: numeric('amount', { precision: 19, scale: 4 }).notNull(),\n});",
        },
      ],
    },
  },
  check(context) {
    for (const table of context.analysis.tables) {
      for (const c of table.columns) {
        const reason = jsNumberReason(c);
        if (!reason || !(moneyWord(c.dbName, context.vocabulary) || moneyWord(c.key, context.vocabulary))) continue;
        const fix =
          reason === 'numericMode' && c.modeRemoval
            ? { title: "Remove mode: 'number' (read amounts as strings)", edits: [{ ...c.modeRemoval, newText: '' }], preferred: true }
            : reason === 'bigintMode' && c.modeValueSpan
              ? { title: "Use mode: 'bigint'", edits: [{ ...c.modeValueSpan, newText: "'bigint'" }], preferred: true }
              : undefined;
        context.report({ messageId: reason, span: c.span, data: { table: table.name, column: c.dbName, key: c.key }, fixes: fix ? [fix] : undefined });
      }
    }
  },
});
