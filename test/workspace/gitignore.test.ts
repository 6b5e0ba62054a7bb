import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GitIgnore } from '../../server/src/workspace/gitignore';

test('gitignore patterns: globs, anchoring, directories, **, negation, comments, escapes', () => {
  const g = new GitIgnore(['# comment', '', '*.log', '/build', 'tmp/', 'docs/**/draft-*.sql', '**/generated', 'a?c.sql', '!keep.log', '\\#hash.sql', 'secret[12].sql   '].join('\n'));
  const cases: Array<[string, boolean, boolean]> = [
    ['x.log', false, true],
    ['deep/dir/x.log', false, true],
    ['keep.log', false, false],
    ['build', true, true],
    ['src/build', true, false],
    ['tmp', true, true],
    ['src/tmp', true, true],
    ['tmp', false, false],
    ['docs/draft-1.sql', false, true],
    ['docs/a/b/draft-2.sql', false, true],
    ['docs/a/final.sql', false, false],
    ['generated', true, true],
    ['x/y/generated', true, true],
    ['abc.sql', false, true],
    ['a/c.sql', false, false],
    ['#hash.sql', false, true],
    ['secret1.sql', false, true],
    ['secret3.sql', false, false],
    ['migrations/0001_a.sql', false, false],
  ];
  for (const [p, dir, expected] of cases) assert.equal(g.ignores(p, dir), expected, `${p} (dir: ${dir})`);
});
