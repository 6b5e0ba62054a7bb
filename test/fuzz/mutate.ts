// Seeded mutations of SQL and TypeScript text for the fuzz test: the shapes of input an editor
// sees while someone types (truncations, half-deleted lines, unbalanced quotes) and the shapes
// an attacker or a generator produces (huge identifiers, deep nesting, binary junk).

/** mulberry32: small, fast, and the same sequence on every machine for a given seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Rng = () => number;

const int = (rng: Rng, n: number) => Math.floor(rng() * n);
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[int(rng, xs.length)];

/** Fragments that open or close the constructs the splitter and the rules track. */
const SQL_FRAGMENTS = [
  "'", '"', '$$', '$body$', '$1', 'E\'\\', '/*', '*/', '--', '(', ')', ';', '\\', '\\.', '\n', '\r\n', '\t',
  'BEGIN', 'END', 'COMMIT', 'ROLLBACK', 'CREATE FUNCTION f() RETURNS int AS $$', 'LANGUAGE plpgsql',
  'DO $$ BEGIN', 'COPY t FROM stdin;\n', 'CREATE TABLE', 'ALTER TABLE', 'DROP TABLE', 'ADD COLUMN', 'NOT NULL',
  'REFERENCES', 'PRIMARY KEY', 'UNIQUE', 'CONCURRENTLY', 'numeric(19,4)', 'double precision', 'money', 'real',
  'SET lock_timeout = \'2s\'', 'SECURITY DEFINER', 'FOR UPDATE', 'balance', 'amount', 'idempotency_key',
  'NOT IN (SELECT', 'WHERE', 'UPDATE', 'DELETE FROM', 'SELECT *', 'U&"', 'ledgerlint-disable-next-line',
  '-- ledgerlint-disable-file', '💸', '\u0000', '\uFEFF', '\uD800', 'é', '\\i x.sql\n',
];

const TS_FRAGMENTS = [
  '`', '${', '}', "'", '"', '(', ')', '{', '[', ']', ';', '//', '/*', '*/', '\n', 'sql`', 'db.execute(sql`',
  'pgTable(', 'numeric(', 'doublePrecision(', 'real(', 'integer(', "references(() => ", 'export const ',
  'import { sql } from "drizzle-orm";\n', 'import { Pool } from "pg";\n', '.query(`', 'sql.raw(', '<T>', '=>',
];

function truncate(rng: Rng, t: string): string {
  return t.slice(0, int(rng, t.length + 1));
}

function deleteRange(rng: Rng, t: string): string {
  const start = int(rng, t.length + 1);
  const len = 1 + int(rng, Math.min(40, t.length + 1));
  return t.slice(0, start) + t.slice(start + len);
}

function insertAt(rng: Rng, t: string, piece: string): string {
  const at = int(rng, t.length + 1);
  return t.slice(0, at) + piece + t.slice(at);
}

function duplicateRange(rng: Rng, t: string): string {
  const start = int(rng, t.length + 1);
  const piece = t.slice(start, start + 1 + int(rng, 200));
  return insertAt(rng, t, piece);
}

function swapLines(rng: Rng, t: string): string {
  const lines = t.split('\n');
  if (lines.length < 2) return t;
  const a = int(rng, lines.length);
  const b = int(rng, lines.length);
  [lines[a], lines[b]] = [lines[b], lines[a]];
  return lines.join('\n');
}

/** Bytes that are not text, decoded the way the CLI decodes an unreadable file (replacement chars). */
export function binaryJunk(rng: Rng, length: number): string {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = int(rng, 256);
  return Buffer.from(bytes).toString('latin1');
}

/** One random mutation (or a few stacked). */
export function mutate(rng: Rng, text: string, language: 'sql' | 'typescript'): string {
  const fragments = language === 'sql' ? SQL_FRAGMENTS : TS_FRAGMENTS;
  let t = text;
  const steps = 1 + int(rng, 4);
  for (let s = 0; s < steps; s++) {
    switch (int(rng, 9)) {
      case 0: t = truncate(rng, t); break;
      case 1: t = deleteRange(rng, t); break;
      case 2: case 3: t = insertAt(rng, t, pick(rng, fragments)); break;
      case 4: t = duplicateRange(rng, t); break;
      case 5: t = swapLines(rng, t); break;
      case 6: t = insertAt(rng, t, binaryJunk(rng, 1 + int(rng, 64))); break;
      case 7: t = insertAt(rng, t, ' ' + 'x'.repeat(1 + int(rng, 5000)) + ' '); break;
      default: {
        // Replace one character by another from the text: keeps the input close to valid.
        const at = int(rng, t.length);
        t = t.slice(0, at) + t.charAt(int(rng, t.length)) + t.slice(at + 1);
      }
    }
  }
  return t;
}

/** Inputs that stress recursion and quadratic paths, checked once each before the random ones. */
export function pathologicalSql(rng: Rng): Array<{ name: string; text: string }> {
  const ands = Array.from({ length: 10_000 }, (_, i) => `amount_minor <> ${i}`).join(' AND ');
  return [
    { name: '5,000 nested parentheses', text: `SELECT ${'('.repeat(5000)}1${')'.repeat(5000)};\n` },
    { name: '5,000 unclosed parentheses', text: `SELECT ${'('.repeat(5000)}1;\nCREATE TABLE t (amount real);\n` },
    { name: '10,000 ANDs', text: `UPDATE wallets SET balance = 0 WHERE ${ands};\n` },
    { name: '1,000 nested subqueries', text: `SELECT * FROM accounts WHERE id NOT IN ${'(SELECT id FROM t WHERE id IN '.repeat(1000)}(1)${')'.repeat(1000)};\n` },
    { name: 'huge identifier', text: `CREATE TABLE ${'p'.repeat(200_000)} (amount real, ${'c'.repeat(100_000)}_id int);\n` },
    { name: 'huge quoted identifier', text: `ALTER TABLE "${'q'.repeat(100_000)}" ADD COLUMN amount double precision;\n` },
    { name: 'unterminated quote', text: `INSERT INTO t VALUES ('abc;\nCREATE TABLE x (amount real);\n` },
    { name: 'unterminated dollar quote', text: `CREATE FUNCTION f() RETURNS void AS $$ BEGIN UPDATE wallets SET balance = 1;\nCREATE TABLE x (amount real);\n` },
    { name: 'unterminated comment', text: `/* ${'/* '.repeat(1000)} CREATE TABLE x (amount real);\n` },
    { name: 'nested DO blocks', text: `DO $a$ BEGIN ${'EXECUTE $b$ SELECT 1 $b$; '.repeat(2000)} END $a$;\n` },
    { name: '20,000 semicolons', text: ';'.repeat(20_000) },
    { name: '10,000 tiny statements', text: 'SELECT 1;\n'.repeat(10_000) },
    { name: 'deep CASE', text: `SELECT ${'CASE WHEN true THEN '.repeat(2000)}1${' END'.repeat(2000)};\n` },
    { name: 'deep PL/pgSQL IF', text: `CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN ${'IF true THEN '.repeat(500)}UPDATE wallets SET balance = 1;${' END IF;'.repeat(500)} END $$;\n` },
    { name: 'long string literal', text: `INSERT INTO t (note) VALUES ('${'x'.repeat(1_000_000)}');\n` },
    { name: 'binary junk', text: binaryJunk(rng, 50_000) },
    { name: 'NUL bytes', text: 'CREATE TABLE t (\u0000 amount real\u0000);\n' },
    { name: 'lone surrogates', text: 'CREATE TABLE "\uD800" (amount real); -- \uDC00\n' },
    { name: 'empty', text: '' },
  ];
}

export function pathologicalTs(): Array<{ name: string; text: string; knownBug?: string }> {
  return [
    { name: 'deep nested calls', knownBug: 'analyseTypeScript: RangeError (stack overflow in the TypeScript parser) escapes', text: `import { sql } from 'drizzle-orm';\nexport const x = ${'f('.repeat(3000)}sql\`SELECT 1\`${')'.repeat(3000)};\n` },
    { name: 'huge template', text: `import { sql } from 'drizzle-orm';\ndb.execute(sql\`UPDATE wallets SET balance = 0 WHERE ${Array.from({ length: 5000 }, (_, i) => `id <> ${i}`).join(' AND ')}\`);\n` },
    { name: 'unterminated template', text: `import { sql } from 'drizzle-orm';\ndb.execute(sql\`SELECT * FROM t WHERE id NOT IN (SELECT x FROM y\n` },
    { name: 'many tables', text: `import { pgTable, doublePrecision } from 'drizzle-orm/pg-core';\n${Array.from({ length: 500 }, (_, i) => `export const t${i} = pgTable('t${i}', { amount: doublePrecision('amount') });`).join('\n')}\n` },
  ];
}
