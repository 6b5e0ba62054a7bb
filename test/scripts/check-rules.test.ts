import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { checkRules, ROOT } from '../../scripts/check-rules';
import { scaffoldRule } from '../../scripts/new-rule';

describe('check:rules', () => {
  it('every rule has a registry entry, a test, up-to-date docs and a README row', () => {
    assert.deepEqual(checkRules(), []);
  });

  it('new-rule scaffolds a rule, its test and its registry entry; the check notices missing docs', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlint-newrule-'));
    try {
      for (const d of ['server/src/rules', 'test/rules']) fs.mkdirSync(path.join(tmp, d), { recursive: true });
      fs.copyFileSync(path.join(ROOT, 'server/src/rules/index.ts'), path.join(tmp, 'server/src/rules/index.ts'));
      const files = scaffoldRule('example-rule', 'money', 'statement', tmp);
      assert.deepEqual(files, ['server/src/rules/example-rule.ts', 'test/rules/example-rule.test.ts', 'server/src/rules/index.ts']);
      const index = fs.readFileSync(path.join(tmp, 'server/src/rules/index.ts'), 'utf8');
      assert.match(index, /import exampleRule from '\.\/example-rule';/);
      assert.match(index, /\n {2}exampleRule,\n\];/);
      assert.throws(() => scaffoldRule('example-rule', 'money', 'statement', tmp), /already exists/);
      assert.throws(() => scaffoldRule('Bad_Id', 'money', 'statement', tmp), /kebab-case/);
      // The scaffolded rule is not in the real registry, so the check run on that tree reports it.
      const problems = checkRules(tmp);
      assert.ok(problems.some((p) => p.includes('example-rule.ts is not registered')), problems.join('\n'));
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
