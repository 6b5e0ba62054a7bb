import rule from '../../server/src/rules/timestamp-without-time-zone';
import { ruleTester } from '../lib/rule-tester';
import { tsRuleTester } from '../lib/ts-rule-tester';

ruleTester(rule, {
  valid: [
    'CREATE TABLE payments (id bigint, captured_at timestamptz NOT NULL, settled_at timestamp with time zone)',
    'CREATE TABLE shifts (starts time, day date, span interval)',
    "SELECT now()::timestamptz, '2024-01-01'::date FROM payments",
    "CREATE FUNCTION f(at timestamptz) RETURNS timestamptz LANGUAGE sql AS 'SELECT at'",
  ],
  invalid: [
    {
      name: 'plain table: warning, exact anchor',
      code: 'CREATE TABLE audit_notes (\n  id bigint,\n  created_at timestamp NOT NULL DEFAULT now()\n);',
      errors: [{ messageId: 'column', line: 3, column: 3, endLine: 3, endColumn: 23, severity: 'warning', includes: ['audit_notes.created_at', '+02', 'timestamptz'] }],
      output: 'CREATE TABLE audit_notes (\n  id bigint,\n  created_at timestamptz NOT NULL DEFAULT now()\n);',
    },
    {
      name: 'financial table: error; long form, precision and arrays kept',
      code: 'CREATE TABLE wallet_transactions (\n  booked_at timestamp without time zone,\n  value_at timestamp(3),\n  "retryTimes" timestamp(6)[]\n)',
      errors: [
        { messageId: 'column', line: 2, column: 3, endColumn: 40, severity: 'error', includes: ['wallet_transactions.booked_at', 'financial table'] },
        { messageId: 'column', line: 3, column: 3, endColumn: 24, severity: 'error' },
        { messageId: 'column', line: 4, column: 3, endColumn: 30, severity: 'error', includes: 'timestamptz(6)[]' },
      ],
      output: 'CREATE TABLE wallet_transactions (\n  booked_at timestamptz,\n  value_at timestamptz(3),\n  "retryTimes" timestamptz(6)[]\n)',
    },
    {
      name: 'ALTER TABLE ADD COLUMN on a qualified financial table, ARRAY keyword',
      code: 'ALTER TABLE billing.invoices ADD COLUMN reminders timestamp ARRAY;',
      errors: [{ messageId: 'column', column: 41, endColumn: 66, severity: 'error', includes: 'invoices.reminders' }],
      output: 'ALTER TABLE billing.invoices ADD COLUMN reminders timestamptz ARRAY;',
    },
    {
      name: 'ALTER COLUMN ... TYPE',
      code: 'ALTER TABLE sessions ALTER COLUMN expires_at TYPE timestamp(0);',
      errors: [{ messageId: 'column', column: 35, endColumn: 63, severity: 'warning' }],
      output: 'ALTER TABLE sessions ALTER COLUMN expires_at TYPE timestamptz(0);',
    },
    {
      name: 'vocabulary: a configured financial table raises the severity',
      code: 'CREATE TABLE trades (executed_at timestamp)',
      config: { vocabulary: { financialTables: { add: ['trades'] } } },
      errors: [{ messageId: 'column', column: 22, severity: 'error', includes: 'trades' }],
      output: 'CREATE TABLE trades (executed_at timestamptz)',
    },
    {
      name: 'vocabulary: a table removed from the list stays a warning',
      code: 'CREATE TABLE accounts (opened_at timestamp)',
      config: { vocabulary: { financialTables: ['ledger'] } },
      errors: [{ messageId: 'column', severity: 'warning' }],
    },
    {
      name: 'casts and typed literals: no fix',
      code: "SELECT now()::timestamp, timestamp '2024-03-01 10:00+02', CAST(x AS timestamp without time zone) FROM t",
      errors: [
        { messageId: 'cast', column: 8, endColumn: 24, severity: 'warning' },
        { messageId: 'cast', column: 26, endColumn: 57 },
        { messageId: 'cast', column: 59, endColumn: 97, includes: 'timestamp without time zone' },
      ],
      output: null,
    },
    {
      name: 'function signature and domain',
      code: "CREATE DOMAIN cutoff AS timestamp(0);\nCREATE FUNCTION day_of(t timestamp) RETURNS date LANGUAGE sql AS 'SELECT t::date';",
      errors: [
        { messageId: 'domain', line: 1, column: 15, endColumn: 37, includes: 'cutoff' },
        { messageId: 'signature', line: 2, column: 24, endColumn: 35, includes: 'day_of(t)' },
      ],
      output: "CREATE DOMAIN cutoff AS timestamptz(0);\nCREATE FUNCTION day_of(t timestamp) RETURNS date LANGUAGE sql AS 'SELECT t::date';",
    },
  ],
});

// The same rule on Drizzle schemas: findings on the TypeScript property, fixes that edit the builder.
tsRuleTester(rule, {
  valid: [
    `import { pgTable, timestamp } from 'drizzle-orm/pg-core';
export const payments = pgTable('payments', { capturedAt: timestamp('captured_at', { withTimezone: true, mode: 'string' }) });
`,
  ],
  invalid: [
    {
      name: 'mode and precision kept; error on a financial table, warning elsewhere',
      code: `import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const payments = pgTable('payments', {
  id: text('id').primaryKey(),
  capturedAt: timestamp('captured_at', { mode: 'date', precision: 3 }).notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});
export const sessions = pgTable('sessions', {
  id: text('id').primaryKey(),
  seenAt: timestamp('seen_at'),
});
`,
      errors: [
        { messageId: 'column', line: 5, column: 3, severity: 'error', includes: 'payments.captured_at' },
        { messageId: 'column', line: 10, column: 3, endColumn: 31, severity: 'warning' },
      ],
      output: `import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const payments = pgTable('payments', {
  id: text('id').primaryKey(),
  capturedAt: timestamp('captured_at', { mode: 'date', precision: 3, withTimezone: true }).notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});
export const sessions = pgTable('sessions', {
  id: text('id').primaryKey(),
  seenAt: timestamp('seen_at', { withTimezone: true }),
});
`,
    },
  ],
});
