// A lint takes the statement-rule findings of the statements an edit did not replace from the lint
// of the version before (engine/previous-lint.ts), without reading their entries again. What it
// reports must still be what a fresh lint reports, after edits that add, remove and split statements.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { Project } from '../../server/src/engine/project';
import { initParser } from '../../server/src/sql/parser';
import { generateSqlFile } from '../../bench/lib/generate';
import { seededRandom as rng } from '../lib/seeded-random';

before(async () => {
  await initParser();
});

function fresh(text: string): string {
  return JSON.stringify(new Project(undefined).lint('edited.sql', text).findings);
}

const INSERTS = [' ', 'x', ';', '\n', "'", 'SELECT * FROM payments_1;\n', 'CREATE TABLE t9 (amount float);\n', ' BETWEEN 1 AND 2'];

test('random edits: findings equal a fresh lint after each, with lists taken from the version before', () => {
  const random = rng(31);
  const project = new Project(undefined);
  let text = generateSqlFile(60);
  project.lint('edited.sql', text);
  for (let round = 0; round < 120; round++) {
    const at = Math.floor(random() * (text.length + 1));
    text = random() < 0.3 && at < text.length ? text.slice(0, at) + text.slice(at + 1) : text.slice(0, at) + INSERTS[Math.floor(random() * INSERTS.length)] + text.slice(at);
    // Now and then a version is parsed (by a schema replay) but not linted: the next lint cannot copy from it.
    if (round % 9 === 4) {
      project.model.setFile('edited.sql', text);
      project.model.sqlFile('edited.sql');
      text = text.slice(0, at) + ' ' + text.slice(at);
    }
    assert.equal(JSON.stringify(project.lint('edited.sql', text).findings), fresh(text), `round ${round}`);
  }
});

test('a query edit does not read the cached findings of the statements it did not replace', () => {
  const project = new Project(undefined);
  let text = generateSqlFile(40);
  const first = project.lint('edited.sql', text);
  // Counts reads of a far statement's cached statement-rule findings (its entry is its own: no other statement has its text).
  const far = first.file.statements.filter((s) => first.file.statements.filter((o) => o.entry === s.entry).length === 1).at(-1)!;
  let reads = 0;
  let value = far.entry.findings;
  Object.defineProperty(far.entry, 'findings', { get: () => (reads++, value), set: (v) => (value = v), configurable: true });
  const query = first.file.statements.find((s) => /^SELECT/.test(s.segment.text))!;
  text = text.slice(0, query.segment.start + 7) + ' ' + text.slice(query.segment.start + 7);
  const edited = project.lint('edited.sql', text);
  assert.equal(reads, 0, 'the far statement\'s entry was read');
  assert.equal(JSON.stringify(edited.findings), fresh(text));
});
