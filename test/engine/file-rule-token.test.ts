// The file-rule token (engine/file-rule-cache.ts) stands for what cached file rules read besides
// their statement. After a query edit it is found without a pass over the file's statements: it
// must be the same object exactly when a full pass would give the same fingerprint.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { fileRuleToken } from '../../server/src/engine/file-rule-cache';
import { PLAIN_FILE } from '../../server/src/engine/rule';
import { Project } from '../../server/src/engine/project';
import { initParser } from '../../server/src/sql/parser';
import { seededRandom as rng } from '../lib/seeded-random';

before(async () => {
  await initParser();
});

const FILE = [
  'CREATE TABLE payouts (id bigint PRIMARY KEY, merchant_id bigint, note text)',
  'SELECT id FROM payouts WHERE merchant_id = 1',
  'ALTER TABLE payouts ADD COLUMN paid_at timestamptz',
  "UPDATE payouts SET note = 'x' WHERE id = 2",
  'CREATE INDEX payouts_merchant_idx ON payouts (merchant_id)',
  'SELECT count(*) FROM payouts',
].join(';\n') + ';\n';

const SNIPPETS = [' ', 'x', ';', '\n', '\r\n', 'SELECT 1;\n', 'CREATE TABLE t (id bigint);\n', 'ALTER TABLE payouts ADD COLUMN y int;\n', '-- c\n'];

test('after each random edit, the token is the last one exactly when the fingerprint of a full pass is the same', () => {
  const random = rng(7);
  const project = new Project(undefined);
  let text = FILE;
  project.model.setFile('f.sql', text);
  const schema = project.model.schema();
  const tokenOf = () => fileRuleToken(schema, project.model.sqlFile('f.sql')!, PLAIN_FILE, 'k');
  let last = tokenOf();
  let kept = 0;
  let changed = 0;
  for (let round = 0; round < 300; round++) {
    const at = Math.floor(random() * (text.length + 1));
    text = random() < 0.3 && at < text.length ? text.slice(0, at) + text.slice(at + 1) : text.slice(0, at) + SNIPPETS[Math.floor(random() * SNIPPETS.length)] + text.slice(at);
    if (round % 50 === 49) text = FILE;
    // The same schema object throughout: only the file's own statements and text decide.
    project.model.setFile('f.sql', text);
    const token = tokenOf();
    // What a full pass gives for this version: a token made under a fresh schema has no last one to return.
    const fresh = fileRuleToken(new Project(undefined).model.schema(), project.model.sqlFile('f.sql')!, PLAIN_FILE, 'k');
    assert.equal(token.fingerprint, fresh.fingerprint, `round ${round}`);
    assert.equal(token === last, token.fingerprint === last.fingerprint, `round ${round}`);
    if (token === last) kept++;
    else changed++;
    last = token;
  }
  assert.ok(kept > 100 && changed > 20, `${kept} kept, ${changed} changed`);
});
