// Partitions and INHERITS children get the parent's CHECK constraints, as PostgreSQL copies them:
// rules asking "is this money column constrained?" must see them on the child too.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { WorkspaceModel } from '../../server/src/model/workspace-model';
import { initParser } from '../../server/src/sql/parser';

before(() => initParser());

test('a partition and an inheriting table carry the parent CHECKs; LIKE does not', () => {
  const m = new WorkspaceModel();
  m.setFile(
    'db/0001.sql',
    [
      "CREATE TABLE settlements (id bigint, amount_minor bigint NOT NULL CHECK (amount_minor > 0), day date NOT NULL) PARTITION BY RANGE (day);",
      "CREATE TABLE settlements_2026 PARTITION OF settlements FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');",
      'CREATE TABLE old_settlements () INHERITS (settlements_2026);',
      'CREATE TABLE settlements_copy (LIKE settlements);',
    ].join('\n'),
    { order: 0, role: 'up' },
  );
  const checks = (t: string) => m.schema().table(t)?.checks.map((c) => `${c.expr} ${c.columns.join(',')}`);
  assert.deepEqual(checks('settlements'), ['amount_minor > 0 amount_minor']);
  assert.deepEqual(checks('settlements_2026'), ['amount_minor > 0 amount_minor']);
  assert.deepEqual(checks('old_settlements'), ['amount_minor > 0 amount_minor']);
  assert.deepEqual(checks('settlements_copy'), []);
  // The copy is the child's own: changing it does not change the parent.
  m.setFile('db/0002.sql', 'ALTER TABLE settlements_2026 DROP CONSTRAINT settlements_amount_minor_check;', { order: 1, role: 'up' });
  assert.equal(checks('settlements')?.length, 1);
});
