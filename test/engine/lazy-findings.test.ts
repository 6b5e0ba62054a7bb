// A lint's findings are made when first read (engine/statement-findings.ts). These tests read them
// late, out of order and not at all, after later edits moved or re-made the statements they came
// from, and compare each with a fresh lint of that version's text.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { Project, type LintResult } from '../../server/src/engine/project';
import { lintRunsOf } from '../../server/src/engine/statement-findings';
import type { Finding } from '../../server/src/engine/types';
import { RULES } from '../../server/src/rules';
import { initParser } from '../../server/src/sql/parser';
import { generateSqlFile } from '../../bench/lib/generate';
import { seededRandom as rng } from '../lib/seeded-random';

before(async () => {
  await initParser();
});

function fresh(text: string): string {
  return JSON.stringify(new Project(undefined).lint('edited.sql', text).findings);
}

const INSERTS = [' ', 'x', ';', "'", '$$', '/*', '\r\n', 'é💸', '-- ledgerlint-disable-next-line\n', '-- ledgerlint-disable-file timestamp-between\n', 'CREATE TABLE t9 (at timestamp);\n', ' AND 1 = 1'];

function editAt(random: () => number, project: Project, text: string): string {
  const file = project.model.sqlFile('edited.sql')!;
  const stmt = file.statements[Math.floor(random() * file.statements.length)];
  // Near the start, the end, or inside a statement.
  const r = random();
  const at = r < 0.1 || !stmt ? 0 : r < 0.2 ? text.length : stmt.segment.start + Math.floor(random() * (stmt.segment.end - stmt.segment.start + 1));
  if (random() < 0.3 && at < text.length) return text.slice(0, at) + text.slice(at + 1);
  return text.slice(0, at) + INSERTS[Math.floor(random() * INSERTS.length)] + text.slice(at);
}

test('findings read after later edits (or never) equal a fresh lint of their own version', () => {
  const random = rng(11);
  let text = '-- prélude 💸\n' + generateSqlFile(40) + "SELECT * FROM payments WHERE created_at BETWEEN '2024-01-01' AND '2024-01-31';\n";
  const project = new Project(undefined);
  project.lint('edited.sql', text);
  const pending: Array<{ result: LintResult; text: string }> = [];
  let late = 0;
  for (let round = 0; round < 50; round++) {
    text = editAt(random, project, text);
    const result = project.lint('edited.sql', text);
    // Some are read at once, some a few edits later, some never.
    const choice = random();
    if (choice < 0.4) assert.equal(JSON.stringify(result.findings), fresh(text), `round ${round}, read at once`);
    else if (choice < 0.8) pending.push({ result, text });
    while (pending.length && (pending.length > 3 || random() < 0.3)) {
      const { result: old, text: oldText } = pending.splice(Math.floor(random() * pending.length), 1)[0];
      assert.equal(JSON.stringify(old.findings), fresh(oldText), `round ${round}, read late`);
      late++;
    }
  }
  for (const { result, text: oldText } of pending) assert.equal(JSON.stringify(result.findings), fresh(oldText));
  assert.ok(late > 10, `${late} results read late`);
});

test('the findings of a result read twice are the same list; spreading and serialising read them; assigning replaces them', () => {
  const project = new Project(undefined);
  const result = project.lint('a.sql', 'CREATE TABLE p (amount double precision);\nSELECT * FROM p;\n');
  const list = result.findings;
  assert.ok(list.length >= 2);
  assert.equal(result.findings, list);
  assert.deepEqual({ ...result }.findings, list);
  assert.deepEqual(JSON.parse(JSON.stringify(result, ['findings', 'ruleId'])).findings, list.map((f) => ({ ruleId: f.ruleId })));
  result.findings = [];
  assert.deepEqual(result.findings, []);
});

test('reused whole-file findings are handed on per statement: a query edit moves none of them, and unchanged statements keep their source object', () => {
  const wholeFile = new Set(RULES.filter((r) => r.scope === 'file' && r.cache === 'file').map((r) => r.meta.id));
  const project = new Project(undefined);
  let text = generateSqlFile(40);
  void project.lint('edited.sql', text).findings;
  const typeIn = (n: number) => {
    const query = project.model.sqlFile('edited.sql')!.statements.find((s) => /^SELECT/.test(s.segment.text))!;
    const at = query.segment.start + 7;
    text = text.slice(0, at) + ' '.repeat(n) + text.slice(at);
    return project.lint('edited.sql', text);
  };
  const first = typeIn(1);
  const runs = lintRunsOf(first)!;
  // Except those reaching past their statement (a fix adding a statement after it): handed on apart, moved.
  const statements = first.file.statements;
  const inItsStatement = (f: Finding) => {
    const stmt = statements.find((s) => s.segment.start <= f.span.start && f.span.start <= s.segment.end)!;
    const inside = (x: { start: number; end: number }) => x.start >= stmt.segment.start && x.end <= stmt.segment.end;
    return inside(f.span) && (f.fixes ?? []).every((x) => x.edits.every(inside));
  };
  assert.ok(!runs.others.some((f) => wholeFile.has(f.ruleId) && inItsStatement(f)), 'reused whole-file findings were made absolute by the lint');
  assert.equal(JSON.stringify(first.findings), fresh(text));
  const reported = first.findings.filter((f) => wholeFile.has(f.ruleId)).length;
  assert.ok(reported > 20, `${reported} whole-file findings`);
  const second = typeIn(2);
  const sources = lintRunsOf(second)!.fileOwn;
  let same = 0;
  runs.fileOwn.forEach((s, i) => s !== undefined && s === sources[i] && same++);
  assert.ok(same > 10, `${same} statements kept their file-rule source object`);
  assert.equal(JSON.stringify(second.findings), fresh(text));
});

test('a DDL edit that settles a whole-file finding of an unchanged statement: later query edits do not bring it back', () => {
  const project = new Project(undefined);
  const table = 'CREATE TABLE merchants (id bigint PRIMARY KEY);\nCREATE TABLE payouts (id bigint PRIMARY KEY, merchant_id bigint NOT NULL REFERENCES merchants (id));\n';
  let query = 'SELECT id FROM payouts WHERE id = 1;\n';
  const index = 'CREATE INDEX payouts_merchant_idx ON payouts (merchant_id);\n';
  const steps = [table + query, table + (query = query.replace('1', '12')), table + index + query, table + index + (query = query.replace('12', '123')), table + index + query.replace('123', '3')];
  const unindexed = steps.map((text) => {
    const findings = project.lint('edited.sql', text).findings;
    assert.equal(JSON.stringify(findings), fresh(text));
    return findings.filter((f) => f.ruleId === 'unindexed-foreign-key').length;
  });
  assert.deepEqual(unindexed, [1, 1, 0, 0, 0]);
});
