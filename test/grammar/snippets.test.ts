/**
 * Keeps snippets/*.json and their expanded copies in test/fixtures/snippets in sync, and checks
 * the expansions parse (SQL with libpg-query, PL/pgSQL bodies too; TypeScript with tsc's parser).
 * Linting the fixtures for zero findings is the rules' job; this file only guarantees that what
 * they lint is exactly what a user gets from the snippet.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import * as ts from 'typescript';

const pgQuery = require('libpg-query') as {
  loadModule(): Promise<void>;
  parseSync(sql: string): { stmts: unknown[] };
  parsePlPgSQLSync(sql: string): unknown;
};

interface Snippet {
  prefix: string;
  description: string;
  body: string[];
}

function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'snippets', 'sql.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no snippets/sql.json above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

const root = repoRoot();
const fixtures = path.join(root, 'test', 'fixtures', 'snippets');

/** Expands VS Code snippet syntax the way accepting every default would. */
export function expandSnippet(body: string): string {
  const defaults = new Map<string, string>();
  const remember = (n: string, value: string): string => {
    if (!defaults.has(n)) defaults.set(n, value);
    return defaults.get(n) ?? value;
  };
  return body
    .replace(/(?<!\\)\$\{(\d+)\|([^,|]*)[^|]*\|\}/g, (_m, n: string, first: string) => remember(n, first))
    .replace(/(?<!\\)\$\{(\d+):([^}]*)\}/g, (_m, n: string, value: string) => remember(n, value))
    .replace(/(?<!\\)\$\{(\d+)\}|(?<!\\)\$(\d+)/g, (_m, a: string | undefined, b: string | undefined) => defaults.get(a ?? b ?? '') ?? '')
    .replace(/\\([$}\\])/g, '$1');
}

function loadSnippets(file: string): [string, Snippet][] {
  return Object.entries(JSON.parse(fs.readFileSync(path.join(root, 'snippets', file), 'utf8')) as Record<string, Snippet>);
}

const trimmedLines = (text: string): string[] => text.split('\n').map((l) => l.trim()).filter((l) => l !== '');

function assertContainsLines(haystack: string, needle: string, label: string): void {
  const h = trimmedLines(haystack).join('\n');
  const n = trimmedLines(needle).join('\n');
  assert.ok(h.includes(n), `${label}: fixture does not contain the expanded snippet:\n${n}`);
}

before(async () => {
  await pgQuery.loadModule();
});

test('expandSnippet fills defaults, mirrors, choices and escapes', () => {
  assert.equal(expandSnippet('${1:a}_x ${1} $1 ${2|>,<>|} \\$\\$ $0'), 'a_x a a > $$ ');
  assert.equal(expandSnippet("'^[A-Z]{3}\\$'"), "'^[A-Z]{3}$'");
});

for (const [file, ext] of [
  ['sql.json', 'sql'],
  ['drizzle.json', 'ts'],
] as const) {
  const snippets = loadSnippets(file);

  test(`${file}: prefixes are unique, start with ll- and every snippet has a description`, () => {
    assert.ok(snippets.length >= 4);
    const prefixes = snippets.map(([, s]) => s.prefix);
    assert.equal(new Set(prefixes).size, prefixes.length);
    for (const [name, s] of snippets) {
      assert.match(s.prefix, /^ll-[a-z-]+$/, name);
      assert.ok(s.description.length > 20, `${name} needs a description`);
      assert.ok(Array.isArray(s.body) && s.body.length > 0, `${name} needs a body`);
    }
  });

  for (const [name, snippet] of snippets) {
    test(`${file}: "${name}" matches its fixture and parses`, () => {
      const fixturePath = path.join(fixtures, `${snippet.prefix}.${ext}`);
      assert.ok(fs.existsSync(fixturePath), `missing fixture ${fixturePath}`);
      const fixture = fs.readFileSync(fixturePath, 'utf8');
      const expanded = expandSnippet(snippet.body.join('\n'));
      assert.doesNotMatch(expanded, /\$\{\d|\$\d/, 'an unexpanded placeholder is left');
      assertContainsLines(fixture, expanded, snippet.prefix);

      if (ext === 'sql') {
        assert.ok(pgQuery.parseSync(fixture).stmts.length > 0);
        if (/plpgsql/i.test(fixture)) pgQuery.parsePlPgSQLSync(fixture);
      } else {
        const out = ts.transpileModule(fixture, { reportDiagnostics: true, fileName: fixturePath });
        assert.deepEqual((out.diagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')), []);
      }
    });
  }
}

test('every ll-* fixture belongs to a snippet', () => {
  const prefixes = new Set([...loadSnippets('sql.json'), ...loadSnippets('drizzle.json')].map(([, s]) => s.prefix));
  const orphans = fs
    .readdirSync(fixtures)
    .filter((f) => f.startsWith('ll-'))
    .filter((f) => !prefixes.has(f.replace(/\.(sql|ts)$/, '')));
  assert.deepEqual(orphans, []);
});

test('a syntax error in a SQL fixture would be caught', () => {
  assert.throws(() => pgQuery.parseSync('CREATE TABLE t (id bigint,, amount_minor bigint)'));
});
