import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { joinPath } from '../../server/src/workspace/join-path';

// joinPath concatenates where path.join would only normalise what needs no normalising: every case
// here must give path.join's answer, whether it takes the short way or not.
test('joinPath gives exactly what path.join gives', () => {
  const dirs = ['/', '/tmp', '/tmp/ll/f1000', '/tmp/ll/f1000/', '/tmp//ll', '/tmp/./ll', '/tmp/../ll', '/tmp/ll/.', '/tmp/ll/..', '/.hidden', '/a/..b', '/a/.b.', 'relative', './relative', '', '.', '..', '/a\\b'];
  const rels = ['x.sql', 'migrations', 'migrations/0001_init.sql', '.', '..', '..x', '.x', 'a/./b', 'a/../b', 'a//b', 'a/', './a', '../a', '/abs', '', 'a\\b', '0001 init.sql', 'ü/ß.sql'];
  for (const dir of dirs) for (const rel of rels) assert.equal(joinPath(dir, rel), path.join(dir, rel), `joinPath(${JSON.stringify(dir)}, ${JSON.stringify(rel)})`);
});
