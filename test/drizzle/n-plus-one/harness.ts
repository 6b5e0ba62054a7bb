// Proof harness for the N+1 rewrites: a fixture file is linted, its "Batch into one query" fix
// applied, both versions type-checked against the real drizzle-orm types and run (transpiled to
// CommonJS) against a real PostgreSQL with a query-counting logger.
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
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
