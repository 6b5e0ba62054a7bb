import rule from '../../server/src/rules/enum-pitfalls';
import { ruleTester } from '../lib/rule-tester';

// A workspace whose earlier migration declares the enum and a table using it.
const INIT = [{ path: 'migrations/0001_init.sql', code: "CREATE TYPE payment_status AS ENUM ('pending', 'settled', 'refunded');\nCREATE TABLE payments (id bigint PRIMARY KEY, status payment_status NOT NULL);\nCREATE TABLE refunds (id bigint PRIMARY KEY, status public.payment_status);" }];
const DRIZZLE_FOLDER = { migrationFolder: { path: 'drizzle', convention: 'drizzle-kit' as const, files: [] } };

ruleTester(rule, {
  valid: [
    { name: 'BEFORE/AFTER says where the value goes', code: "ALTER TYPE payment_status ADD VALUE IF NOT EXISTS 'refunded' AFTER 'settled';\nALTER TYPE payment_status ADD VALUE 'draft' BEFORE 'pending';" },
    {
      name: 'autocommit: each statement commits before the next uses the value',
      code: "ALTER TYPE payment_status ADD VALUE 'voided' AFTER 'settled';\nUPDATE payments SET status = 'voided' WHERE voided_at IS NOT NULL;",
    },
    {
      name: 'the next transaction may use it',
      code: "BEGIN;\nALTER TYPE payment_status ADD VALUE 'voided' AFTER 'settled';\nCOMMIT;\nBEGIN;\nUPDATE payments SET status = 'voided' WHERE voided_at IS NOT NULL;\nCOMMIT;",
    },
    {
      name: 'a type created in the same transaction can use its new values (verified)',
      code: "BEGIN;\nCREATE TYPE payout_state AS ENUM ('queued');\nALTER TYPE payout_state ADD VALUE 'sent' AFTER 'queued';\nCREATE TABLE payouts (state payout_state NOT NULL DEFAULT 'sent');\nCOMMIT;",
    },
    {
      name: 'a neighbour added in the same transaction is allowed (verified); other values and text casts are not uses',
      code: "BEGIN;\nALTER TYPE payment_status ADD VALUE 'a1' AFTER 'settled';\nALTER TYPE payment_status ADD VALUE 'a2' AFTER 'a1';\nSELECT count(*) FROM payments WHERE status = 'pending' OR note = 'a1'::text;\nCOMMIT;",
    },
    { name: 'IF NOT EXISTS on a label the workspace already has: skipped, not an error', code: "ALTER TYPE payment_status ADD VALUE IF NOT EXISTS 'refunded' AFTER 'settled';", files: INIT },
    { name: 'a label the earlier migration declared is a fine neighbour', code: "ALTER TYPE payment_status ADD VALUE 'chargeback' AFTER 'refunded';", files: INIT },
    { name: 'neighbours of an enum the workspace never created are not judged', code: "ALTER TYPE external_status ADD VALUE 'x' AFTER 'y';", files: INIT },
    { name: 'RENAME VALUE in a down migration', code: "ALTER TYPE payment_status RENAME VALUE 'reversed' TO 'refunded';", fileInfo: { role: 'down' } },
  ],
  invalid: [
    {
      name: 'workspace: ADD VALUE of a label the enum already has fails without IF NOT EXISTS (42710, verified)',
      code: "ALTER TYPE payment_status ADD VALUE 'settled' BEFORE 'refunded';",
      files: INIT,
      errors: [{ messageId: 'duplicateValue', line: 1, column: 27, severity: 'error', includes: ["already has 'settled' (declared in 0001_init.sql)", '42710', 'IF NOT EXISTS'] }],
    },
    {
      name: 'same file: the label was added two statements earlier',
      code: "CREATE TYPE payout_state AS ENUM ('queued');\nALTER TYPE payout_state ADD VALUE 'sent' AFTER 'queued';\nALTER TYPE payout_state ADD VALUE 'sent' AFTER 'queued';",
      files: [],
      errors: [{ messageId: 'duplicateValue', line: 3, includes: 'declared in line 2' }],
    },
    {
      name: 'workspace: BEFORE/AFTER a label the enum lacks fails (22023, verified)',
      code: "ALTER TYPE payment_status ADD VALUE 'voided' AFTER 'captured';",
      files: INIT,
      errors: [{ messageId: 'missingNeighbor', severity: 'error', includes: ["'captured', which payment_status does not have (its labels: 'pending', 'settled', 'refunded')", '22023'] }],
    },
    {
      name: 'workspace: an appended value names the columns of the type',
      code: "ALTER TYPE payment_status ADD VALUE 'chargeback';",
      files: INIT,
      errors: [{ messageId: 'append', includes: ['columns (used by payments.status, refunds.status) and'] }],
    },
    {
      name: 'drizzle-kit folder: the append points at the pgEnum array order',
      code: 'ALTER TYPE "public"."payment_status" ADD VALUE \'chargeback\';',
      fileInfo: DRIZZLE_FOLDER,
      errors: [{ messageId: 'append', includes: ["ALTER TYPE public.payment_status ADD VALUE 'chargeback'", 'end of the pgEnum array'] }],
    },
    {
      name: 'a migration drizzle-kit generated from a pgEnum edit and a new default, on its DO-wrapped CREATE TYPE: both findings',
      code: 'ALTER TYPE "public"."payment_status" ADD VALUE \'chargeback\';--> statement-breakpoint\nALTER TABLE "payments" ALTER COLUMN "status" SET DEFAULT \'chargeback\';',
      path: 'drizzle/0001_new_status.sql',
      files: [{ path: 'drizzle/0000_init.sql', code: 'DO $$ BEGIN\n CREATE TYPE "public"."payment_status" AS ENUM(\'pending\', \'settled\');\nEXCEPTION\n WHEN duplicate_object THEN null;\nEND $$;\n--> statement-breakpoint\nCREATE TABLE "payments" ("id" bigint PRIMARY KEY, "status" "payment_status" DEFAULT \'pending\' NOT NULL);' }],
      fileInfo: { ...DRIZZLE_FOLDER, runnerWrapsTransaction: true },
      errors: [
        { messageId: 'append', line: 1, includes: ['(used by payments.status)', 'end of the pgEnum array'] },
        { messageId: 'unsafeUse', line: 2, includes: ['drizzle-kit `migrate`', '55P04'] },
      ],
    },
    {
      name: 'workspace: RENAME VALUE names the columns whose rows keep the label',
      code: "ALTER TYPE payment_status RENAME VALUE 'refunded' TO 'reversed';",
      files: INIT,
      errors: [{ messageId: 'renameValue', includes: 'keeps the stored rows of payments.status, refunds.status but' }],
    },
    {
      name: 'appended without BEFORE/AFTER: the ADD VALUE clause',
      code: "ALTER TYPE payment_status ADD VALUE IF NOT EXISTS 'refunded';",
      errors: [{ messageId: 'append', line: 1, column: 27, endColumn: 61, includes: ["ALTER TYPE payment_status ADD VALUE 'refunded'", 'declaration order', 'BEFORE or AFTER'] }],
      output: null,
    },
    {
      name: 'RENAME VALUE: first line',
      code: "ALTER TYPE public.payment_status\n  RENAME VALUE 'refunded' TO 'reversed';",
      errors: [{ messageId: 'renameValue', line: 1, column: 1, endColumn: 33, includes: ["'refunded' of enum public.payment_status to 'reversed'", 'invalid input value for enum'] }],
    },
    {
      name: 'new value used in the same BEGIN ... COMMIT block: each statement once, at the literal',
      code: "BEGIN;\nALTER TYPE payment_status ADD VALUE 'voided' AFTER 'settled';\nUPDATE payments SET status = 'voided' WHERE status = 'voided' OR voided_at IS NOT NULL;\nALTER TABLE payments ALTER COLUMN status SET DEFAULT 'voided'::payment_status;\nCOMMIT;",
      errors: [
        { messageId: 'unsafeUse', line: 3, column: 30, endColumn: 38, includes: ["'voided'", 'enum payment_status on line 2', 'BEGIN ... COMMIT', 'unsafe use of new value'] },
        { messageId: 'unsafeUse', line: 4, column: 54, endColumn: 62 },
      ],
    },
    {
      name: 'runner wraps the file: every later statement is in the same transaction',
      code: "ALTER TYPE payment_status ADD VALUE 'chargeback' BEFORE 'refunded';\n-- backfill\nINSERT INTO payment_events (status) VALUES ('chargeback');",
      fileInfo: { runnerWrapsTransaction: true },
      errors: [{ messageId: 'unsafeUse', line: 3, column: 45, includes: ['migration runner wraps this file'] }],
    },
    {
      name: 'partial index on the new value',
      code: "BEGIN;\nALTER TYPE payment_status ADD VALUE 'disputed';\nCREATE INDEX payments_disputed_idx ON payments (id) WHERE status = 'disputed';\nCOMMIT;",
      errors: [
        { messageId: 'append', line: 2, column: 27 },
        { messageId: 'unsafeUse', line: 3, column: 68 },
      ],
    },
  ],
});
