import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  doublePrecision,
  index,
  integer,
  numeric,
  pgPolicy,
  pgTable,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

// Tenancy is enforced in the database: the request middleware runs
// `select set_config('app.tenant_id', $1, true)` at the start of each transaction.
const currentTenant = sql`(select current_setting('app.tenant_id')::bigint)`;

export const currencies = pgTable(
  'currencies',
  {
    code: text('code').primaryKey(),
    decimals: bigint('decimals', { mode: 'number' }).notNull(),
    name: text('name').notNull(),
  },
  (t) => [check('currencies_code_check', sql`${t.code} ~ '^[A-Z]{3}$'`)],
);

export const merchants = pgTable(
  'merchants',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    legalName: text('legal_name').notNull(),
    countryCode: text('country_code').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('merchants_country_code_check', sql`${t.countryCode} ~ '^[A-Z]{2}$'`)],
);

export const accounts = pgTable(
  'accounts',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    merchantId: bigint('merchant_id', { mode: 'number' })
      .notNull()
      .references(() => merchants.id, { onDelete: 'restrict' }),
    code: text('code').notNull(),
    currency: text('currency')
      .notNull()
      .references(() => currencies.code, { onDelete: 'restrict' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('accounts_merchant_id_code_key').on(t.merchantId, t.code),
    index('accounts_currency_idx').on(t.currency),
    pgPolicy('accounts_tenant_isolation', {
      for: 'all',
      using: sql`${t.merchantId} = ${currentTenant}`,
      withCheck: sql`${t.merchantId} = ${currentTenant}`,
    }),
  ],
);

// Balances are bigint minor units, read as JS bigint so no cent is ever rounded.
export const wallets = pgTable(
  'wallets',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    merchantId: bigint('merchant_id', { mode: 'number' })
      .notNull()
      .references(() => merchants.id, { onDelete: 'restrict' }),
    accountId: bigint('account_id', { mode: 'number' })
      .notNull()
      .references(() => accounts.id, { onDelete: 'restrict' }),
    currency: text('currency')
      .notNull()
      .references(() => currencies.code, { onDelete: 'restrict' }),
    balance: bigint('balance', { mode: 'bigint' }).notNull().default(sql`0`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('wallets_balance_check', sql`${t.balance} >= 0`),
    index('wallets_merchant_id_idx').on(t.merchantId),
    index('wallets_account_id_idx').on(t.accountId),
    index('wallets_currency_idx').on(t.currency),
    pgPolicy('wallets_tenant_isolation', {
      for: 'all',
      using: sql`${t.merchantId} = ${currentTenant}`,
      withCheck: sql`${t.merchantId} = ${currentTenant}`,
    }),
  ],
);

export const payouts = pgTable('payouts', {
  id: serial('id').primaryKey(),
  merchantId: bigint('merchant_id', { mode: 'number' })
    .notNull()
    .references(() => merchants.id),
  amount: doublePrecision('amount').notNull(),
  currency: text('currency').notNull(),
  status: text('status').notNull().default('scheduled'),
  scheduledAt: timestamp('scheduled_at').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

// One line per merchant account swept into a payout.
export const payoutItems = pgTable(
  'payout_items',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    payoutId: integer('payout_id')
      .notNull()
      .references(() => payouts.id, { onDelete: 'restrict' }),
    accountId: bigint('account_id', { mode: 'number' })
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    grossAmount: numeric('gross_amount', { precision: 19, scale: 4 }).notNull(),
    feeAmount: numeric('fee_amount', { precision: 19, scale: 4, mode: 'number' }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('payout_items_payout_id_idx').on(t.payoutId), index('payout_items_account_id_idx').on(t.accountId)],
);
