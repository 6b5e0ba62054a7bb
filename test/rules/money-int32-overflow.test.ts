import rule from '../../server/src/rules/money-int32-overflow';
import { ruleTester } from '../lib/rule-tester';
import { tsRuleTester } from '../lib/ts-rule-tester';

ruleTester(rule, {
  valid: [
    'CREATE TABLE payouts (id bigint PRIMARY KEY, amount_minor bigint NOT NULL)',
    { code: 'CREATE TABLE payouts (id serial, payout_id integer, fee_count int, refund_at int4)', name: 'ids, counts and timestamps are not money' },
    { code: 'CREATE TABLE stats (retries smallint, total_items_count integer)', name: 'not money-looking' },
    { code: 'CREATE TABLE payouts (amount numeric(19,4))', name: 'numeric is fine' },
    { code: 'CREATE TABLE t (amount integer)', config: { vocabulary: { moneyColumns: ['price'] } }, name: 'vocabulary replaced' },
    { code: 'CREATE TABLE t (amount_minor integer)', config: { vocabulary: { moneyColumns: { remove: ['amount', 'minor'] } } }, name: 'vocabulary words removed' },
  ],
  invalid: [
    {
      name: 'integer minor units',
      code: 'CREATE TABLE payouts (\n  id bigint PRIMARY KEY,\n  amount_minor integer NOT NULL\n);',
      errors: [{ messageId: 'column', line: 3, column: 3, endLine: 3, endColumn: 23, severity: 'warning', includes: ['payouts.amount_minor', '2,147,483,647', 'USD 21.4M', 'minor units', 'bigint'] }],
      output: 'CREATE TABLE payouts (\n  id bigint PRIMARY KEY,\n  amount_minor bigint NOT NULL\n);',
    },
    {
      name: 'int4 and smallint, quoted camelCase, arrays kept',
      code: 'CREATE TABLE "Wallets" ("totalCents" int4, fee_tiers smallint[])',
      errors: [
        { messageId: 'column', column: 25, endColumn: 42, includes: ['Wallets.totalCents', 'minor units'] },
        { messageId: 'column', column: 44, endColumn: 64, includes: ['32,767', 'fee_tiers'] },
      ],
      output: 'CREATE TABLE "Wallets" ("totalCents" bigint, fee_tiers bigint[])',
    },
    {
      name: 'serial becomes bigserial',
      code: 'CREATE TABLE t (credit serial)',
      errors: [{ messageId: 'column', column: 17, endColumn: 30, includes: 'bigserial' }],
      output: 'CREATE TABLE t (credit bigserial)',
    },
    {
      name: 'ALTER TABLE ADD COLUMN, qualified table, pg_catalog type',
      code: 'ALTER TABLE billing.invoices ADD COLUMN tax_cents pg_catalog.int4 NOT NULL DEFAULT 0;',
      errors: [{ messageId: 'column', line: 1, column: 41, endColumn: 66, includes: 'invoices.tax_cents' }],
      output: 'ALTER TABLE billing.invoices ADD COLUMN tax_cents bigint NOT NULL DEFAULT 0;',
    },
    {
      name: 'ALTER COLUMN ... TYPE integer',
      code: 'ALTER TABLE ledger ALTER COLUMN balance TYPE integer;',
      errors: [{ messageId: 'column', column: 33, endColumn: 53, includes: 'ledger.balance' }],
      output: 'ALTER TABLE ledger ALTER COLUMN balance TYPE bigint;',
    },
    {
      name: 'vocabulary extended',
      code: 'CREATE TABLE holds (hold_value integer)',
      config: { vocabulary: { moneyColumns: { add: ['hold_value'] } } },
      errors: [{ messageId: 'column', column: 21, includes: 'hold_value' }],
      output: 'CREATE TABLE holds (hold_value bigint)',
    },
  ],
});

// The same rule on Drizzle schemas: findings on the TypeScript property, fixes that edit the builder.
tsRuleTester(rule, {
  valid: [
    `import { bigint, integer, pgTable } from 'drizzle-orm/pg-core';
export const payouts = pgTable('payouts', { amountMinor: bigint('amount_minor', { mode: 'bigint' }), attempts: integer('attempts') });
`,
  ],
  invalid: [
    {
      name: 'integer money column; a count is left alone',
      code: `import { integer, pgTable, serial } from 'drizzle-orm/pg-core';

export const payouts = pgTable('payouts', {
  id: serial('id').primaryKey(),
  amountMinor: integer('amount_minor').notNull(),
  retryCount: integer('retry_count').notNull(),
});
`,
      errors: [{ messageId: 'column', line: 5, column: 3, endColumn: 49, includes: 'payouts.amount_minor' }],
      output: `import { integer, pgTable, serial, bigint } from 'drizzle-orm/pg-core';

export const payouts = pgTable('payouts', {
  id: serial('id').primaryKey(),
  amountMinor: bigint('amount_minor', { mode: 'bigint' }).notNull(),
  retryCount: integer('retry_count').notNull(),
});
`,
    },
  ],
});
