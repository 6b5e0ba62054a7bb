import rule from '../../server/src/rules/fk-missing-on-delete';
import { ruleTester } from '../lib/rule-tester';
import { tsRuleTester } from '../lib/ts-rule-tester';

ruleTester(rule, {
  valid: [
    'CREATE TABLE payments (id bigint, account_id bigint REFERENCES accounts (id) ON DELETE RESTRICT)',
    'CREATE TABLE notes (id bigint, user_id bigint REFERENCES users ON DELETE CASCADE)',
    'CREATE TABLE p (id bigint, a bigint, FOREIGN KEY (a) REFERENCES accounts (id) ON DELETE NO ACTION)',
    'ALTER TABLE payments ADD CONSTRAINT payments_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id) ON UPDATE CASCADE ON DELETE RESTRICT NOT VALID',
    'CREATE TABLE t (id bigint PRIMARY KEY)',
  ],
  invalid: [
    {
      name: 'inline REFERENCES with column list',
      code: 'CREATE TABLE payments (\n  id bigint PRIMARY KEY,\n  account_id bigint NOT NULL REFERENCES accounts (id)\n);',
      errors: [{ messageId: 'missing', line: 3, column: 30, endLine: 3, endColumn: 54, includes: ['payments (account_id) -> accounts', 'ON DELETE RESTRICT'] }],
      output: 'CREATE TABLE payments (\n  id bigint PRIMARY KEY,\n  account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE RESTRICT\n);',
    },
    {
      name: 'inline REFERENCES without column list, followed by ON UPDATE',
      code: 'CREATE TABLE refunds (id bigint, payment_id bigint REFERENCES payments ON UPDATE CASCADE);',
      errors: [{ messageId: 'missing', column: 52 }],
      output: 'CREATE TABLE refunds (id bigint, payment_id bigint REFERENCES payments ON DELETE RESTRICT ON UPDATE CASCADE);',
    },
    {
      name: 'table constraint, qualified and quoted parent',
      code: 'CREATE TABLE transfers (id bigint, "fromAccount" bigint,\n  CONSTRAINT transfers_from_fk FOREIGN KEY ("fromAccount") REFERENCES core."Accounts" ("Id"));',
      errors: [{ messageId: 'missing', line: 2, column: 3, includes: ['transfers (fromAccount) -> Accounts'] }],
      output: 'CREATE TABLE transfers (id bigint, "fromAccount" bigint,\n  CONSTRAINT transfers_from_fk FOREIGN KEY ("fromAccount") REFERENCES core."Accounts" ("Id") ON DELETE RESTRICT);',
    },
    {
      name: 'ALTER TABLE ADD CONSTRAINT ... NOT VALID',
      code: 'ALTER TABLE payouts ADD CONSTRAINT payouts_merchant_fk FOREIGN KEY (merchant_id) REFERENCES merchants (id) NOT VALID;',
      errors: [{ messageId: 'missing', column: 25, severity: 'info' }],
      output: 'ALTER TABLE payouts ADD CONSTRAINT payouts_merchant_fk FOREIGN KEY (merchant_id) REFERENCES merchants (id) ON DELETE RESTRICT NOT VALID;',
    },
  ],
});

// The same rule on Drizzle schemas: findings on the TypeScript property, fixes that edit the builder.
tsRuleTester(rule, {
  valid: [
    `import { bigint, pgTable } from 'drizzle-orm/pg-core';
export const users = pgTable('users', { id: bigint('id', { mode: 'number' }).primaryKey() });
export const payments = pgTable('payments', { userId: bigint('user_id', { mode: 'number' }).references(() => users.id, { onDelete: 'no action' }) });
`,
  ],
  invalid: [
    {
      name: 'references() without options, with other options, and foreignKey() in the object form',
      code: `import { bigint, foreignKey, pgTable, text } from 'drizzle-orm/pg-core';

export const accounts = pgTable('accounts', { id: bigint('id', { mode: 'number' }).primaryKey() });
export const payments = pgTable(
  'payments',
  {
    id: bigint('id', { mode: 'number' }).primaryKey(),
    accountId: bigint('account_id', { mode: 'number' }).references(() => accounts.id),
    sourceId: bigint('source_id', { mode: 'number' }).references(() => accounts.id, { onUpdate: 'cascade' }),
    payerId: bigint('payer_id', { mode: 'number' }),
    note: text('note'),
  },
  (t) => ({
    payerFk: foreignKey({ columns: [t.payerId], foreignColumns: [accounts.id] }),
  }),
);
`,
      errors: [
        { messageId: 'missing', line: 8, column: 57, endColumn: 86, includes: 'payments (account_id) -> accounts' },
        { messageId: 'missing', line: 9, column: 55 },
        { messageId: 'missing', line: 14, column: 14, endColumn: 81, includes: 'payments (payer_id) -> accounts' },
      ],
      output: `import { bigint, foreignKey, pgTable, text } from 'drizzle-orm/pg-core';

export const accounts = pgTable('accounts', { id: bigint('id', { mode: 'number' }).primaryKey() });
export const payments = pgTable(
  'payments',
  {
    id: bigint('id', { mode: 'number' }).primaryKey(),
    accountId: bigint('account_id', { mode: 'number' }).references(() => accounts.id, { onDelete: 'restrict' }),
    sourceId: bigint('source_id', { mode: 'number' }).references(() => accounts.id, { onDelete: 'restrict', onUpdate: 'cascade' }),
    payerId: bigint('payer_id', { mode: 'number' }),
    note: text('note'),
  },
  (t) => ({
    payerFk: foreignKey({ columns: [t.payerId], foreignColumns: [accounts.id] }).onDelete('restrict'),
  }),
);
`,
    },
  ],
});
