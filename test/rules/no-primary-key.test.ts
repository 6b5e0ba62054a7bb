import rule from '../../server/src/rules/no-primary-key';
import { ruleTester } from '../lib/rule-tester';

ruleTester(rule, {
  valid: [
    'CREATE TABLE payments (id bigint PRIMARY KEY, amount_minor bigint NOT NULL);',
    'CREATE TABLE fx (base text, quote text, rate numeric, PRIMARY KEY (base, quote));',
    { name: 'temporary table', code: 'CREATE TEMP TABLE scratch (x int);' },
    { name: 'partition child (the key lives on the parent)', code: "CREATE TABLE entries (id bigint, at date, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);\nCREATE TABLE entries_2025 PARTITION OF entries FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');" },
    { name: 'CREATE TABLE AS', code: 'CREATE TABLE report AS SELECT 1 AS a;' },
    {
      name: 'primary key added by a later migration',
      files: [{ path: 'migrations/0002_pk.sql', code: 'ALTER TABLE refunds ADD CONSTRAINT refunds_pkey PRIMARY KEY (payment_id);' }],
      path: 'migrations/0001_refunds.sql',
      code: 'CREATE TABLE refunds (payment_id bigint NOT NULL, amount_minor bigint NOT NULL);',
    },
    {
      name: 'a keyless table of another migration is reported there',
      files: [{ path: 'migrations/0001_logs.sql', code: 'CREATE TABLE logs (line text);' }],
      code: 'INSERT INTO logs VALUES (1);',
    },
  ],
  invalid: [
    {
      code: 'CREATE TABLE refunds (\n  payment_id bigint NOT NULL,\n  amount_minor bigint NOT NULL\n);',
      errors: [{ messageId: 'missing', line: 1, column: 14, endColumn: 21, includes: ['refunds has no primary key', 'logical-replication'] }],
      output: 'CREATE TABLE refunds (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, \n  payment_id bigint NOT NULL,\n  amount_minor bigint NOT NULL\n);',
    },
    {
      name: 'an id column without a key becomes the key',
      code: 'CREATE TABLE audit.events (id bigint NOT NULL, body jsonb);',
      errors: [{ messageId: 'missing', column: 14, endColumn: 26, includes: 'audit.events' }],
      output: 'CREATE TABLE audit.events (id bigint PRIMARY KEY NOT NULL, body jsonb);',
    },
    {
      name: 'the primary key was dropped by a later migration',
      files: [{ path: 'migrations/0002_drop.sql', code: 'ALTER TABLE payouts DROP CONSTRAINT payouts_pkey;' }],
      path: 'migrations/0001_payouts.sql',
      code: 'CREATE TABLE payouts (id bigint, CONSTRAINT payouts_pkey PRIMARY KEY (id));',
      errors: [{ messageId: 'missing', column: 14 }],
    },
    { name: 'empty column list', code: 'CREATE TABLE markers ();', errors: [{ messageId: 'missing' }], output: 'CREATE TABLE markers (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);' },
  ],
});
