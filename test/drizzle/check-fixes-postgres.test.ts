// The Drizzle CHECK fixes on a real PostgreSQL: the table drizzle-orm describes after the fix (its
// columns and `getTableConfig().checks`, rendered by drizzle-orm's own dialect) creates the same
// constraints, by name and definition, as the SQL quick fix of the same table, and they refuse what
// the rule messages say they refuse.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import { resolveConfig } from '../../server/src/engine/config';
import { lintSqlFile } from '../../server/src/engine/linter';
import type { RuleDefinition } from '../../server/src/engine/rule';
import currencyRule from '../../server/src/rules/currency-code-unconstrained';
import moneyRule from '../../server/src/rules/money-amount-unconstrained';
import { parseSqlFile } from '../../server/src/sql/document';
import { initParser } from '../../server/src/sql/parser';
import { startPostgres, type EmbeddedPostgres } from '../helpers/embedded-pg';
import { applyEdits } from '../lib/rule-tester';
import { lintTs } from '../lib/ts-rule-tester';
import { loadModule } from './n-plus-one/harness';

const RULES = [moneyRule, currencyRule];

/** Applies every fix of both rules (the money one is offered, not preferred), one rule after the other. */
function fixAll(code: string, lint: (rule: RuleDefinition, code: string) => Array<{ fixes?: Array<{ edits: Parameters<typeof applyEdits>[1] }> }>): string {
  let out = code;
  for (const rule of RULES) {
    const findings = lint(rule, out);
    assert.ok(findings.length > 0, `${rule.meta.id} reports the input`);
    out = applyEdits(out, findings.flatMap((f) => f.fixes?.[0]?.edits ?? []));
  }
  return out;
}

const DRIZZLE = `import { bigint, char, pgTable } from 'drizzle-orm/pg-core';
export const payments = pgTable('payments', {
  id: bigint('id', { mode: 'number' }).primaryKey(),
  amountMinor: bigint('amount_minor', { mode: 'number' }),
  ccy: char('currency', { length: 3 }).notNull(),
});
`;
const SQL = 'CREATE TABLE payments (id bigint PRIMARY KEY, amount_minor bigint, currency char(3) NOT NULL);\n';

type DrizzleTable = Parameters<typeof import('drizzle-orm/pg-core').getTableConfig>[0];

/** CREATE TABLE from drizzle-orm's description of the table, as drizzle-kit writes it (checks rendered by PgDialect). */
function ddlOf(table: DrizzleTable): string {
  const { getTableConfig, PgDialect } = require('drizzle-orm/pg-core') as typeof import('drizzle-orm/pg-core');
  const dialect = new PgDialect();
  const config = getTableConfig(table);
  const columns = config.columns.map((c) => `"${c.name}" ${c.getSQLType()}${c.primary ? ' PRIMARY KEY' : ''}${c.notNull && !c.primary ? ' NOT NULL' : ''}`);
  const checks = config.checks.map((c) => `CONSTRAINT "${c.name}" CHECK (${dialect.sqlToQuery(c.value).sql})`);
  return `CREATE TABLE "${config.name}" (${[...columns, ...checks].join(', ')})`;
}

describe('Drizzle CHECK fixes on a real PostgreSQL', () => {
  let pg: EmbeddedPostgres;
  let db: Client;

  before(async () => {
    await initParser();
    pg = await startPostgres();
    db = new Client(pg.connectionConfig);
    await db.connect();
  });

  after(async () => {
    await db?.end().catch(() => undefined);
    await pg?.stop();
  });

  const constraints = async (schema: string) =>
    (
      await db.query<{ conname: string; def: string }>(
        `SELECT conname, pg_get_constraintdef(c.oid) AS def FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = $1 AND c.contype IN ('c', 'n') ORDER BY conname`,
        [schema],
      )
    ).rows;

  it('the fixed pgTable creates the constraints the SQL fix creates, and they refuse bad rows', async () => {
    const sql = fixAll(SQL, (rule, code) => lintSqlFile({ file: parseSqlFile('t.sql', code), config: resolveConfig(undefined), rules: [rule] }).findings);
    const ts = fixAll(DRIZZLE, (rule, code) => lintTs(rule, { code }).findings);
    const table = loadModule(ts, 'check-fixes-pg.ts').payments as DrizzleTable;
    await db.query('CREATE SCHEMA via_sql; CREATE SCHEMA via_drizzle');
    await db.query(`SET search_path = via_sql; ${sql}`);
    await db.query(`SET search_path = via_drizzle; ${ddlOf(table)}`);
    const fromSql = await constraints('via_sql');
    assert.deepEqual(
      fromSql.filter((c) => !c.def.startsWith('NOT NULL')),
      [
        { conname: 'payments_amount_minor_check', def: 'CHECK ((amount_minor > 0))' },
        { conname: 'payments_currency_check', def: "CHECK ((currency ~ '^[A-Z]{3}$'::text))" },
      ],
    );
    assert.deepEqual(await constraints('via_drizzle'), fromSql);
    for (const [values, code] of [
      ['(1, NULL, \'EUR\')', '23502'],
      ['(2, 0, \'EUR\')', '23514'],
      ['(3, 100, \'eur\')', '23514'],
      ['(4, 100, \'US\')', '23514'],
    ] as const) {
      await assert.rejects(db.query(`INSERT INTO via_drizzle.payments VALUES ${values}`), (e: { code?: string }) => e.code === code, values);
    }
    await db.query("INSERT INTO via_drizzle.payments VALUES (5, 100, 'EUR')");
  });
});
