import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { resolveConfig } from '../../server/src/engine/config';
import { lintSqlFile } from '../../server/src/engine/linter';
import { defineRule, nodeVisitorEntries, type RuleDefinition, type Visitors } from '../../server/src/engine/rule';
import { visitorSetup } from '../../server/src/engine/rule-setup-cache';
import { parseSqlFile } from '../../server/src/sql/document';
import { initParser } from '../../server/src/sql/parser';

const meta = (id: string) => ({ id, severity: 'warning' as const, category: 'correctness' as const, description: id, messages: { m: 'm' } }) as unknown as RuleDefinition['meta'];

/** What the engine asked of visitors before the setup was kept per rule. */
function uncached(visitors: Visitors) {
  const decls = !!(visitors.column || visitors.foreignKey || visitors.table);
  const entries = nodeVisitorEntries(visitors);
  return { types: entries.map((e) => e[0]), handlers: entries.map((e) => e[1]), decls, every: decls || !!visitors.statement };
}

describe('visitorSetup: kept per rule, never trusted for visitors of another shape', () => {
  const fn = () => undefined;
  const rule = defineRule({ meta: meta('setup-a'), scope: 'statement', create: () => ({}) });

  it('answers as the uncached setup for a sequence of shapes, values and kinds', () => {
    const shapes: Visitors[] = [
      { SelectStmt: fn, UpdateStmt: fn },
      { SelectStmt: fn, UpdateStmt: fn },
      { UpdateStmt: fn, SelectStmt: fn },
      { SelectStmt: fn },
      { SelectStmt: fn, UpdateStmt: undefined },
      { SelectStmt: fn, UpdateStmt: fn },
      { statement: fn, SelectStmt: fn },
      { table: fn },
      { table: undefined, column: fn, endFile: fn },
      {},
      { SelectStmt: fn, UpdateStmt: fn },
    ];
    for (const v of shapes) {
      const got = visitorSetup(rule, v);
      assert.deepEqual(got, uncached(v), JSON.stringify(Object.keys(v)));
      // The handlers are this object's functions, not those of an earlier create().
      got.types.forEach((type, i) => assert.equal(got.handlers[i], (v as Record<string, unknown>)[type]));
    }
  });

  it('hands the visitors of each call, also when the shape is the same', () => {
    const a = () => undefined;
    const b = () => undefined;
    assert.equal(visitorSetup(rule, { InsertStmt: a }).handlers[0], a);
    assert.equal(visitorSetup(rule, { InsertStmt: b }).handlers[0], b);
  });

  it('hands the same types array while the shape is kept, a new one for a new shape', () => {
    const r = defineRule({ meta: meta('setup-c'), scope: 'statement', create: () => ({}) });
    const first = visitorSetup(r, { InsertStmt: fn, UpdateStmt: fn }).types;
    assert.equal(visitorSetup(r, { InsertStmt: fn, UpdateStmt: fn }).types, first);
    const other = visitorSetup(r, { UpdateStmt: fn }).types;
    assert.notEqual(other, first);
    assert.deepEqual(other, ['UpdateStmt']);
  });

  it('reads only own keys of objects that are not plain (inherited enumerable keys)', () => {
    const proto = { SelectStmt: fn };
    const v = Object.create(proto) as Visitors & Record<string, unknown>;
    v.UpdateStmt = fn;
    assert.deepEqual(visitorSetup(rule, v), uncached(v));
    assert.deepEqual(visitorSetup(rule, v).types, ['UpdateStmt']);
  });
});

describe('lintSqlFile with a rule whose visitors change from file to file', () => {
  before(() => initParser());

  it('dispatches each file to the node types its own visitors ask for', () => {
    // Visits UPDATEs in files named *update*, SELECTs in the others.
    const rule = defineRule({
      meta: meta('setup-b'),
      scope: 'file',
      create: (ctx) => (ctx.file.path.includes('update') ? { UpdateStmt: () => ctx.report({ messageId: 'm', span: { start: 0, end: 1 } }) } : { SelectStmt: () => ctx.report({ messageId: 'm', span: { start: 0, end: 1 } }) }),
    });
    const config = resolveConfig();
    const text = 'SELECT 1;\nUPDATE t SET a = 1;\n';
    const run = (path: string) => lintSqlFile({ file: parseSqlFile(path, text), config, rules: [rule] }).findings.length;
    assert.equal(run('a-update.sql'), 1);
    assert.equal(run('b-select.sql'), 1);
    assert.equal(run('c-update.sql'), 1);
    // Both kinds of file again, each seen with the other's shape kept last.
    const text2 = 'SELECT 1;\nSELECT 2;\nUPDATE t SET a = 1;\n';
    assert.equal(lintSqlFile({ file: parseSqlFile('d-select.sql', text2), config, rules: [rule] }).findings.length, 2);
    assert.equal(lintSqlFile({ file: parseSqlFile('e-update.sql', text2), config, rules: [rule] }).findings.length, 1);
  });
});
