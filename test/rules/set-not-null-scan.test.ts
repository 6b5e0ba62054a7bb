import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { resolveConfig } from '../../server/src/engine/config';
import { lintSqlFile } from '../../server/src/engine/linter';
import { WorkspaceModel } from '../../server/src/model/workspace-model';
import rule from '../../server/src/rules/set-not-null-scan';
import { parseSqlFile } from '../../server/src/sql/document';
import { initParser } from '../../server/src/sql/parser';
import { ruleTester } from '../lib/rule-tester';

ruleTester(rule, {
  valid: [
    {
      name: 'the full recipe',
      code: 'ALTER TABLE payments ADD CONSTRAINT c_nn CHECK (currency IS NOT NULL) NOT VALID;\nALTER TABLE payments VALIDATE CONSTRAINT c_nn;\nALTER TABLE payments ALTER COLUMN currency SET NOT NULL;\nALTER TABLE payments DROP CONSTRAINT c_nn;',
    },
    { name: 'CHECK added validated (another rule warns about that scan)', code: 'ALTER TABLE payments ADD CONSTRAINT c CHECK (fee IS NOT NULL AND currency IS NOT NULL);\nALTER TABLE payments ALTER COLUMN currency SET NOT NULL;' },
    { name: 'table created in the file', code: 'CREATE TABLE refunds (id bigint, reason text);\nALTER TABLE refunds ALTER COLUMN reason SET NOT NULL;' },
    'ALTER TABLE payments ALTER COLUMN currency DROP NOT NULL',
  ],
  invalid: [
    {
      name: 'plain SET NOT NULL on an existing table',
      code: 'ALTER TABLE payments\n  ALTER COLUMN currency SET NOT NULL;',
      errors: [{ messageId: 'scan', line: 2, column: 3, endColumn: 37, includes: ['payments.currency', 'ACCESS EXCLUSIVE', 'CHECK (currency IS NOT NULL) NOT VALID'] }],
      output: null,
    },
    {
      name: 'CHECK added NOT VALID but never validated',
      code: 'ALTER TABLE payments ADD CONSTRAINT c_nn CHECK (currency IS NOT NULL) NOT VALID;\nALTER TABLE payments ALTER COLUMN currency SET NOT NULL;',
      errors: [{ messageId: 'scan', line: 2, column: 22 }],
    },
    {
      name: 'CHECK on another column, or dropped before',
      code: 'ALTER TABLE payments ADD CONSTRAINT c_nn CHECK (fee IS NOT NULL);\nALTER TABLE payments ADD CONSTRAINT c2 CHECK (currency IS NOT NULL);\nALTER TABLE payments DROP CONSTRAINT c2;\nALTER TABLE payments ALTER COLUMN currency SET NOT NULL, ALTER COLUMN fee SET NOT NULL;',
      errors: [{ messageId: 'scan', line: 4, column: 22, endColumn: 56, includes: 'payments.currency' }],
    },
    {
      name: 'CHECK on another table does not count',
      code: 'ALTER TABLE refunds ADD CONSTRAINT c CHECK (currency IS NOT NULL);\nALTER TABLE payments ALTER COLUMN currency SET NOT NULL;',
      errors: [{ messageId: 'scan', line: 2 }],
    },
  ],
});

describe('set-not-null-scan across migrations (workspace model)', () => {
  before(() => initParser());
  const lintSecond = (first: string, second: string) => {
    const model = new WorkspaceModel();
    model.setFile('db/0001_a.sql', first, { order: 0, role: 'up' });
    model.setFile('db/0002_b.sql', second, { order: 1, role: 'up' });
    const file = parseSqlFile('db/0002_b.sql', second);
    const fileInfo = { role: 'up' as const, migration: true, runnerWrapsTransaction: false };
    return lintSqlFile({ file, config: resolveConfig(undefined), rules: [rule], fileInfo, schema: model.schema(), isExistingTable: (t, i) => model.isExistingTable(t, 'db/0002_b.sql', i) });
  };

  it('a CHECK validated by an earlier migration lets SET NOT NULL skip the scan', () => {
    const out = lintSecond(
      'CREATE TABLE payments (id bigint, currency text);\nALTER TABLE payments ADD CONSTRAINT c_nn CHECK (currency IS NOT NULL) NOT VALID;\nALTER TABLE payments VALIDATE CONSTRAINT c_nn;',
      'ALTER TABLE payments ALTER COLUMN currency SET NOT NULL;',
    );
    assert.deepEqual(out.findings.map((f) => f.ruleId), []);
  });

  it('an unvalidated CHECK from an earlier migration does not', () => {
    const out = lintSecond(
      'CREATE TABLE payments (id bigint, currency text);\nALTER TABLE payments ADD CONSTRAINT c_nn CHECK (currency IS NOT NULL) NOT VALID;',
      'ALTER TABLE payments ALTER COLUMN currency SET NOT NULL;',
    );
    assert.deepEqual(out.findings.map((f) => f.messageId), ['scan']);
  });
});
