// Proof harness for the N+1 rewrites: a fixture file is linted, its "Batch into one query" fix
// applied, both versions type-checked against the real drizzle-orm types and run (transpiled to
// CommonJS) against a real PostgreSQL with a query-counting logger.
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { drizzle } from 'drizzle-orm/node-postgres';
import type { Pool } from 'pg';
import { applyEdits } from '../../lib/rule-tester';
import { lintTs, preferredEdits } from '../../lib/ts-rule-tester';
import check from '../../../server/src/drizzle/n-plus-one/n-plus-one-query';
import type { Finding } from '../../../server/src/engine/types';

export const ROOT = path.resolve(__dirname, '../../../..');
export const FIXTURES = path.join(ROOT, 'test/fixtures/n-plus-one');

export interface Fixture {
  name: string;
  original: string;
  rewritten: string;
  findings: Finding[];
}

export function loadFixture(name: string): Fixture {
  const original = fs.readFileSync(path.join(FIXTURES, `${name}.ts`), 'utf8');
  const { findings } = lintTs(check, { code: original });
  return { name, original, rewritten: applyEdits(original, preferredEdits(findings)), findings };
}

/** Type errors of in-memory files placed in the fixtures folder (so `drizzle-orm` resolves to node_modules). */
export function typeErrors(files: Record<string, string>): string[] {
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.Node16,
    moduleResolution: ts.ModuleResolutionKind.Node16,
    lib: ['lib.es2022.d.ts'],
    types: [],
    skipLibCheck: true,
  };
  const virtual = new Map(Object.entries(files).map(([name, text]) => [path.join(FIXTURES, name), text]));
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (f) => virtual.has(f) || fileExists.call(host, f);
  host.readFile = (f) => virtual.get(f) ?? readFile.call(host, f);
  host.getSourceFile = (f, lang, onError) => {
    const text = virtual.get(f);
    return text !== undefined ? ts.createSourceFile(f, text, lang) : getSourceFile.call(host, f, lang, onError);
  };
  const program = ts.createProgram([...virtual.keys()], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file && d.start !== undefined ? `${path.basename(d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: ` : '';
    return where + ts.flattenDiagnosticMessageText(d.messageText, '\n');
  });
}

/** Transpiles a fixture to CommonJS and evaluates it as a module of the fixtures folder. */
export function loadModule(source: string, name: string): Record<string, unknown> {
  const js = ts.transpileModule(source, { fileName: name, compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText;
  const module = { exports: {} as Record<string, unknown> };
  const requireFromFixtures = createRequire(path.join(FIXTURES, name));
  new Function('exports', 'require', 'module', js)(module.exports, requireFromFixtures, module);
  return module.exports;
}

export const SCHEMA_SQL = `
CREATE TYPE entry_kind AS ENUM ('debit', 'credit');
CREATE TABLE customers (id integer PRIMARY KEY, name text NOT NULL, email text NOT NULL);
CREATE TABLE invoices (id integer PRIMARY KEY, customer_id integer NOT NULL, status text NOT NULL, total_cents integer NOT NULL);
CREATE TABLE payments (id integer PRIMARY KEY, invoice_id integer, amount_cents integer NOT NULL, method text NOT NULL);
CREATE TABLE ledger_entries (id serial PRIMARY KEY, account_id integer NOT NULL, amount_cents integer NOT NULL, kind entry_kind NOT NULL, memo text NOT NULL);
`;

/** Seed data with repeated amounts (ties broken by id), NULL foreign keys and invoices without payments. */
export const SEED_SQL = `
TRUNCATE customers, invoices, payments, ledger_entries RESTART IDENTITY;
INSERT INTO customers SELECT i, 'customer ' || i, 'c' || i || '@example.com' FROM generate_series(1, 6) i;
INSERT INTO invoices SELECT i, 1 + i % 6, CASE WHEN i % 3 = 0 THEN 'paid' ELSE 'open' END, i * 1000 FROM generate_series(1, 8) i;
INSERT INTO payments SELECT i, CASE WHEN i % 7 = 0 THEN NULL ELSE 1 + i % 5 END, (i % 3) * 250, CASE WHEN i % 3 = 0 THEN 'bank' ELSE 'card' END FROM generate_series(1, 30) i;
`;

export const SNAPSHOT_SQL = `SELECT
  (SELECT json_agg(c ORDER BY id) FROM customers c) AS customers,
  (SELECT json_agg(i ORDER BY id) FROM invoices i) AS invoices,
  (SELECT json_agg(p ORDER BY id) FROM payments p) AS payments,
  (SELECT json_agg(l ORDER BY id) FROM ledger_entries l) AS ledger_entries`;

/** Ids of the rows a run wrote (inserted or updated: their xmin is newer than the marker), per table. */
const TOUCHED_SQL = `SELECT
  (SELECT array_agg(id ORDER BY id) FROM customers WHERE xmin::text::bigint > $1) AS customers,
  (SELECT array_agg(id ORDER BY id) FROM invoices WHERE xmin::text::bigint > $1) AS invoices,
  (SELECT array_agg(id ORDER BY id) FROM payments WHERE xmin::text::bigint > $1) AS payments,
  (SELECT array_agg(id ORDER BY id) FROM ledger_entries WHERE xmin::text::bigint > $1) AS ledger_entries`;

export interface Run {
  result: unknown;
  tables: Record<string, unknown>;
  /** Ids of rows inserted or updated, per table: an UPDATE that changes a row twice or misses one shows here. */
  touched: Record<string, unknown>;
  /** Statements sent, transaction control not counted. */
  queries: number;
  /** Wall time of the run itself (ms), seeding and snapshots excluded. */
  ms: number;
  /** CPU time of this node process during the run (ms): building and sending statements; PostgreSQL's own CPU is not in it. */
  cpuMs: number;
}

/** Seeds the database, runs a fixture's `run(db, input)` with a statement-counting logger, snapshots the tables. */
export async function runOnce(pool: Pool, source: string, name: string, input: unknown[]): Promise<Run> {
  await pool.query(SEED_SQL);
  // A fresh cluster never wrapped around: xids read from xmin and txid_current() compare directly.
  const marker = (await pool.query<{ x: string }>('SELECT txid_current()::text AS x')).rows[0].x;
  let queries = 0;
  const mod = loadModule(source, `${name}.ts`);
  const db = drizzle({
    client: pool,
    schema: (mod.schema as Record<string, unknown> | undefined) ?? {},
    logger: { logQuery: (q: string) => void (/^\s*(?:begin|commit|rollback|savepoint|release)\b/i.test(q) ? 0 : queries++) },
  });
  const run = mod.run as (db: unknown, input: unknown[]) => Promise<unknown>;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const result = await run(db, structuredClone(input));
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const tables = (await pool.query(SNAPSHOT_SQL)).rows[0] as Record<string, unknown>;
  const touched = (await pool.query(TOUCHED_SQL, [marker])).rows[0] as Record<string, unknown>;
  return { result, tables, touched, queries, ms, cpuMs: (cpu.user + cpu.system) / 1000 };
}
