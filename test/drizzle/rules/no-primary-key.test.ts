// no-primary-key on Drizzle schemas: `.primaryKey()` on a column or primaryKey() in the extra config.
import rule from '../../../server/src/rules/no-primary-key';
import { tsRuleTester } from '../../lib/ts-rule-tester';

const HEAD = "import { bigint, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';\n";

tsRuleTester(rule, {
  valid: [
    { name: '.primaryKey() on a column', code: `${HEAD}export const fees = pgTable('fees', { id: bigint('id', { mode: 'number' }).primaryKey() });\n` },
    {
      name: 'composite primaryKey() in the extra config',
      code: `${HEAD}export const rates = pgTable('rates', {\n  base: text('base').notNull(),\n  quote: text('quote').notNull(),\n}, (t) => [primaryKey({ columns: [t.base, t.quote] })]);\n`,
    },
  ],
  invalid: [
    {
      name: 'no key and no id: an identity id column is added first',
      code: `${HEAD}export const rates = pgTable('rates', {\n  base: text('base').notNull(),\n  quote: text('quote').notNull(),\n});\n`,
      errors: [{ messageId: 'missing', line: 2, column: 30, endColumn: 37, includes: 'rates has no primary key' }],
      output: `${HEAD}export const rates = pgTable('rates', {\n  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),\n  base: text('base').notNull(),\n  quote: text('quote').notNull(),\n});\n`,
    },
    {
      name: 'an id column without .primaryKey(): it becomes the key; bigint is imported when missing',
      code: "import { pgTable, text } from 'drizzle-orm/pg-core';\nexport const rates = pgTable('rates', { id: text('id').notNull(), base: text('base') });\n",
      errors: [{ messageId: 'missing', line: 2 }],
      output: "import { pgTable, text } from 'drizzle-orm/pg-core';\nexport const rates = pgTable('rates', { id: text('id').notNull().primaryKey(), base: text('base') });\n",
    },
    {
      name: 'one-line columns without id: bigint is imported',
      code: "import { pgTable, text } from 'drizzle-orm/pg-core';\nexport const rates = pgTable('rates', { base: text('base') });\n",
      errors: [{ messageId: 'missing', line: 2 }],
      output: "import { pgTable, text, bigint } from 'drizzle-orm/pg-core';\nexport const rates = pgTable('rates', { id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(), base: text('base') });\n",
    },
  ],
});
