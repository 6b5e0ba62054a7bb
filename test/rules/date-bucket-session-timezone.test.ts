import rule from '../../server/src/rules/date-bucket-session-timezone';
import { ruleTester } from '../lib/rule-tester';

const PAYMENTS = { path: 'migrations/0001_p.sql', code: 'CREATE TABLE payments (id bigint PRIMARY KEY, amount_minor bigint, created_at timestamptz NOT NULL, booked timestamp, settled_on date);' };

ruleTester(rule, {
  valid: [
    "SELECT date_trunc('day', created_at, 'UTC'), sum(amount_minor) FROM payments GROUP BY 1;",
    "SELECT sum(amount_minor) FROM payments WHERE (created_at AT TIME ZONE 'Europe/Paris')::date = $1;",
    { name: 'not a financial table', code: "SELECT count(*) FROM page_views GROUP BY date_trunc('day', created_at);" },
    { name: 'only in the select list', code: "SELECT date_trunc('day', created_at) FROM payments;" },
    { name: 'timestamp without time zone: no session dependence', files: [PAYMENTS], path: 'q/a.sql', code: "SELECT 1 FROM payments GROUP BY date_trunc('day', booked);" },
    { name: 'date column', files: [PAYMENTS], path: 'q/b.sql', code: 'SELECT 1 FROM payments WHERE extract(year FROM settled_on) = 2024;' },
    { name: 'epoch is zone independent', code: 'SELECT 1 FROM payments WHERE extract(epoch FROM created_at) > $1;' },
  ],
  invalid: [
    {
      code: "SELECT sum(amount_minor) FROM payments GROUP BY date_trunc('day', created_at);",
      errors: [{ messageId: 'sessionZone', line: 1, column: 49, endColumn: 78, includes: ['`created_at` looks like a timestamptz', 'payments', "'Europe/Paris'"] }],
      output: "SELECT sum(amount_minor) FROM payments GROUP BY date_trunc('day', created_at, 'UTC');",
    },
    {
      name: 'schema type, ::date and extract with an alias',
      files: [PAYMENTS],
      path: 'queries/report.sql',
      code: "SELECT sum(p.amount_minor) FROM payments p\nWHERE p.created_at::date = '2024-06-30'\n  AND extract(hour FROM p.created_at) < 12;",
      errors: [
        { messageId: 'sessionZone', line: 2, column: 7, endColumn: 25, includes: 'it is timestamptz' },
        { messageId: 'sessionZone', line: 3, column: 7 },
      ],
      output: "SELECT sum(p.amount_minor) FROM payments p\nWHERE (p.created_at AT TIME ZONE 'UTC')::date = '2024-06-30'\n  AND extract(hour FROM p.created_at AT TIME ZONE 'UTC') < 12;",
    },
    {
      name: 'inside a function body, in a loop query',
      code: "CREATE FUNCTION daily() RETURNS void LANGUAGE plpgsql AS $$\nDECLARE r record;\nBEGIN\n  FOR r IN SELECT created_at::date AS d, sum(amount) AS s FROM settlements GROUP BY created_at::date LOOP\n    RAISE NOTICE '%', r.s;\n  END LOOP;\nEND $$;",
      errors: [{ messageId: 'sessionZone', line: 4, column: 85, includes: 'function `daily`' }],
      output: "CREATE FUNCTION daily() RETURNS void LANGUAGE plpgsql AS $$\nDECLARE r record;\nBEGIN\n  FOR r IN SELECT created_at::date AS d, sum(amount) AS s FROM settlements GROUP BY (created_at AT TIME ZONE 'UTC')::date LOOP\n    RAISE NOTICE '%', r.s;\n  END LOOP;\nEND $$;",
    },
  ],
});
