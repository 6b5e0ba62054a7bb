import rule from '../../server/src/rules/add-unique-pk-exclusion-directly';
import { ruleTester } from '../lib/rule-tester';

ruleTester(rule, {
  valid: [
    'ALTER TABLE payments ADD CONSTRAINT payments_key UNIQUE USING INDEX payments_key',
    'ALTER TABLE payments ADD CONSTRAINT payments_pkey PRIMARY KEY USING INDEX payments_id_idx',
    { name: 'table created in the file', code: 'CREATE TABLE refunds (id bigint, ref text);\nALTER TABLE refunds ADD CONSTRAINT refunds_ref_key UNIQUE (ref), ADD PRIMARY KEY (id);' },
    'ALTER TABLE payments ADD CONSTRAINT amount_positive CHECK (amount_minor > 0) NOT VALID',
  ],
  invalid: [
    {
      name: 'named UNIQUE, one command: two-step fix',
      code: '-- dedupe\nALTER TABLE payments ADD CONSTRAINT payments_idem_key UNIQUE (idempotency_key);',
      errors: [{ messageId: 'direct', line: 2, column: 22, endColumn: 79, includes: ['ADD UNIQUE', 'payments (idempotency_key)', 'ACCESS EXCLUSIVE', 'CONCURRENTLY'] }],
      output: '-- dedupe\nCREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS payments_idem_key ON payments (idempotency_key);\nALTER TABLE payments ADD CONSTRAINT payments_idem_key UNIQUE USING INDEX payments_idem_key;',
    },
    {
      name: 'PRIMARY KEY on a qualified, quoted table',
      code: 'ALTER TABLE app."Transfers" ADD CONSTRAINT "Transfers_pkey" PRIMARY KEY ("transferId", leg)',
      errors: [{ messageId: 'direct', includes: ['ADD PRIMARY KEY', 'Transfers (transferId, leg)'] }],
      output: 'CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "Transfers_pkey" ON app."Transfers" ("transferId", leg);\nALTER TABLE app."Transfers" ADD CONSTRAINT "Transfers_pkey" PRIMARY KEY USING INDEX "Transfers_pkey"',
    },
    {
      name: 'unnamed, INCLUDE, several commands, inline column UNIQUE: no fix',
      code: 'ALTER TABLE payments ADD UNIQUE (a), ADD CONSTRAINT k UNIQUE (b) INCLUDE (c), ADD COLUMN ref text UNIQUE;',
      errors: [
        { messageId: 'direct', column: 22, includes: 'payments (a)' },
        { messageId: 'direct', column: 38, includes: 'payments (b)' },
        { messageId: 'direct', column: 79, includes: 'payments (ref)' },
      ],
      output: null,
    },
    {
      name: 'in a runner-wrapped file: no fix, message says own migration',
      code: 'ALTER TABLE payments ADD CONSTRAINT k UNIQUE (reference);',
      fileInfo: { runnerWrapsTransaction: true },
      errors: [{ messageId: 'direct', includes: ['own migration that runs outside a transaction', 'drizzle-kit'] }],
      output: null,
    },
    {
      name: 'EXCLUDE',
      code: 'ALTER TABLE bookings ADD CONSTRAINT no_overlap EXCLUDE USING gist (room WITH =, during WITH &&);',
      errors: [{ messageId: 'exclusion', column: 22, includes: ['bookings', 'USING INDEX'] }],
      output: null,
    },
  ],
});
