import rule from '../../server/src/rules/identifier-hygiene';
import { ruleTester } from '../lib/rule-tester';
import { tsRuleTester } from '../lib/ts-rule-tester';

// 66 bytes; shares its first 63 bytes with LONG_B, as in the verified collision.
const LONG_A = 'idx_ledger_entries_account_id_currency_created_at_posted_at_status_a';
const LONG_B = 'idx_ledger_entries_account_id_currency_created_at_posted_at_status_b';

ruleTester(rule, {
  valid: [
    'CREATE TABLE ledger_entries (entry_id bigint PRIMARY KEY, amount_minor bigint NOT NULL)',
    { name: 'unquoted mixed case folds to lower case', code: 'CREATE TABLE LedgerEntries (EntryId bigint PRIMARY KEY)' },
    { name: 'quoted lower-case names (reserved words) are fine', code: 'CREATE TABLE "order" ("user" bigint, "select" text)' },
    { name: 'references to existing mixed-case objects are not where the name was chosen', code: 'SELECT "Amount" FROM "Payments";\nALTER TABLE "Payments" ADD COLUMN note text;\nCREATE INDEX payments_amount_idx ON "Payments" ("Amount");' },
    { name: 'names in comments and strings', code: 'CREATE TABLE notes (body text DEFAULT \'"CamelCase"\'); -- "LedgerEntries"' },
    { name: 'exactly 63 bytes', code: `CREATE INDEX ${'i'.repeat(63)} ON t (a)` },
    { name: 'generated names are PostgreSQL\'s business', code: `CREATE TABLE t (a bigint REFERENCES ${'p'.repeat(40)} (id), b bigint UNIQUE)` },
  ],
  invalid: [
    {
      name: 'quoted mixed-case table, columns and constraint: each name once, where it is declared',
      code: 'CREATE TABLE "LedgerEntries" (\n  "entryId" bigint PRIMARY KEY,\n  "amountMinor" bigint CONSTRAINT "AmountPositive" CHECK ("amountMinor" > 0)\n);',
      errors: [
        { messageId: 'mixedCase', line: 1, column: 14, endColumn: 29, severity: 'hint', includes: ['Table "LedgerEntries" is a quoted mixed-case name', 'unquoted LedgerEntries means ledgerentries', '(ledger_entries)'] },
        { messageId: 'mixedCase', line: 2, column: 3, endColumn: 12, includes: ['Column "entryId" of LedgerEntries', 'entry_id'] },
        { messageId: 'mixedCase', line: 3, column: 3, endColumn: 16, includes: 'amount_minor' },
        { messageId: 'mixedCase', line: 3, column: 35, includes: ['Constraint "AmountPositive" of LedgerEntries', 'amount_positive'] },
      ],
      output: null,
    },
    {
      name: 'index, enum type, function, rename target',
      code: 'CREATE INDEX "PaymentsByAccount" ON payments (account_id);\nCREATE TYPE "PaymentStatus" AS ENUM (\'Pending\');\nCREATE FUNCTION "postEntry"() RETURNS void LANGUAGE sql AS $$ SELECT 1 $$;\nALTER TABLE payments RENAME COLUMN amount TO "Amount";',
      errors: [
        { messageId: 'mixedCase', line: 1, column: 14, includes: 'Index "PaymentsByAccount"' },
        { messageId: 'mixedCase', line: 2, column: 13, includes: 'Type "PaymentStatus"' },
        { messageId: 'mixedCase', line: 3, column: 17, includes: 'Function "postEntry"' },
        { messageId: 'mixedCase', line: 4, column: 46, includes: 'New name "Amount"' },
      ],
    },
    {
      name: 'two long index names that collide after truncation',
      code: `CREATE INDEX ${LONG_A} ON ledger_entries (account_id);\nCREATE INDEX IF NOT EXISTS ${LONG_B} ON ledger_entries (currency);`,
      errors: [
        { messageId: 'tooLong', line: 1, column: 14, endColumn: 14 + LONG_A.length, includes: [`Index ${LONG_A} is 68 bytes`, `(${LONG_A.slice(0, 63)})`] },
        { messageId: 'tooLong', line: 2, column: 28, includes: 'is 68 bytes' },
      ],
    },
    {
      name: 'bytes, not characters: 32 two-byte letters are 64 bytes',
      code: `ALTER TABLE payments ADD COLUMN "${'é'.repeat(32)}" text;`,
      errors: [{ messageId: 'tooLong', line: 1, column: 33, includes: ['is 64 bytes', `(${'é'.repeat(31)})`, 'of payments'] }],
    },
  ],
});

// Drizzle quotes every name: mixed-case table names and column names given as arguments keep their case.
tsRuleTester(rule, {
  valid: [
    `import { pgTable, bigint } from 'drizzle-orm/pg-core';
export const ledgerEntries = pgTable('ledger_entries', {
  entryId: bigint('entry_id', { mode: 'number' }).primaryKey(),
  amountMinor: bigint('amount_minor', { mode: 'number' }).notNull(),
  currency: bigint({ mode: 'number' }),
});
`,
    {
      name: 'camelCase keys with no name and no hand-written snake_case names: casing may be set in drizzle()',
      code: `import { pgTable, bigint } from 'drizzle-orm/pg-core';
export const ledgerEntries = pgTable('ledger_entries', {
  entryId: bigint({ mode: 'number' }).primaryKey(),
  amountMinor: bigint({ mode: 'number' }).notNull(),
});
`,
    },
    {
      name: 'casing: snake_case in this file',
      code: `import { pgTable, bigint } from 'drizzle-orm/pg-core';
import { drizzle } from 'drizzle-orm/node-postgres';
export const db = drizzle(process.env.DATABASE_URL!, { casing: 'snake_case' });
export const ledgerEntries = pgTable('ledger_entries', {
  entryId: bigint('entry_id', { mode: 'number' }).primaryKey(),
  amountMinor: bigint({ mode: 'number' }).notNull(),
});
`,
    },
  ],
  invalid: [
    {
      name: 'mixed-case table name and explicit column name; a key without name beside hand-written snake_case names',
      code: `import { pgTable, bigint } from 'drizzle-orm/pg-core';
export const ledgerEntries = pgTable('LedgerEntries', {
  entryId: bigint('entry_id', { mode: 'number' }).primaryKey(),
  amountMinor: bigint({ mode: 'number' }).notNull(),
  postedBy: bigint('postedBy', { mode: 'number' }),
});
`,
      errors: [
        { messageId: 'drizzleMixedCase', line: 2, column: 38, endColumn: 53, includes: ['Table "LedgerEntries" keeps its case', 'ledger_entries'] },
        { messageId: 'drizzleMixedCase', line: 4, column: 3, endColumn: 14, includes: ['Column "amountMinor" of LedgerEntries', 'amount_minor'] },
        { messageId: 'drizzleMixedCase', line: 5, column: 3, includes: 'posted_by' },
      ],
      output: null,
    },
    {
      name: 'a table name over 63 bytes',
      code: `import { pgTable, bigint } from 'drizzle-orm/pg-core';
export const t = pgTable('${'merchant_settlement_'.repeat(4)}', { id: bigint('id', { mode: 'number' }) });
`,
      errors: [{ messageId: 'tooLong', line: 2, includes: 'is 80 bytes' }],
    },
  ],
});
