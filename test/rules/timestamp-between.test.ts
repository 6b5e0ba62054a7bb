import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import rule from '../../server/src/rules/timestamp-between';
import { nextDay, parseDate } from '../../server/src/rules/lib/between-date-literal';
import { ruleTester } from '../lib/rule-tester';

describe('timestamp-between: next day of a date literal', () => {
  const next = (s: string) => nextDay(parseDate(s)!);
  it('crosses month ends, year ends and leap days', () => {
    assert.equal(next('2024-06-30'), '2024-07-01');
    assert.equal(next('2024-06-15'), '2024-06-16');
    assert.equal(next('2023-12-31'), '2024-01-01');
    assert.equal(next('2024-02-28'), '2024-02-29');
    assert.equal(next('2024-02-29'), '2024-03-01');
    assert.equal(next('2023-02-28'), '2023-03-01');
    assert.equal(next('1900-02-28'), '1900-03-01');
    assert.equal(next('2000-02-28'), '2000-02-29');
    assert.equal(next('2024-04-30'), '2024-05-01');
  });
  it('rejects dates that do not exist', () => {
    assert.equal(parseDate('2023-02-29'), undefined);
    assert.equal(parseDate('2024-13-01'), undefined);
    assert.equal(parseDate('2024-06-31'), undefined);
    assert.equal(parseDate('2024-06-30 12:00'), undefined);
  });
});

ruleTester(rule, {
  valid: [
    "SELECT * FROM payments WHERE created_at >= '2024-06-01' AND created_at < '2024-07-01'",
    { code: "SELECT * FROM settlements WHERE business_date BETWEEN '2024-06-01' AND '2024-06-30'", name: 'date column' },
    'SELECT * FROM payments WHERE amount BETWEEN 10 AND 20',
    { code: "SELECT * FROM payments WHERE created_at::date BETWEEN '2024-06-01' AND '2024-06-30'", name: 'cast to date first' },
    'SELECT * FROM jobs WHERE attempts BETWEEN $1 AND $2',
    { code: "SELECT 'created_at BETWEEN 1 AND 2'", name: 'inside a string' },
  ],
  invalid: [
    {
      name: 'date bounds on a timestamp-named column',
      code: "SELECT sum(amount) FROM payments\nWHERE created_at BETWEEN '2024-06-01' AND '2024-06-30';",
      errors: [{ messageId: 'between', line: 2, column: 7, endLine: 2, endColumn: 55, includes: ['created_at BETWEEN', '`created_at` looks like a timestamp column', "'2024-06-30'"] }],
      output: "SELECT sum(amount) FROM payments\nWHERE created_at >= '2024-06-01' AND created_at < '2024-07-01';",
    },
    {
      name: 'qualified column, DATE literals, year end',
      code: "SELECT * FROM payouts p WHERE p.settled_at BETWEEN DATE '2023-12-01' AND DATE '2023-12-31' AND p.status = 'paid'",
      errors: [{ messageId: 'between', column: 31, endColumn: 91, includes: 'p.settled_at' }],
      output: "SELECT * FROM payouts p WHERE p.settled_at >= DATE '2023-12-01' AND p.settled_at < DATE '2024-01-01' AND p.status = 'paid'",
    },
    {
      name: 'quoted camelCase column, parameter lower bound, ::date upper, leap years',
      code: `SELECT 1 FROM t WHERE "createdAt" BETWEEN $1 AND '2024-02-28'::date;\nSELECT 1 FROM t WHERE event_ts BETWEEN $1 AND '2023-02-28';`,
      errors: [
        { messageId: 'between', line: 1, column: 23, endColumn: 68 },
        { messageId: 'between', line: 2, column: 23 },
      ],
      output: `SELECT 1 FROM t WHERE "createdAt" >= $1 AND "createdAt" < '2024-02-29'::date;\nSELECT 1 FROM t WHERE event_ts >= $1 AND event_ts < '2023-03-01';`,
    },
    {
      name: 'neutral column name with date bounds',
      code: "SELECT * FROM bookings WHERE booked BETWEEN '2024-06-01' AND '2024-06-30'",
      errors: [{ messageId: 'between', column: 30, includes: 'with date bounds' }],
      output: "SELECT * FROM bookings WHERE booked >= '2024-06-01' AND booked < '2024-07-01'",
    },
    {
      name: 'under NOT: parenthesised',
      code: "DELETE FROM sessions WHERE NOT created_at BETWEEN '2024-06-01' AND '2024-06-30'",
      errors: [{ messageId: 'between', column: 32 }],
      output: "DELETE FROM sessions WHERE NOT (created_at >= '2024-06-01' AND created_at < '2024-07-01')",
    },
    {
      name: 'under OR: AND binds tighter, no parentheses',
      code: "SELECT * FROM payments WHERE refunded OR created_at BETWEEN '2024-01-01' AND '2024-01-31'",
      errors: [{ messageId: 'between', column: 42 }],
      output: "SELECT * FROM payments WHERE refunded OR created_at >= '2024-01-01' AND created_at < '2024-02-01'",
    },
    {
      name: 'NOT BETWEEN: no fix',
      code: 'SELECT * FROM payments WHERE created_at NOT BETWEEN $1 AND $2',
      errors: [{ messageId: 'between', column: 30, includes: 'NOT BETWEEN' }],
      output: null,
    },
    {
      name: 'BETWEEN SYMMETRIC: no fix',
      code: "SELECT * FROM payments WHERE created_at BETWEEN SYMMETRIC '2024-06-30' AND '2024-06-01'",
      errors: [{ messageId: 'between', column: 30, includes: 'BETWEEN SYMMETRIC' }],
      output: null,
    },
    {
      name: 'parameters only, time-of-day upper bound, impossible date: reported without fix',
      code: "SELECT 1 FROM a WHERE paid_at BETWEEN $1 AND $2;\nSELECT 1 FROM a WHERE paid_at BETWEEN '2024-06-01' AND '2024-06-30 23:59:59';\nSELECT 1 FROM a WHERE paid_at BETWEEN '2024-02-01' AND '2023-02-29';",
      errors: [
        { messageId: 'between', line: 1, column: 23 },
        { messageId: 'between', line: 2, column: 23 },
        { messageId: 'between', line: 3, column: 23 },
      ],
      output: null,
    },
    {
      name: 'column lower bound is not repeated by the fix',
      code: "SELECT 1 FROM a JOIN b ON b.valid_from_at BETWEEN a.opened_at AND '2024-06-30'",
      errors: [{ messageId: 'between', column: 27, endColumn: 79, includes: "b.valid_from_at BETWEEN" }],
      output: null,
    },
    {
      name: 'qualified upper bound is quoted whole',
      code: 'SELECT 1 FROM a, b WHERE b.created_at BETWEEN a.opened_at AND a.closed_at',
      errors: [{ messageId: 'between', column: 26, endColumn: 74, includes: '(a.closed_at)' }],
      output: null,
    },
  ],
});
