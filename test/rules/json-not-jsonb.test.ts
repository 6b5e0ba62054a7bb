import rule from '../../server/src/rules/json-not-jsonb';
import { ruleTester } from '../lib/rule-tester';
import { tsRuleTester } from '../lib/ts-rule-tester';

ruleTester(rule, {
  valid: [
    'CREATE TABLE webhook_events (id bigint, payload jsonb NOT NULL, raw_body text)',
    "SELECT '{}'::jsonb, payload->>'id' FROM webhook_events",
    { code: "CREATE FUNCTION api_payload() RETURNS json LANGUAGE sql AS 'SELECT json_build_object()'", name: 'function signatures are not storage' },
    { code: 'CREATE TABLE json_exports (json_version text)', name: 'only the type matters, not names' },
  ],
  invalid: [
    {
      name: 'column with exact anchor',
      code: 'CREATE TABLE webhook_events (\n  id bigint,\n  payload json NOT NULL\n);',
      errors: [{ messageId: 'column', line: 3, column: 3, endLine: 3, endColumn: 15, severity: 'info', includes: ['webhook_events.payload', 'jsonb', 'equality'] }],
      output: 'CREATE TABLE webhook_events (\n  id bigint,\n  payload jsonb NOT NULL\n);',
    },
    {
      name: 'quoted names, qualified type, arrays kept',
      code: 'CREATE TABLE "Events" ("rawBodies" pg_catalog.json[][])',
      errors: [{ messageId: 'column', column: 24, endColumn: 55, includes: 'Events.rawBodies' }],
      output: 'CREATE TABLE "Events" ("rawBodies" jsonb[][])',
    },
    {
      name: 'ALTER TABLE ADD COLUMN and ALTER COLUMN TYPE in one statement',
      code: "ALTER TABLE app.payments ADD COLUMN metadata json DEFAULT '{}', ALTER COLUMN extra TYPE json USING extra::json;",
      errors: [
        { messageId: 'column', column: 37, endColumn: 50, includes: 'payments.metadata' },
        { messageId: 'column', column: 78, endColumn: 93, includes: 'payments.extra' },
        { messageId: 'cast', column: 100, endColumn: 111 },
      ],
      output: "ALTER TABLE app.payments ADD COLUMN metadata jsonb DEFAULT '{}', ALTER COLUMN extra TYPE jsonb USING extra::json;",
    },
    {
      name: 'domain',
      code: 'CREATE DOMAIN provider_payload AS json NOT NULL;',
      errors: [{ messageId: 'domain', column: 15, endColumn: 39, includes: 'provider_payload' }],
      output: 'CREATE DOMAIN provider_payload AS jsonb NOT NULL;',
    },
    {
      name: 'casts are reported without a fix',
      code: "INSERT INTO t (p) VALUES ('{\"a\":1}'::json), (CAST(NULL AS json))",
      errors: [
        { messageId: 'cast', column: 27, endColumn: 42 },
        { messageId: 'cast', column: 46, endColumn: 64 },
      ],
      output: null,
    },
    {
      name: 'severity can be configured',
      code: 'CREATE TABLE t (p json)',
      config: { rules: { 'json-not-jsonb': 'warning' } },
      errors: [{ messageId: 'column', severity: 'warning' }],
      output: 'CREATE TABLE t (p jsonb)',
    },
  ],
});

// The same rule on Drizzle schemas: findings on the TypeScript property, fixes that edit the builder.
tsRuleTester(rule, {
  valid: [
    `import { jsonb, pgTable } from 'drizzle-orm/pg-core';
export const events = pgTable('events', { payload: jsonb('payload') });
`,
  ],
  invalid: [
    {
      name: '$type<>() kept',
      code: `import { json, pgTable, text } from 'drizzle-orm/pg-core';

export const webhookEvents = pgTable('webhook_events', {
  id: text('id').primaryKey(),
  payload: json('payload').$type<{ type: string }>().notNull(),
});
`,
      errors: [{ messageId: 'column', line: 5, column: 3, endColumn: 63, includes: 'webhook_events.payload' }],
      output: `import { json, pgTable, text, jsonb } from 'drizzle-orm/pg-core';

export const webhookEvents = pgTable('webhook_events', {
  id: text('id').primaryKey(),
  payload: jsonb('payload').$type<{ type: string }>().notNull(),
});
`,
    },
  ],
});
