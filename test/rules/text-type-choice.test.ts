import rule from '../../server/src/rules/text-type-choice';
import { ruleTester } from '../lib/rule-tester';
import { tsRuleTester } from '../lib/ts-rule-tester';

ruleTester(rule, {
  valid: [
    { name: 'currency char(3) with a CHECK on its format', code: "CREATE TABLE payments (id bigint PRIMARY KEY, currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'));" },
    { name: 'table CHECK naming the column', code: "CREATE TABLE merchants (id bigint, country char(2), CONSTRAINT country_iso CHECK (country ~ '^[A-Z]{2}$'));" },
    { name: 'foreign key to a codes table', code: 'CREATE TABLE payments (id bigint, currency char(3) REFERENCES currencies (code));' },
    { name: 'CHECK added later in the file', code: "CREATE TABLE fx_rates (base char(3) NOT NULL);\nALTER TABLE fx_rates ADD CONSTRAINT base_iso CHECK (base ~ '^[A-Z]{3}$');" },
    {
      name: 'CHECK added by a later migration of the workspace',
      code: 'CREATE TABLE fx_rates (quote char(3) NOT NULL);',
      path: 'migrations/0001_fx.sql',
      files: [{ path: 'migrations/0002_fx_check.sql', code: "ALTER TABLE fx_rates ADD CONSTRAINT quote_iso CHECK (quote ~ '^[A-Z]{3}$') NOT VALID;" }],
    },
    { name: 'the internal one-byte "char" type, bare bpchar, text, varchar without a limit', code: 'CREATE TABLE flags (kind "char", raw bpchar, note text, label varchar, tags varchar[]);' },
    { name: 'casts and function signatures are not columns', code: "SELECT 'US'::char(3), name::varchar(20) FROM merchants;" },
  ],
  invalid: [
    {
      name: 'char(2): fixed to text with a length CHECK',
      code: 'CREATE TABLE merchants (\n  id bigint PRIMARY KEY,\n  country char(2) NOT NULL\n);',
      errors: [{ messageId: 'char', line: 3, column: 3, endLine: 3, endColumn: 18, severity: 'info', includes: ['merchants.country is char(2)', "'US '", 'CHECK (char_length(country) <= 2)'] }],
      output: 'CREATE TABLE merchants (\n  id bigint PRIMARY KEY,\n  country text CHECK (char_length(country) <= 2) NOT NULL\n);',
    },
    {
      name: 'bare character means char(1); a CHECK on another column does not exempt it',
      code: 'CREATE TABLE cards (brand character, last4 text CHECK (last4 ~ \'^[0-9]{4}$\'));',
      errors: [{ messageId: 'char', column: 21, endColumn: 36, includes: ['cards.brand is character (that is, char(1))', 'Use text with CHECK (char_length(brand) <= 1)'] }],
      output: 'CREATE TABLE cards (brand text CHECK (char_length(brand) <= 1), last4 text CHECK (last4 ~ \'^[0-9]{4}$\'));',
    },
    {
      name: 'varchar(n) on a new column is a hint; quoted names stay quoted in the CHECK',
      code: 'CREATE TABLE payouts (id bigint, "bankRef" character varying(35), memo varchar(140));',
      errors: [
        { messageId: 'varchar', column: 34, endColumn: 65, severity: 'hint', includes: ['payouts.bankRef is character varying(35)', 'CHECK (char_length("bankRef") <= 35)'] },
        { messageId: 'varchar', column: 67, severity: 'hint' },
      ],
      output: 'CREATE TABLE payouts (id bigint, "bankRef" text CHECK (char_length("bankRef") <= 35), memo text CHECK (char_length(memo) <= 140));',
    },
    {
      name: 'ADD COLUMN: advice to add the CHECK as NOT VALID, no fix',
      code: 'ALTER TABLE merchants ADD COLUMN descriptor varchar(22);',
      errors: [{ messageId: 'varchar', column: 34, severity: 'hint', includes: ['NOT VALID', 'VALIDATE CONSTRAINT'] }],
      output: null,
    },
    {
      name: 'array of char(n): reported, no fix',
      code: 'CREATE TABLE routing (id bigint, countries char(2)[]);',
      errors: [{ messageId: 'char', column: 34 }],
      output: null,
    },
  ],
});

// Drizzle: char() / varchar({ length }) through the same column hook; the CHECK belongs in the
// table's extra config, so there is no automatic fix.
tsRuleTester(rule, {
  valid: [
    `import { sql } from 'drizzle-orm';
import { pgTable, bigint, char, check } from 'drizzle-orm/pg-core';
export const payments = pgTable('payments', {
  id: bigint('id', { mode: 'number' }).primaryKey(),
  currencyCode: char('currency_code', { length: 3 }).notNull(),
}, (t) => [check('payments_currency_iso', sql\`\${t.currencyCode} ~ '^[A-Z]{3}$'\`)]);
`,
    `import { pgTable, text, varchar } from 'drizzle-orm/pg-core';
export const notes = pgTable('notes', { body: text('body'), label: varchar('label') });
`,
  ],
  invalid: [
    {
      name: 'char with a length and varchar with a length',
      code: `import { pgTable, bigint, char, varchar } from 'drizzle-orm/pg-core';
export const merchants = pgTable('merchants', {
  id: bigint('id', { mode: 'number' }).primaryKey(),
  country: char('country', { length: 2 }).notNull(),
  descriptor: varchar({ length: 22 }),
});
`,
      errors: [
        { messageId: 'char', line: 4, column: 3, severity: 'info', includes: ['merchants.country is char(2)', "check('merchants_country_length'"] },
        { messageId: 'varchar', line: 5, column: 3, severity: 'hint', includes: 'merchants.descriptor is varchar(22)' },
      ],
      output: null,
    },
  ],
});
