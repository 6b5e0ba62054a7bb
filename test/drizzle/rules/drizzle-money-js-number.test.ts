import check from '../../../server/src/drizzle/rules/drizzle-money-js-number';
import { tsRuleTester } from '../../lib/ts-rule-tester';

tsRuleTester(check, {
  valid: [
    `import { numeric, pgTable } from 'drizzle-orm/pg-core';
export const rates = pgTable('rates', { fxRate: numeric('fx_rate', { mode: 'number' }) });
`,
    `import { bigint, pgTable } from 'drizzle-orm/pg-core';
export const wallets = pgTable('wallets', { balance: bigint('balance', { mode: 'bigint' }) });
`,
  ],
  invalid: [
    {
      name: 'numeric and bigint in number mode, $type<number>() on numeric, a customType converting with Number(); a non-money bigint is fine',
      code: `import { bigint, customType, numeric, pgTable } from 'drizzle-orm/pg-core';

const cents = customType<{ data: number; driverData: string }>({
  dataType: () => 'bigint',
  fromDriver: (v) => Number(v),
});

export const payouts = pgTable('payouts', {
  id: bigint('id', { mode: 'number' }).primaryKey(),
  amount: numeric('amount', { precision: 19, scale: 4, mode: 'number' }).notNull(),
  fee: numeric('fee', { mode: 'number' }),
  balanceMinor: bigint('balance_minor', { mode: 'number' }).notNull(),
  tax: numeric('tax').$type<number>(),
  refundMinor: cents('refund_minor'),
  retries: bigint('retries', { mode: 'number' }),
});
`,
      errors: [
        { messageId: 'numericMode', line: 10, column: 3, endColumn: 83, includes: ['payouts.amount', '`amount` looks like a money column'] },
        { messageId: 'numericMode', line: 11, column: 3, endColumn: 42 },
        { messageId: 'bigintMode', line: 12, column: 3, includes: 'payouts.balance_minor' },
        { messageId: 'typeNumber', line: 13, column: 3 },
        { messageId: 'customType', line: 14, column: 3, endColumn: 37 },
      ],
      output: `import { bigint, customType, numeric, pgTable } from 'drizzle-orm/pg-core';

const cents = customType<{ data: number; driverData: string }>({
  dataType: () => 'bigint',
  fromDriver: (v) => Number(v),
});

export const payouts = pgTable('payouts', {
  id: bigint('id', { mode: 'number' }).primaryKey(),
  amount: numeric('amount', { precision: 19, scale: 4 }).notNull(),
  fee: numeric('fee'),
  balanceMinor: bigint('balance_minor', { mode: 'bigint' }).notNull(),
  tax: numeric('tax').$type<number>(),
  refundMinor: cents('refund_minor'),
  retries: bigint('retries', { mode: 'number' }),
});
`,
    },
  ],
});
