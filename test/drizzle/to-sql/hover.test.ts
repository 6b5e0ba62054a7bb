// Hovering a Drizzle chain in a TypeScript file, through the real language server and a real
// PostgreSQL: the SQL Drizzle sends and its plan; an untranslatable chain says so and shows no plan.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { Client } from 'pg';
import type { Hover } from 'vscode-languageserver';
import { withLiterals } from '../../../server/src/drizzle/to-sql/hover';
import type { ExplainResult } from '../../../server/src/protocol';
import { seededWorkspace, type SeededWorkspace } from '../../helpers/seeded-workspace';
import { startServer, type TestClient } from '../../lib/lsp-client';

const SCHEMA = `import { bigint, numeric, pgTable, text } from 'drizzle-orm/pg-core';
export const payments = pgTable('payments', {
  id: bigint('id', { mode: 'number' }).primaryKey(),
  accountId: bigint('account_id', { mode: 'number' }).notNull(),
  status: text('status').notNull(),
  amount: numeric('amount').notNull(),
});
`;

const QUERIES = `import { eq, and, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { payments } from './schema';
const db = drizzle(process.env.DATABASE_URL!);

export function byAccount(accountId: number) {
  return db.select({ id: payments.id }).from(payments).where(eq(payments.accountId, accountId));
}
export const pending = db.select().from(payments).where(eq(payments.status, 'pending')).limit(10);
export const odd = db.select().from(payments).where(sql\`\${payments.amount} > \${sql.raw('0')}\`);
export const add = db.insert(payments).values({ id: 900001, accountId: 1, status: 'new', amount: '5' }).returning({ id: payments.id });
`;

function positionOf(text: string, needle: string): { line: number; character: number } {
  const at = text.indexOf(needle);
  const before = text.slice(0, at).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

describe('hover on Drizzle query chains (language server + PostgreSQL)', () => {
  let ws: SeededWorkspace | undefined;
  let dir: string;
  let client: TestClient;
  let uri: string;

  before(async () => {
    ws = await seededWorkspace('ledgerlint-drizzle-hover-', [
      'CREATE TABLE payments (id bigint PRIMARY KEY, account_id bigint NOT NULL, status text NOT NULL, amount numeric NOT NULL)',
      "INSERT INTO payments SELECT g, g % 500, CASE WHEN g % 50 = 0 THEN 'pending' ELSE 'settled' END, g FROM generate_series(1, 20000) g",
      'CREATE INDEX payments_account_id_idx ON payments (account_id)',
      'ANALYZE payments',
    ]);
    dir = ws.dir;
    fs.writeFileSync(path.join(dir, 'schema.ts'), SCHEMA);
    uri = pathToFileURL(path.join(dir, 'queries.ts')).href;
    client = await startServer(pathToFileURL(dir).href);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: QUERIES } });
  });
  after(async () => {
    await client?.stop();
    await ws?.remove();
  });

  const hoverAt = async (needle: string) => (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: positionOf(QUERIES, needle) })) as Hover | null;

  it('shows the SQL of a chain whose table is imported, and a generic plan using the index', async () => {
    const hover = await hoverAt('eq(payments.accountId');
    assert.ok(hover, 'a hover');
    const md = (hover.contents as { value: string }).value;
    assert.ok(md.includes('select "id" from "payments" where "payments"."account_id" = $1'), md);
    assert.match(md, /`\$1` = `accountId` \(known at run time\)/);
    assert.match(md, /Planned generically/);
    assert.match(md, /payments_account_id_idx/);
    assert.deepEqual(hover.range?.start, positionOf(QUERIES, 'db.select({ id'));
  });

  it('plans with the literal values from the code when every value is a literal', async () => {
    const md = ((await hoverAt("'pending'"))!.contents as { value: string }).value;
    assert.match(md, /limit \$2/);
    assert.match(md, /Planned with the literal values/);
    assert.match(md, /Seq Scan on payments/);
  });

  it('offers the plan view, EXPLAIN ANALYZE and copy JSON links, which explain the derived SQL', async () => {
    const md = ((await hoverAt('eq(payments.accountId'))!.contents as { value: string }).value;
    const links = [...md.matchAll(/\]\(command:(ledgerlint\.\w+)\?([^)]+)\)/g)].map((m) => ({ command: m[1], args: JSON.parse(decodeURIComponent(m[2])) as Array<{ uri: string; offset: number }> }));
    assert.deepEqual(links.map((l) => l.command).sort(), ['ledgerlint.copyPlanJson', 'ledgerlint.explainAnalyze', 'ledgerlint.showPlanView'], md);
    const arg = links[0].args[0];
    assert.equal(arg.uri, uri);
    assert.equal(arg.offset, QUERIES.indexOf('db.select({ id'), 'the links point at the chain');
    // What the client does with a link: the offset becomes a position for `ledgerlint/explain`.
    const position = positionOf(QUERIES, 'db.select({ id');
    const plain = (await client.connection.sendRequest('ledgerlint/explain', { uri, position })) as ExplainResult;
    assert.equal(plain.error, undefined);
    assert.ok(plain.sql?.startsWith('select "id" from "payments" where "payments"."account_id" = $1'), plain.sql);
    assert.match(plain.sql!, /\$1 = accountId/);
    assert.ok(Array.isArray(plain.planJson), 'plan JSON for the plan view and copy JSON');
    // A run-time value cannot be bound by EXPLAIN ANALYZE: refused with the reason.
    const refused = (await client.connection.sendRequest('ledgerlint/explain', { uri, position, analyze: 'select' })) as ExplainResult;
    assert.match(refused.error ?? '', /parameter/);
    // With every value a literal from the code, it runs (read-only, rolled back).
    const analyzed = (await client.connection.sendRequest('ledgerlint/explain', { uri, position: positionOf(QUERIES, "db.select().from(payments).where(eq(payments.status, 'pending'"), analyze: 'select' })) as ExplainResult;
    assert.equal(analyzed.error, undefined, analyzed.error);
    assert.match(JSON.stringify(analyzed.planJson), /"Actual Rows"/, 'EXPLAIN ANALYZE ran');
    assert.match(analyzed.sql ?? '', /limit \$2\n-- \$1 = 'pending', \$2 = 10$/);
  });

  it('asks before EXPLAIN ANALYZE of a Drizzle insert, and leaves the table as it was once confirmed', async () => {
    const position = positionOf(QUERIES, 'db.insert');
    const ask = (await client.connection.sendRequest('ledgerlint/explain', { uri, position, analyze: 'select' })) as ExplainResult;
    assert.equal(ask.requiresConfirmation?.statementKind, 'INSERT');
    assert.equal(ask.planJson, undefined);
    const ran = (await client.connection.sendRequest('ledgerlint/explain', { uri, position, analyze: 'dml-confirmed' })) as ExplainResult;
    assert.equal(ran.error, undefined, ran.error);
    assert.match(JSON.stringify(ran.planJson), /"Actual Rows"/);
    const c = new Client(ws!.pg.connectionConfig);
    await c.connect();
    const { rows } = await c.query('SELECT count(*)::int AS n FROM payments WHERE id = 900001');
    await c.end();
    assert.equal(rows[0].n, 0, 'rolled back');
  });

  it('says why a chain cannot be translated, without a plan', async () => {
    const md = ((await hoverAt('sql`'))!.contents as { value: string }).value;
    assert.match(md, /cannot derive the SQL of this chain statically/);
    assert.doesNotMatch(md, /Scan/);
  });

  it('no hover outside Drizzle chains', async () => {
    assert.equal(await hoverAt('process.env'), null);
  });
});

describe('literal values for the plan', () => {
  it('replaces $n outside quoted identifiers, and only when every value is known', () => {
    const params = [{ source: "'a'", literal: "it's" }, { source: '10', literal: 10 }];
    assert.equal(withLiterals('select "$1x" from "t" where "t"."s" = $1 limit $2', params), 'select "$1x" from "t" where "t"."s" = \'it\'\'s\' limit 10');
    assert.equal(withLiterals('select 1 where a = $1', [{ source: 'x' }]), undefined);
  });
});
