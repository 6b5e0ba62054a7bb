import rule from '../../server/src/rules/time-type-pitfalls';
import { ruleTester } from '../lib/rule-tester';

ruleTester(rule, {
  valid: [
    'CREATE TABLE t (a timestamptz, b timestamptz(3), c time, d date);',
    "SELECT now(), CURRENT_TIMESTAMP, LOCALTIME, created_at AT TIME ZONE 'Europe/Paris', created_at AT TIME ZONE INTERVAL '+05:00' FROM payments;",
    "SELECT date_trunc('second', created_at) FROM payments;",
  ],
  invalid: [
    {
      code: 'CREATE TABLE payouts (id bigint, paid_at timestamptz(0), cutoff time with time zone);',
      errors: [
        { messageId: 'precisionZero', line: 1, column: 42, endColumn: 56, includes: 'next day' },
        { messageId: 'timetz', column: 65, endColumn: 84 },
      ],
      output: 'CREATE TABLE payouts (id bigint, paid_at timestamptz, cutoff time with time zone);',
    },
    {
      code: "SELECT x::timestamp(0) without time zone, CURRENT_TIME, ts AT TIME ZONE '+05:00', ts AT TIME ZONE 'UTC-3' FROM t;",
      errors: [
        { messageId: 'precisionZero', column: 11, endColumn: 41 },
        { messageId: 'currentTime', column: 43, endColumn: 55 },
        { messageId: 'posixOffset', column: 73, endColumn: 81, includes: "INTERVAL '+05:00'" },
        { messageId: 'posixOffset', column: 99, endColumn: 106 },
      ],
      output: "SELECT x::timestamp without time zone, CURRENT_TIME, ts AT TIME ZONE '+05:00', ts AT TIME ZONE 'UTC-3' FROM t;",
    },
    {
      name: 'inside a function body',
      code: "CREATE FUNCTION cutoff() RETURNS timestamp LANGUAGE plpgsql AS $$\nDECLARE v timestamp;\nBEGIN\n  SELECT max(created_at AT TIME ZONE '-02') INTO v FROM payments;\n  RETURN v;\nEND $$;",
      errors: [{ messageId: 'posixOffset', line: 4, column: 38, endColumn: 43 }],
    },
  ],
});
