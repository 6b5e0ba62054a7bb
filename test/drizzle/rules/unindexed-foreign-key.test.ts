// unindexed-foreign-key on Drizzle schemas: the SQL rule through the neutral declarations, and its
// quick fix adding `index('...').on(t.col)` in the extra config form the file already uses.
import rule from '../../../server/src/rules/unindexed-foreign-key';
import { tsRuleTester } from '../../lib/ts-rule-tester';

const HEAD = "import { bigint, index, pgTable } from 'drizzle-orm/pg-core';\nimport { accounts } from './accounts';\n";
const FK = "  accountId: bigint('account_id', { mode: 'number' }).notNull().references(() => accounts.id, { onDelete: 'restrict' }),\n";
const ID = "  id: bigint('id', { mode: 'number' }).primaryKey(),\n";

tsRuleTester(rule, {
  valid: [
    { name: 'index in the array form', code: `${HEAD}export const payments = pgTable('payments', {\n${ID}${FK}}, (t) => [index('payments_account_idx').on(t.accountId)]);\n` },
    { name: 'index in the object form', code: `${HEAD}export const payments = pgTable('payments', {\n${ID}${FK}}, (t) => ({ byAccount: index('payments_account_idx').on(t.accountId) }));\n` },
    {
      name: 'leading column of a composite unique index',
      code: `import { bigint, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';\nimport { accounts } from './accounts';\nexport const payments = pgTable('payments', {\n${ID}${FK}  key: text('key').notNull(),\n}, (t) => [uniqueIndex('payments_account_key').on(t.accountId, t.key)]);\n`,
    },
  ],
  invalid: [
    {
      name: 'array form over several lines, with a trailing comma',
      code: `${HEAD}export const payments = pgTable(\n  'payments',\n  {\n  ${ID}  ${FK}  },\n  (t) => [\n    index('payments_id_idx').on(t.id),\n  ],\n);\n`,
      errors: [{ messageId: 'unindexed', line: 7, column: 67, includes: ['payments (account_id)', '-> accounts'] }],
      output: `${HEAD}export const payments = pgTable(\n  'payments',\n  {\n  ${ID}  ${FK}  },\n  (t) => [\n    index('payments_id_idx').on(t.id),\n    index('payments_account_id_idx').on(t.accountId),\n  ],\n);\n`,
    },
    {
      name: 'array form on one line',
      code: `${HEAD}export const payments = pgTable('payments', {\n${ID}${FK}}, (table) => [index('payments_id_idx').on(table.id)]);\n`,
      errors: [{ messageId: 'unindexed', line: 5 }],
      output: `${HEAD}export const payments = pgTable('payments', {\n${ID}${FK}}, (table) => [index('payments_id_idx').on(table.id), index('payments_account_id_idx').on(table.accountId)]);\n`,
    },
    {
      name: 'the older object form gets a named property',
      code: `${HEAD}export const payments = pgTable('payments', {\n${ID}${FK}}, (t) => ({\n  byId: index('payments_id_idx').on(t.id),\n}));\n`,
      errors: [{ messageId: 'unindexed', line: 5 }],
      output: `${HEAD}export const payments = pgTable('payments', {\n${ID}${FK}}, (t) => ({\n  byId: index('payments_id_idx').on(t.id),\n  paymentsAccountIdIdx: index('payments_account_id_idx').on(t.accountId),\n}));\n`,
    },
    {
      name: 'no extra config: one is created, and index is imported',
      code: `import { bigint, pgTable } from 'drizzle-orm/pg-core';\nimport { accounts } from './accounts';\nexport const payments = pgTable('payments', {\n${ID}${FK}});\n`,
      errors: [{ messageId: 'unindexed', line: 5 }],
      output: `import { bigint, pgTable, index } from 'drizzle-orm/pg-core';\nimport { accounts } from './accounts';\nexport const payments = pgTable('payments', {\n${ID}${FK}}, (t) => [index('payments_account_id_idx').on(t.accountId)]);\n`,
    },
    {
      name: 'namespace import: the index is qualified, nothing to import',
      code: `import * as p from 'drizzle-orm/pg-core';\nimport { accounts } from './accounts';\nexport const payments = p.pgTable('payments', {\n  id: p.bigint('id', { mode: 'number' }).primaryKey(),\n  accountId: p.bigint('account_id', { mode: 'number' }).references(() => accounts.id, { onDelete: 'restrict' }),\n});\n`,
      errors: [{ messageId: 'unindexed', line: 5 }],
      output: `import * as p from 'drizzle-orm/pg-core';\nimport { accounts } from './accounts';\nexport const payments = p.pgTable('payments', {\n  id: p.bigint('id', { mode: 'number' }).primaryKey(),\n  accountId: p.bigint('account_id', { mode: 'number' }).references(() => accounts.id, { onDelete: 'restrict' }),\n}, (t) => [p.index('payments_account_id_idx').on(t.accountId)]);\n`,
    },
    {
      name: 'composite foreignKey() in the extra config; a partial index does not count',
      code: `import { bigint, foreignKey, index, pgTable } from 'drizzle-orm/pg-core';\nimport { sql } from 'drizzle-orm';\nexport const entries = pgTable('entries', {\n  id: bigint('id', { mode: 'number' }).primaryKey(),\n  accountId: bigint('account_id', { mode: 'number' }).notNull(),\n  bookId: bigint('book_id', { mode: 'number' }).notNull(),\n}, (t) => [\n  index('entries_account_open_idx').on(t.accountId, t.bookId).where(sql\`true\`),\n  foreignKey({ columns: [t.accountId, t.bookId], foreignColumns: [t.id, t.id] }).onDelete('restrict'),\n]);\n`,
      errors: [{ messageId: 'unindexed', line: 9, column: 3, includes: 'entries (account_id, book_id)' }],
      output: `import { bigint, foreignKey, index, pgTable } from 'drizzle-orm/pg-core';\nimport { sql } from 'drizzle-orm';\nexport const entries = pgTable('entries', {\n  id: bigint('id', { mode: 'number' }).primaryKey(),\n  accountId: bigint('account_id', { mode: 'number' }).notNull(),\n  bookId: bigint('book_id', { mode: 'number' }).notNull(),\n}, (t) => [\n  index('entries_account_open_idx').on(t.accountId, t.bookId).where(sql\`true\`),\n  foreignKey({ columns: [t.accountId, t.bookId], foreignColumns: [t.id, t.id] }).onDelete('restrict'),\n  index('entries_account_id_book_id_idx').on(t.accountId, t.bookId),\n]);\n`,
    },
  ],
});
