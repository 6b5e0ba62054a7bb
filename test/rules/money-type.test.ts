import rule from '../../server/src/rules/money-type';
import { ruleTester } from '../lib/rule-tester';
import { tsRuleTester } from '../lib/ts-rule-tester';

ruleTester(rule, {
  valid: [
    'CREATE TABLE invoices (id bigint PRIMARY KEY, total numeric(19,4) NOT NULL)',
    'CREATE TABLE invoices (id bigint, money_reason text, total_money_minor bigint)',
    'SELECT amount::numeric(19,4) FROM payments',
    'CREATE DOMAIN amount_minor AS bigint CHECK (VALUE >= 0)',
    { code: 'CREATE TABLE t (total money)', config: { rules: { 'money-type': 'off' } }, name: 'rule turned off' },
  ],
  invalid: [
    {
      name: 'column, with exact anchor over name and type',
      code: 'CREATE TABLE invoices (\n  id bigint PRIMARY KEY,\n  total money NOT NULL\n);',
      errors: [{ messageId: 'column', line: 3, column: 3, endLine: 3, endColumn: 14, severity: 'error', includes: ['invoices.total', 'numeric(19,4)', 'currency'] }],
      output: 'CREATE TABLE invoices (\n  id bigint PRIMARY KEY,\n  total numeric(19,4) NOT NULL\n);',
    },
    {
      name: 'quoted names, qualified type, array kept',
      code: 'CREATE TABLE public."Fees" ("feeTiers" pg_catalog.money[] NOT NULL)',
      errors: [{ messageId: 'column', line: 1, column: 29, endColumn: 58, includes: 'Fees.feeTiers' }],
      output: 'CREATE TABLE public."Fees" ("feeTiers" numeric(19,4)[] NOT NULL)',
    },
    {
      name: 'ALTER TABLE ADD COLUMN (not a money-looking name: the type alone is enough)',
      code: 'ALTER TABLE orders ADD COLUMN shipping money DEFAULT 0;',
      errors: [{ messageId: 'column', line: 1, column: 31, endColumn: 45, includes: 'orders.shipping' }],
      output: 'ALTER TABLE orders ADD COLUMN shipping numeric(19,4) DEFAULT 0;',
    },
    {
      name: 'ALTER COLUMN ... TYPE money',
      code: 'ALTER TABLE orders ALTER COLUMN total TYPE money USING total::money;',
      errors: [
        { messageId: 'column', column: 33, endColumn: 49, includes: 'orders.total' },
        { messageId: 'cast', column: 56, endColumn: 68 },
      ],
      output: 'ALTER TABLE orders ALTER COLUMN total TYPE numeric(19,4) USING total::money;',
    },
    {
      name: 'casts: :: and CAST(), no fix',
      code: "SELECT '12.34'::money, CAST(amount AS money) FROM payments",
      errors: [
        { messageId: 'cast', column: 8, endColumn: 22 },
        { messageId: 'cast', column: 24, endColumn: 45 },
      ],
      output: null,
    },
    {
      name: 'domain',
      code: 'CREATE DOMAIN price_t AS money CHECK (VALUE > 0::money);',
      errors: [
        { messageId: 'domain', column: 15, endColumn: 31, includes: 'price_t' },
        { messageId: 'cast', column: 47, endColumn: 55 },
      ],
      output: 'CREATE DOMAIN price_t AS numeric(19,4) CHECK (VALUE > 0::money);',
    },
    {
      name: 'function signature: reported, never rewritten (it would create an overload)',
      code: "CREATE FUNCTION add_fee(a money) RETURNS money LANGUAGE sql AS 'SELECT a * 1.02';",
      errors: [
        { messageId: 'signature', column: 25, endColumn: 32, includes: 'add_fee(a)' },
        { messageId: 'signature', column: 42, endColumn: 47, includes: 'add_fee' },
      ],
      output: null,
    },
    {
      name: 'composite type column',
      code: 'CREATE TYPE line_item AS (sku text, price money);',
      errors: [{ messageId: 'column', column: 37, endColumn: 48, includes: 'line_item.price' }],
      output: 'CREATE TYPE line_item AS (sku text, price numeric(19,4));',
    },
    {
      name: 'configured severity wins',
      code: 'CREATE TABLE t (total money)',
      config: { rules: { 'money-type': 'warning' } },
      errors: [{ messageId: 'column', severity: 'warning' }],
    },
  ],
});

// The same rule on Drizzle schemas: findings on the TypeScript property, fixes that edit the builder.
tsRuleTester(rule, {
  valid: [
    `import { numeric, pgTable } from 'drizzle-orm/pg-core';
export const invoices = pgTable('invoices', { total: numeric('total', { precision: 19, scale: 4 }) });
`,
  ],
  invalid: [
    {
      name: 'customType whose dataType() is money',
      code: `import { customType, pgTable, text } from 'drizzle-orm/pg-core';

const money = customType<{ data: string }>({
  dataType() {
    return 'money';
  },
});

export const invoices = pgTable('invoices', {
  id: text('id').primaryKey(),
  total: money('total').notNull(),
});
`,
      errors: [{ messageId: 'column', line: 11, column: 3, endColumn: 34, includes: 'invoices.total' }],
      output: `import { customType, pgTable, text, numeric } from 'drizzle-orm/pg-core';

const money = customType<{ data: string }>({
  dataType() {
    return 'money';
  },
});

export const invoices = pgTable('invoices', {
  id: text('id').primaryKey(),
  total: numeric('total', { precision: 19, scale: 4 }).notNull(),
});
`,
    },
  ],
});
