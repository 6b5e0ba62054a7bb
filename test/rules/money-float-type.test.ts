import rule from '../../server/src/rules/money-float-type';
import { ruleTester } from '../lib/rule-tester';
import { tsRuleTester } from '../lib/ts-rule-tester';

ruleTester(rule, {
  valid: [
    'CREATE TABLE payments (id bigint PRIMARY KEY, amount numeric(19,4) NOT NULL)',
    'CREATE TABLE sensors (id bigint PRIMARY KEY, temperature double precision)',
    'CREATE TABLE stats (id bigint, amount_count real)',
    'SELECT latitude::float8 FROM stores',
    { code: 'CREATE TABLE metrics (score real)', name: 'not money, not a financial table' },
    { code: 'CREATE TABLE pricing_plans (id bigint, percentage_fee double precision, fee_bps real)', name: 'a percentage fee is a rate, not an amount' },
    { code: 'CREATE TABLE t (amount real)', config: { vocabulary: { moneyColumns: ['price'] } }, name: 'vocabulary replaced' },
  ],
  invalid: [
    {
      code: 'CREATE TABLE payments (\n  id bigint PRIMARY KEY,\n  amount double precision NOT NULL\n);',
      errors: [{ messageId: 'column', line: 3, column: 3, endLine: 3, endColumn: 26, includes: ['payments.amount', 'double precision'] }],
      output: 'CREATE TABLE payments (\n  id bigint PRIMARY KEY,\n  amount numeric(19,4) NOT NULL\n);',
    },
    {
      name: 'any column of a financial table; emoji before it keeps columns right',
      code: "-- 💸 ledger\nCREATE TABLE wallet_transactions (id bigint, fx_rate float4);",
      errors: [{ messageId: 'column', line: 2, column: 46, includes: 'wallet_transactions' }],
      output: "-- 💸 ledger\nCREATE TABLE wallet_transactions (id bigint, fx_rate numeric(19,4));",
    },
    {
      name: 'ALTER TABLE ADD COLUMN, camelCase, float(n)',
      code: 'ALTER TABLE invoices ADD COLUMN "totalAmount" float(53);',
      errors: [{ messageId: 'column', line: 1, column: 33 }],
      output: 'ALTER TABLE invoices ADD COLUMN "totalAmount" numeric(19,4);',
    },
    {
      name: 'vocabulary extended',
      code: 'CREATE TABLE holds (id bigint, hold_value real)',
      config: { vocabulary: { moneyColumns: { add: ['hold_value'] } } },
      errors: [{ messageId: 'column', column: 32 }],
    },
    {
      name: 'cast of a money column',
      code: 'SELECT sum(amount::float8) FROM payments',
      errors: [{ messageId: 'cast', line: 1, column: 12, endColumn: 26 }],
      output: null,
    },
  ],
});

// The same rule on Drizzle schemas: findings on the TypeScript property, fixes that edit the builder.
tsRuleTester(rule, {
  valid: [
    `import { pgTable, real } from 'drizzle-orm/pg-core';
export const sensors = pgTable('sensors', { temperature: real('temperature') });
`,
    `import { real } from './my-builders';
import { pgTable } from 'drizzle-orm/pg-core';
export const payouts = pgTable('payouts', { amount: real('amount') });
`,
    `const pgTable = (n: string, c: object) => c;
const real = (n: string) => n;
export const payouts = pgTable('payouts', { amount: real('amount') });
`,
  ],
  invalid: [
    {
      name: 'named imports; the fix imports numeric',
      code: `import { pgTable, bigint, doublePrecision } from 'drizzle-orm/pg-core';

export const payouts = pgTable('payouts', {
  id: bigint('id', { mode: 'number' }).primaryKey(),
  amount: doublePrecision('amount').notNull(),
});
`,
      errors: [{ messageId: 'column', line: 5, column: 3, endLine: 5, endColumn: 46, includes: ['payouts.amount', 'double precision'] }],
      output: `import { pgTable, bigint, doublePrecision, numeric } from 'drizzle-orm/pg-core';

export const payouts = pgTable('payouts', {
  id: bigint('id', { mode: 'number' }).primaryKey(),
  amount: numeric('amount', { precision: 19, scale: 4 }).notNull(),
});
`,
    },
    {
      name: 'namespace import, columns callback, key as the column name, financial table',
      code: `import * as p from 'drizzle-orm/pg-core';

export const walletTransactions = p.pgTable('wallet_transactions', (t) => ({
  id: t.bigint({ mode: 'number' }).primaryKey(),
  fxRate: t.real(),
}));
`,
      errors: [{ messageId: 'column', line: 5, column: 3, endColumn: 19, includes: 'wallet_transactions.fxRate' }],
      output: `import * as p from 'drizzle-orm/pg-core';

export const walletTransactions = p.pgTable('wallet_transactions', (t) => ({
  id: t.bigint({ mode: 'number' }).primaryKey(),
  fxRate: t.numeric({ precision: 19, scale: 4 }),
}));
`,
    },
  ],
});
