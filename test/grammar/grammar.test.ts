/**
 * Runs the vscode-tmgrammar-test assertion files in test/grammar/cases against
 * syntaxes/sql-in-ts.tmLanguage.json, injected into minimal TypeScript/SQL base grammars
 * (test/grammar/base: no real TypeScript or SQL grammar ships in node_modules).
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';

function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'syntaxes', 'sql-in-ts.tmLanguage.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no syntaxes/sql-in-ts.tmLanguage.json above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

const root = repoRoot();
const grammarDir = path.join(root, 'test', 'grammar');
const runner = path.join(root, 'node_modules', 'vscode-tmgrammar-test', 'dist', 'unit.js');

function runCases(configPath: string, pattern: string): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [runner, '--compact', '--config', configPath, pattern], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

test('injection grammar declares the scope and selector the extension contributes', () => {
  const grammar = JSON.parse(fs.readFileSync(path.join(root, 'syntaxes', 'sql-in-ts.tmLanguage.json'), 'utf8'));
  assert.equal(grammar.scopeName, 'inline.ledgerlint.sql');
  assert.equal(grammar.injectionSelector, 'L:source.ts -comment -string, L:source.tsx -comment -string');
  const body = JSON.stringify(grammar.repository['sql-body']);
  assert.match(body, /"include":"source\.sql"/);
  assert.match(JSON.stringify(grammar.repository.interpolation), /"include":"source\.ts#expression"/);
});

test('all grammar assertion files pass', () => {
  const cases = fs.readdirSync(path.join(grammarDir, 'cases')).filter((f) => f.endsWith('.txt'));
  assert.ok(cases.length >= 4, `expected the grammar cases, found ${cases.join(', ')}`);
  const { status, output } = runCases(path.join(grammarDir, 'tmgrammar.config.json'), 'test/grammar/cases/*.txt');
  assert.equal(status, 0, output);
  for (const file of cases) assert.match(output, new RegExp(`${file.replace(/\./g, '\\.')} run successfuly`), output);
});

test('a wrong scope assertion makes the runner fail', () => {
  const { status, output } = runCases(path.join(grammarDir, 'tmgrammar.config.json'), 'test/grammar/must-fail/*.txt');
  assert.notEqual(status, 0, output);
  assert.match(output, /meta\.embedded\.block\.sql/);
});

test('without the injection grammar the SQL assertions fail', () => {
  const config = JSON.parse(fs.readFileSync(path.join(grammarDir, 'tmgrammar.config.json'), 'utf8'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlint-grammar-'));
  // The runner resolves grammar paths against the config file's folder.
  const grammars = (config.contributes.grammars as { scopeName: string; path: string }[])
    .filter((g) => g.scopeName !== 'inline.ledgerlint.sql')
    .map((g) => ({ ...g, path: path.relative(dir, path.resolve(grammarDir, g.path)) }));
  try {
    const configPath = path.join(dir, 'no-injection.json');
    fs.writeFileSync(configPath, JSON.stringify({ contributes: { grammars } }));
    const { status, output } = runCases(configPath, 'test/grammar/cases/tagged-template.sql-in-ts.txt');
    assert.notEqual(status, 0, output);
    assert.match(output, /missing required scopes: .*keyword\.other\.DML\.sql/i);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
