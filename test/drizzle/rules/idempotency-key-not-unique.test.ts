// idempotency-key-not-unique on Drizzle schemas: the SQL rule through the neutral declarations and
// the workspace model (a Drizzle uniqueIndex counts like CREATE UNIQUE INDEX), with Drizzle fixes.
import rule from '../../../server/src/rules/idempotency-key-not-unique';
import { tsRuleTester } from '../../lib/ts-rule-tester';

const HEAD = "import { bigint, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';\n";
const COLS = "  id: bigint('id', { mode: 'number' }).primaryKey(),\n  merchantId: bigint('merchant_id', { mode: 'number' }).notNull(),\n";

tsRuleTester(rule, {
  valid: [
    { name: 'uniqueIndex with the tenant', code: `${HEAD}export const payments = pgTable('payments', {\n${COLS}  idempotencyKey: text('idempotency_key').notNull(),\n}, (t) => [uniqueIndex('payments_key').on(t.merchantId, t.idempotencyKey)]);\n` },
    { name: '.unique() on the column', code: `${HEAD}export const payments = pgTable('payments', {\n${COLS}  idempotencyKey: text('idempotency_key').notNull().unique(),\n});\n` },
    {
      name: 'unique() constraint in the object form',
      code: `import { bigint, pgTable, text, unique } from 'drizzle-orm/pg-core';\nexport const transfers = pgTable('transfers', {\n${COLS}  requestId: text('request_id').notNull(),\n}, (t) => ({ byRequest: unique('transfers_request').on(t.merchantId, t.requestId) }));\n`,
    },
  ],
  invalid: [
    {
      name: 'not unique: a uniqueIndex is added to the extra config',
      code: `${HEAD}export const payments = pgTable('payments', {\n${COLS}  idempotencyKey: text('idempotency_key').notNull(),\n});\n`,
      errors: [{ messageId: 'notUnique', line: 5, column: 3, endColumn: 52, includes: ['payments.idempotency_key', 'UNIQUE (merchant_id, idempotency_key)'] }],
      output: `${HEAD}export const payments = pgTable('payments', {\n${COLS}  idempotencyKey: text('idempotency_key').notNull(),\n}, (t) => [uniqueIndex('payments_merchant_id_idempotency_key_idx').on(t.merchantId, t.idempotencyKey)]);\n`,
    },
    {
      name: 'nullable: .notNull() is appended; a partial unique index does not count as unique',
      code: `import { sql } from 'drizzle-orm';\n${HEAD}export const payouts = pgTable('payouts', {\n${COLS}  externalId: text('external_id').$type<string>(),\n}, (t) => [uniqueIndex('payouts_ext').on(t.merchantId, t.externalId).where(sql\`status = 'new'\`)]);\n`,
      errors: [
        { messageId: 'notUnique', line: 6 },
        { messageId: 'nullable', line: 6, includes: 'may be NULL' },
      ],
      output: `import { sql } from 'drizzle-orm';\n${HEAD}export const payouts = pgTable('payouts', {\n${COLS}  externalId: text('external_id').$type<string>().notNull(),\n}, (t) => [uniqueIndex('payouts_ext').on(t.merchantId, t.externalId).where(sql\`status = 'new'\`), uniqueIndex('payouts_merchant_id_external_id_idx').on(t.merchantId, t.externalId)]);\n`,
    },
    {
      name: 'a payment table without any idempotency key (info, no fix)',
      code: `${HEAD}export const refunds = pgTable('refunds', {\n${COLS}});\n`,
      errors: [{ messageId: 'missingKey', line: 2, column: 32, severity: 'info' }],
      output: null,
    },
  ],
});
