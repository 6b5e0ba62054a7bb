import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import type { RuleDefinition } from '../../server/src/engine/rule';
import missingRule from '../../server/src/rules/fk-missing-on-delete';
import rule from '../../server/src/rules/ledger-fk-on-delete-cascade';
import { initParser } from '../../server/src/sql/parser';
import { startPostgres, type EmbeddedPostgres } from '../helpers/embedded-pg';
import { applyEdits, lintWith, ruleTester } from '../lib/rule-tester';
import { tsRuleTester } from '../lib/ts-rule-tester';

ruleTester(rule, {
  valid: [
    'CREATE TABLE payments (id bigint, user_id bigint REFERENCES users (id) ON DELETE RESTRICT)',
    'CREATE TABLE payments (id bigint, user_id bigint REFERENCES users (id))',
    { code: 'CREATE TABLE post_tags (post_id bigint REFERENCES posts (id) ON DELETE CASCADE)', name: 'neither side financial' },
    { code: 'CREATE TABLE user_settings (id bigint, theme_id bigint REFERENCES themes ON DELETE SET NULL)', name: 'parent is not an owner' },
    'TRUNCATE sessions',
    'TRUNCATE sessions RESTRICT',
  ],
  invalid: [
    {
      name: 'owner parent, inline',
      code: 'CREATE TABLE api_keys (\n  id bigint PRIMARY KEY,\n  merchant_id bigint REFERENCES merchants (id) ON DELETE CASCADE\n);',
      errors: [{ messageId: 'owner', line: 3, column: 48, endLine: 3, endColumn: 65, includes: ['api_keys (merchant_id) -> merchants', 'deletes'] }],
      output: 'CREATE TABLE api_keys (\n  id bigint PRIMARY KEY,\n  merchant_id bigint REFERENCES merchants (id) ON DELETE RESTRICT\n);',
    },
    {
      name: 'financial child, SET NULL with column list, table constraint',
      code: 'CREATE TABLE ledger_entries (id bigint, account_id bigint,\n  FOREIGN KEY (account_id) REFERENCES accounts (id) ON DELETE SET NULL (account_id));',
      errors: [{ messageId: 'child', line: 2, column: 53, endColumn: 84, includes: ['SET NULL', 'orphans', 'ledger_entries'] }],
      output: 'CREATE TABLE ledger_entries (id bigint, account_id bigint,\n  FOREIGN KEY (account_id) REFERENCES accounts (id) ON DELETE RESTRICT);',
    },
    {
      name: 'ALTER TABLE ADD CONSTRAINT, SET DEFAULT, qualified parent',
      code: 'ALTER TABLE notes ADD CONSTRAINT notes_wallet_fk FOREIGN KEY (wallet_id) REFERENCES billing.wallets (id) ON UPDATE CASCADE ON DELETE SET DEFAULT;',
      errors: [{ messageId: 'owner', column: 124, includes: ['SET DEFAULT', 'wallets'] }],
      output: 'ALTER TABLE notes ADD CONSTRAINT notes_wallet_fk FOREIGN KEY (wallet_id) REFERENCES billing.wallets (id) ON UPDATE CASCADE ON DELETE RESTRICT;',
    },
    {
      name: 'camelCase quoted child table',
      code: 'CREATE TABLE "walletTransactions" (id bigint, "userId" bigint REFERENCES "Users" ON DELETE CASCADE);',
      errors: [{ messageId: 'child', column: 82, severity: 'error', includes: 'walletTransactions' }],
      output: 'CREATE TABLE "walletTransactions" (id bigint, "userId" bigint REFERENCES "Users" ON DELETE RESTRICT);',
    },
    {
      name: 'TRUNCATE ... CASCADE',
      code: 'TRUNCATE TABLE customers, public.orders CASCADE;',
      errors: [{ messageId: 'truncate', column: 41, endColumn: 48, includes: 'customers, public.orders' }],
      output: 'TRUNCATE TABLE customers, public.orders RESTRICT;',
    },
  ],
});

// On a real PostgreSQL: CASCADE deletes a merchant's payments with the merchant; the fixed DDL
// (this rule's fix, and fk-missing-on-delete's) is accepted and refuses the delete instead.
describe('ledger-fk-on-delete-cascade on PostgreSQL', () => {
  let pg: EmbeddedPostgres | undefined;
  let client: Client | undefined;
  before(async () => {
    await initParser();
    pg = await startPostgres();
    client = new Client(pg.connectionConfig);
    await client.connect();
  });
  after(async () => {
    await client?.end();
    await pg?.stop();
  });

  const fixedBy = (r: RuleDefinition, code: string) => {
    const { findings } = lintWith(r, { code });
    assert.equal(findings.length, 1, code);
    return applyEdits(code, findings[0].fixes?.[0]?.edits ?? []);
  };

  async function deleteMerchant(ddl: string): Promise<{ error?: string; payments: number }> {
    await client!.query('DROP TABLE IF EXISTS payments; DROP TABLE IF EXISTS merchants;');
    await client!.query('CREATE TABLE merchants (id bigint PRIMARY KEY)');
    await client!.query(ddl);
    await client!.query('INSERT INTO merchants VALUES (1); INSERT INTO payments VALUES (10, 1), (11, 1);');
    let error: string | undefined;
    try {
      await client!.query('DELETE FROM merchants WHERE id = 1');
    } catch (e) {
      error = (e as { code?: string }).code;
    }
    const payments = Number((await client!.query('SELECT count(*) AS n FROM payments')).rows[0].n);
    return { error, payments };
  }

  it('CASCADE deletes the payments; ON DELETE RESTRICT (quick fix) refuses with 23001 (restrict_violation)', async () => {
    const code = 'CREATE TABLE payments (id bigint PRIMARY KEY, merchant_id bigint NOT NULL REFERENCES merchants (id) ON DELETE CASCADE)';
    assert.deepEqual(await deleteMerchant(code), { error: undefined, payments: 0 });
    assert.deepEqual(await deleteMerchant(fixedBy(rule, code)), { error: '23001', payments: 2 });
  });

  it('the fk-missing-on-delete fix inserts a clause PostgreSQL accepts, before ON UPDATE', async () => {
    const code = 'CREATE TABLE payments (id bigint PRIMARY KEY, merchant_id bigint NOT NULL REFERENCES merchants ON UPDATE CASCADE)';
    const fixed = fixedBy(missingRule, code);
    assert.match(fixed, /REFERENCES merchants ON DELETE RESTRICT ON UPDATE CASCADE/);
    assert.deepEqual(await deleteMerchant(fixed), { error: '23001', payments: 2 });
  });
});

// The same rule on Drizzle schemas: findings on the TypeScript property, fixes that edit the builder.
tsRuleTester(rule, {
  valid: [
    `import { bigint, pgTable } from 'drizzle-orm/pg-core';
export const users = pgTable('users', { id: bigint('id', { mode: 'number' }).primaryKey() });
export const payments = pgTable('payments', { userId: bigint('user_id', { mode: 'number' }).references(() => users.id, { onDelete: 'restrict' }) });
`,
  ],
  invalid: [
    {
      name: 'references() option and foreignKey().onDelete()',
      code: `import { bigint, foreignKey, pgTable } from 'drizzle-orm/pg-core';

export const users = pgTable('users', { id: bigint('id', { mode: 'number' }).primaryKey() });
export const payments = pgTable(
  'payments',
  {
    id: bigint('id', { mode: 'number' }).primaryKey(),
    userId: bigint('user_id', { mode: 'number' }).references(() => users.id, { onDelete: 'cascade' }),
    payerId: bigint('payer_id', { mode: 'number' }),
  },
  (t) => [foreignKey({ columns: [t.payerId], foreignColumns: [users.id] }).onDelete('set null')],
);
`,
      errors: [
        { messageId: 'child', line: 8, column: 80, endColumn: 99, includes: 'CASCADE on payments (user_id) -> users' },
        { messageId: 'child', line: 11, column: 76, endColumn: 96, includes: 'SET NULL on payments (payer_id) -> users' },
      ],
      output: `import { bigint, foreignKey, pgTable } from 'drizzle-orm/pg-core';

export const users = pgTable('users', { id: bigint('id', { mode: 'number' }).primaryKey() });
export const payments = pgTable(
  'payments',
  {
    id: bigint('id', { mode: 'number' }).primaryKey(),
    userId: bigint('user_id', { mode: 'number' }).references(() => users.id, { onDelete: 'restrict' }),
    payerId: bigint('payer_id', { mode: 'number' }),
  },
  (t) => [foreignKey({ columns: [t.payerId], foreignColumns: [users.id] }).onDelete('restrict')],
);
`,
    },
  ],
});
