import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { parseSqlFile, StatementCache, type SqlFile } from '../../server/src/sql/document';
import { initParser } from '../../server/src/sql/parser';
import { referencedTablesOf, schemaStatements } from '../../server/src/engine/file-shape';
import { generateSqlFile } from '../../bench/lib/generate';
import { seededRandom } from '../lib/seeded-random';

before(async () => {
  await initParser();
});

/** Tables the file's DDL touched, passed as the same object each time (the answer is kept while the names are the same). */
const ALSO = new Set(['touched_by_ddl']);

/** What a full pass says: schema statements (index and text) and referenced tables. */
function describe(owner: object, file: SqlFile): string {
  const shape = schemaStatements(owner, file);
  const statements = shape.indices.map((i, k) => `${i}:${shape.entries[k].text}`);
  return JSON.stringify({ statements, tables: [...referencedTablesOf(owner, file, ALSO)].sort() });
}

// Edits that merge and split statements, open quotes, dollar bodies and comments that swallow the
// rest of the file, turn a query into DDL and back, and add CRLF and non-ASCII text before others.
const INSERTS = [';', "'", '$$', '/*', '*/', '--', '\n', '\r\n', 'é', ' ', 'x', 'CREATE TABLE t7 (id int);', 'SELECT 1 FROM t8;', 'ALTER TABLE wallets ADD COLUMN z int;', ' JOIN ledger ON true'];

test('schema statements and referenced tables after random edits equal a full pass over the new version', () => {
  const random = seededRandom(15);
  let text = generateSqlFile(60) + 'SELECT * FROM a JOIN b ON true;\nCREATE TABLE c (id int);\n';
  const cache = new StatementCache();
  const owner = {};
  let file = parseSqlFile('f.sql', text, cache);
  describe(owner, file);
  let incremental = 0;
  for (let round = 0; round < 300; round++) {
    const at = Math.floor(random() * (text.length + 1));
    const r = random();
    if (r < 0.35) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 40));
    else if (r < 0.4) text = INSERTS[Math.floor(random() * INSERTS.length)] + text;
    else if (r < 0.45) text = text + INSERTS[Math.floor(random() * INSERTS.length)];
    else text = text.slice(0, at) + INSERTS[Math.floor(random() * INSERTS.length)] + text.slice(at);
    file = parseSqlFile('f.sql', text, cache);
    if (file.edit) incremental++;
    assert.equal(describe(owner, file), describe({}, parseSqlFile('f.sql', text)), `round ${round}: edit at ${at}`);
  }
  assert.ok(incremental > 200, `updated from the edit ${incremental} of 300 times`);
});

test('a version not re-split from the one tracked last is read in a full pass', () => {
  const cache = new StatementCache();
  const owner = {};
  const a = parseSqlFile('f.sql', 'CREATE TABLE a (id int);\nSELECT 1 FROM b;\n', cache);
  describe(owner, a);
  // Two edits, the middle version never asked about: the tracked state is two versions old.
  parseSqlFile('f.sql', 'CREATE TABLE a (id int);\nSELECT 1 FROM c;\n', cache);
  const c = parseSqlFile('f.sql', 'CREATE TABLE a (id int);\nSELECT 1 FROM d;\n', cache);
  assert.deepEqual([...referencedTablesOf(owner, c, [])].sort(), ['d']);
});
