import rule from '../../server/src/rules/jsonb-containment-unindexed';
import { ruleTester } from '../lib/rule-tester';
import { tsRuleTester } from '../lib/ts-rule-tester';

const PLAIN = { migration: false, role: 'plain' as const };
const payments = { path: 'migrations/0001_payments.sql', code: "CREATE TABLE payments (id bigint PRIMARY KEY, metadata jsonb NOT NULL DEFAULT '{}', tags text[], notes json);" };

ruleTester(rule, {
  valid: [
    {
      name: 'GIN index in another migration',
      files: [payments, { path: 'migrations/0002_gin.sql', code: 'CREATE INDEX CONCURRENTLY payments_metadata_idx ON payments USING gin (metadata jsonb_path_ops);' }],
      path: 'queries/payments.sql',
      fileInfo: PLAIN,
      code: "SELECT id FROM payments WHERE metadata @> '{\"provider\": \"stripe\"}';",
    },
    {
      name: 'not jsonb: array containment and json columns',
      files: [payments],
      fileInfo: PLAIN,
      path: 'queries/payments.sql',
      code: "SELECT id FROM payments WHERE tags @> ARRAY['vip'];\nSELECT id FROM payments WHERE notes::jsonb ? 'x';",
    },
    { name: 'unknown table and no jsonb cast: type unknown', code: "SELECT id FROM events WHERE payload ? 'refund_id';", fileInfo: PLAIN },
    {
      name: 'a backfill UPDATE at the top of a migration is not application code',
      files: [payments],
      code: "UPDATE payments SET metadata = metadata - 'legacy' WHERE metadata ? 'legacy';",
    },
    {
      name: 'index on the partitioned parent',
      code: "CREATE TABLE entries (id bigint, meta jsonb, created_at timestamptz) PARTITION BY RANGE (created_at);\nCREATE INDEX entries_meta_idx ON entries USING gin (meta);\nCREATE TABLE entries_2025 PARTITION OF entries FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');\nSELECT id FROM entries_2025 WHERE meta ? 'x';",
    },
  ],
  invalid: [
    {
      name: 'table in an earlier migration: a CONCURRENTLY migration in the folder convention, jsonb_path_ops for @>',
      files: [payments],
      path: 'queries/payments.sql',
      fileInfo: PLAIN,
      code: "SELECT p.id\nFROM payments p\nWHERE p.metadata @> '{\"provider\": \"stripe\"}';",
      errors: [{ messageId: 'unindexed', line: 3, column: 7, endColumn: 45, severity: 'info', includes: ['payments.metadata is filtered with @>', 'USING gin (metadata jsonb_path_ops)'] }],
      output: null,
      newFiles: [
        {
          path: 'migrations/0002_index_payments_metadata_gin.sql',
          text: [
            '-- GIN index for the @> filters on payments.metadata.',
            '-- CONCURRENTLY keeps writes to payments flowing while the index builds.',
            '-- IF NOT EXISTS lets a failed build be retried after dropping the INVALID index it leaves behind.',
            'CREATE INDEX CONCURRENTLY IF NOT EXISTS payments_metadata_idx ON payments USING gin (metadata jsonb_path_ops);',
            '',
          ].join('\n'),
        },
      ],
    },
    {
      name: 'key-existence operators need the default jsonb_ops; one index for the column',
      files: [payments],
      path: 'queries/payments.sql',
      fileInfo: PLAIN,
      code: "SELECT id FROM payments WHERE metadata @> $1;\nSELECT id FROM payments WHERE metadata ?| ARRAY['refund_id', 'dispute_id'];",
      errors: [
        { messageId: 'unindexed', line: 1, column: 31, includes: 'USING gin (metadata)' },
        { messageId: 'unindexed', line: 2, column: 31, includes: 'filtered with ?|' },
      ],
      newFiles: [
        {
          path: 'migrations/0002_index_payments_metadata_gin.sql',
          text: [
            '-- GIN index for the @>, ?| filters on payments.metadata.',
            '-- CONCURRENTLY keeps writes to payments flowing while the index builds.',
            '-- IF NOT EXISTS lets a failed build be retried after dropping the INVALID index it leaves behind.',
            'CREATE INDEX CONCURRENTLY IF NOT EXISTS payments_metadata_idx ON payments USING gin (metadata);',
            '',
          ].join('\n'),
        },
      ],
    },
    {
      name: 'table created in this file: plain CREATE INDEX after it; a btree does not count',
      code: "CREATE TABLE webhooks (id bigint PRIMARY KEY, body jsonb NOT NULL);\nCREATE INDEX webhooks_body_idx ON webhooks (body);\nCREATE VIEW stripe_webhooks AS SELECT id FROM webhooks WHERE body ?& ARRAY['id', 'type'];",
      errors: [{ messageId: 'unindexed', line: 3, column: 62 }],
      output:
        "CREATE TABLE webhooks (id bigint PRIMARY KEY, body jsonb NOT NULL);\nCREATE INDEX webhooks_body_1_idx ON webhooks USING gin (body);\nCREATE INDEX webhooks_body_idx ON webhooks (body);\nCREATE VIEW stripe_webhooks AS SELECT id FROM webhooks WHERE body ?& ARRAY['id', 'type'];",
    },
    {
      name: 'unknown table: a jsonb cast proves the type; no fix without the table',
      code: "SELECT id FROM events WHERE payload @> '{\"type\": \"refund\"}'::jsonb;",
      fileInfo: PLAIN,
      errors: [{ messageId: 'unindexed', includes: 'events.payload' }],
      output: null,
    },
    {
      name: 'inside a PL/pgSQL function',
      files: [payments],
      code: "CREATE FUNCTION by_provider(p text) RETURNS SETOF bigint LANGUAGE plpgsql AS $$\nBEGIN\n  RETURN QUERY SELECT id FROM payments WHERE metadata @> jsonb_build_object('provider', p);\nEND $$;",
      errors: [{ messageId: 'unindexed', line: 3, column: 46 }],
    },
  ],
});

// The same through Drizzle's `sql` templates: the interpolated filter is cast to jsonb.
tsRuleTester(rule, {
  valid: [
    `import { sql } from 'drizzle-orm';
export const q = (db: any, f: string) => db.execute(sql\`SELECT id FROM events WHERE payload ->> 'type' = \${f}\`);
`,
  ],
  invalid: [
    {
      name: 'same through sql',
      code: `import { sql } from 'drizzle-orm';
export const q = (db: any, f: object) => db.execute(sql\`SELECT id FROM events WHERE payload @> \${JSON.stringify(f)}::jsonb\`);
`,
      errors: [{ messageId: 'unindexed', line: 2, column: 85, includes: 'events.payload is filtered with @>' }],
      output: null,
    },
  ],
});
