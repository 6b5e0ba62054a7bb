import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import rule from '../../server/src/rules/timestamp-between';
import { nextDay, parseDate } from '../../server/src/rules/lib/between-date-literal';
import { resolveConfig } from '../../server/src/engine/config';
import { lintSqlFile } from '../../server/src/engine/linter';
import { replayFile } from '../../server/src/model/replay';
import { MutableSchema } from '../../server/src/model/schema-builder';
import { parseSqlFile } from '../../server/src/sql/document';
import { initParser } from '../../server/src/sql/parser';
import { startPostgres, type EmbeddedPostgres } from '../helpers/embedded-pg';
import { applyEdits, lintWith, ruleTester } from '../lib/rule-tester';

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
    {
      name: 'declared date in this file: BETWEEN two dates is right',
      code: "CREATE TABLE settlements (id bigint, settled_on date);\nSELECT * FROM settlements WHERE settled_on BETWEEN '2024-06-01' AND '2024-06-30';",
    },
    {
      name: 'declared type is not a timestamp, whatever the name',
      code: "CREATE TABLE imports (id bigint, batch_time text);\nSELECT * FROM imports WHERE batch_time BETWEEN 'a' AND 'b';",
    },
  ],
  invalid: [
    {
      name: 'declared timestamptz in this file, neutral name, parameters: no fix',
      code: 'CREATE TABLE payouts (id bigint, paid timestamptz NOT NULL);\nSELECT * FROM payouts p WHERE p.paid BETWEEN $1 AND $2;',
      errors: [{ messageId: 'between', line: 2, column: 31, endColumn: 55, includes: '`paid` is declared timestamptz' }],
      output: null,
    },
    {
      name: 'declared types resolved through aliases of a join',
      code: "CREATE TABLE fx_rates (id bigint, valid timestamp without time zone);\nCREATE TABLE holidays (id bigint, valid date);\nSELECT 1 FROM fx_rates r JOIN holidays h ON true\nWHERE h.valid BETWEEN '2024-06-01' AND '2024-06-30' AND r.valid BETWEEN '2024-06-01' AND '2024-06-30';",
      errors: [{ messageId: 'between', line: 4, column: 57, includes: 'declared timestamp' }],
      output: "CREATE TABLE fx_rates (id bigint, valid timestamp without time zone);\nCREATE TABLE holidays (id bigint, valid date);\nSELECT 1 FROM fx_rates r JOIN holidays h ON true\nWHERE h.valid BETWEEN '2024-06-01' AND '2024-06-30' AND r.valid >= '2024-06-01' AND r.valid < '2024-07-01';",
    },
    {
      name: 'inside a PL/pgSQL function body',
      code: "CREATE FUNCTION june_total() RETURNS numeric LANGUAGE plpgsql AS $$\nDECLARE total numeric;\nBEGIN\n  SELECT sum(amount) INTO total FROM payments WHERE created_at BETWEEN '2024-06-01' AND '2024-06-30';\n  RETURN total;\nEND $$;",
      errors: [{ messageId: 'between', line: 4, column: 53, endColumn: 101 }],
      output: "CREATE FUNCTION june_total() RETURNS numeric LANGUAGE plpgsql AS $$\nDECLARE total numeric;\nBEGIN\n  SELECT sum(amount) INTO total FROM payments WHERE created_at >= '2024-06-01' AND created_at < '2024-07-01';\n  RETURN total;\nEND $$;",
    },
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

// The verified fact and the fix, on a real PostgreSQL: BETWEEN misses the afternoon of the last day;
// the half-open range keeps it and still excludes the next period's midnight.
describe('timestamp-between on PostgreSQL', () => {
  let pg: EmbeddedPostgres | undefined;
  let client: Client | undefined;
  before(async () => {
    await initParser();
    pg = await startPostgres();
    client = new Client(pg.connectionConfig);
    await client.connect();
    await client.query(`
      SET TIME ZONE 'UTC';
      CREATE TABLE payments (id bigint PRIMARY KEY, created_at timestamptz NOT NULL);
      INSERT INTO payments VALUES (1, '2024-06-01 00:00'), (2, '2024-06-30 15:00'), (3, '2024-07-01 00:00'),
        (4, '2023-12-31 23:30'), (5, '2024-01-01 00:00'), (6, '2024-02-29 09:00');`);
  });
  after(async () => {
    await client?.end();
    await pg?.stop();
  });

  const ids = async (sql: string) => (await client!.query(sql)).rows.map((r) => Number(r.id));
  const fixed = (code: string) => {
    const { findings } = lintWith(rule, { code });
    assert.equal(findings.length, 1, code);
    return applyEdits(code, findings[0].fixes?.[0]?.edits ?? []);
  };

  it('BETWEEN misses 15:00 on the last day; the fix includes it and excludes the next midnight', async () => {
    const code = "SELECT id FROM payments WHERE created_at BETWEEN '2024-06-01' AND '2024-06-30' ORDER BY id";
    assert.deepEqual(await ids(code), [1]);
    assert.deepEqual(await ids(fixed(code)), [1, 2]);
  });

  it('year end and leap day, typed date literals', async () => {
    assert.deepEqual(await ids(fixed("SELECT id FROM payments WHERE created_at BETWEEN DATE '2023-12-01' AND DATE '2023-12-31' ORDER BY id")), [4]);
    assert.deepEqual(await ids(fixed("SELECT id FROM payments WHERE created_at BETWEEN '2024-02-01'::date AND '2024-02-29'::date ORDER BY id")), [6]);
  });
});

// Types declared by another migration of the workspace reach the rule through the schema model.
describe('timestamp-between with a workspace schema', () => {
  before(() => initParser());
  const lintQuery = (query: string) => {
    const schema = new MutableSchema();
    replayFile(parseSqlFile('migrations/0001_init.sql', 'CREATE TABLE billing.payouts (id bigint PRIMARY KEY, paid timestamptz NOT NULL, value_day date NOT NULL);'), schema, { order: 0 });
    const file = parseSqlFile('queries/report.sql', query);
    const { findings, ruleErrors } = lintSqlFile({ file, config: resolveConfig(undefined), rules: [rule], schema });
    assert.deepEqual(ruleErrors, []);
    return findings.map((f) => f.message);
  };

  it('reports a timestamptz column whose name says nothing', () => {
    const messages = lintQuery('SELECT id FROM billing.payouts WHERE paid BETWEEN $1 AND $2');
    assert.equal(messages.length, 1);
    assert.match(messages[0], /`paid` is declared timestamptz/);
  });

  it('leaves a date column with date bounds alone', () => {
    assert.deepEqual(lintQuery("SELECT id FROM billing.payouts WHERE value_day BETWEEN '2024-06-01' AND '2024-06-30'"), []);
  });
});
