import rule from '../../server/src/rules/sensitive-cardholder-data';
import { ruleTester } from '../lib/rule-tester';
import { tsRuleTester } from '../lib/ts-rule-tester';

ruleTester(rule, {
  valid: [
    'CREATE TABLE cards (id bigint, processor_token text, card_last4 char(4), "panFingerprint" text, pan_hash bytea)',
    { code: 'CREATE TABLE cards (pan bytea, card_number_encrypted text, iban_token text, account_number_last4 text)', name: 'encrypted or partial numbers' },
    { code: 'CREATE TABLE charges (cvc_check text, cvv_result_code text, pin_attempts int, pin_set boolean, cvv_checked_at timestamptz)', name: 'metadata about the secret' },
    { code: 'CREATE TABLE users (password_hash text, encrypted_password varchar(60), password_changed_at timestamptz, password_reset_token text)', name: 'password hashes and metadata' },
    { code: 'CREATE TABLE addresses (pin_code text, spinner text, tracking_number text, company text, span int)', name: 'no word-part match' },
    { code: 'CREATE TABLE users (password bytea)', name: 'bytea password is not plain text' },
  ],
  invalid: [
    {
      name: 'CVV: error, exact anchor',
      code: 'CREATE TABLE cards (\n  id bigint,\n  cvv text\n);',
      errors: [{ messageId: 'authData', line: 3, column: 3, endLine: 3, endColumn: 11, severity: 'error', includes: ['cards.cvv', 'CVV/CVC', 'PCI DSS requirement 3.2'] }],
      output: null,
    },
    {
      name: 'word parts, quoted camelCase, qualified table; even encrypted SAD is an error',
      code: 'CREATE TABLE billing."CardAuths" (card_cvv varchar(4), "cvc2Code" int, pin_block bytea, track2 text, "Track1Data" text)',
      errors: [
        { messageId: 'authData', column: 35, endColumn: 54, severity: 'error', includes: 'CardAuths.card_cvv' },
        { messageId: 'authData', column: 56, endColumn: 70 },
        { messageId: 'authData', column: 72, endColumn: 87, includes: 'PIN' },
        { messageId: 'authData', column: 89, endColumn: 100, includes: 'track data' },
        { messageId: 'authData', column: 102, endColumn: 119 },
      ],
    },
    {
      name: 'card and bank numbers in readable types: warning',
      code: 'CREATE TABLE payment_methods (pan varchar(19), "cardNumber" numeric, iban text, account_number bigint)',
      errors: [
        { messageId: 'cardNumber', column: 31, endColumn: 46, severity: 'warning', includes: ['payment_methods.pan', 'varchar(19)', '3.4'] },
        { messageId: 'cardNumber', column: 48, endColumn: 68, severity: 'warning' },
        { messageId: 'bankNumber', column: 70, endColumn: 79, severity: 'warning', includes: 'payment_methods.iban' },
        { messageId: 'bankNumber', column: 81, endColumn: 102, severity: 'warning' },
      ],
    },
    {
      name: 'ALTER TABLE ADD COLUMN password as text: warning',
      code: 'ALTER TABLE users ADD COLUMN password varchar(255) NOT NULL;',
      errors: [{ messageId: 'password', line: 1, column: 30, endColumn: 51, severity: 'warning', includes: ['users.password', 'argon2id'] }],
    },
    {
      name: 'configured severity applies to every finding',
      code: 'CREATE TABLE t (cvv text, pan text)',
      config: { rules: { 'sensitive-cardholder-data': 'info' } },
      errors: [
        { messageId: 'authData', severity: 'info' },
        { messageId: 'cardNumber', severity: 'info' },
      ],
    },
  ],
});

// The same rule on Drizzle schemas: findings on the TypeScript property, fixes that edit the builder.
tsRuleTester(rule, {
  valid: [
    `import { boolean, char, pgTable, text } from 'drizzle-orm/pg-core';
export const cards = pgTable('cards', { processorToken: text('processor_token'), cardLast4: char('card_last4', { length: 4 }), cvcCheck: text('cvc_check'), pinSet: boolean('pin_set') });
`,
  ],
  invalid: [
    {
      name: 'varchar card number, text cvv; a bytea customType is not readable',
      code: `import { customType, pgTable, text, varchar } from 'drizzle-orm/pg-core';

const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });

export const cards = pgTable('cards', {
  id: text('id').primaryKey(),
  cardNumber: varchar('card_number', { length: 19 }),
  cvv: text('cvv'),
  panEncrypted: bytea('pan_encrypted'),
});
`,
      errors: [
        { messageId: 'cardNumber', line: 7, column: 3, endColumn: 53, severity: 'warning' },
        { messageId: 'authData', line: 8, column: 3, endColumn: 19, severity: 'error' },
      ],
      output: null,
    },
  ],
});
