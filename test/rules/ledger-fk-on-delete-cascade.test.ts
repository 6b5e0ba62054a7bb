import rule from '../../server/src/rules/ledger-fk-on-delete-cascade';
import { ruleTester } from '../lib/rule-tester';

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
