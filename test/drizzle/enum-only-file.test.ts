// A TypeScript file that declares only pgEnums (the common `enums.ts` next to `schema.ts`) joins the
// workspace model like a file with pgTable calls: the model knows the type, SQL rules looking up
// enums see its labels, rebuilds keep it, and removing the pgEnum removes it again. Editor path
// (lintTypeScriptDocument) and CLI path (indexHandles) alike.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { resolveConfig } from '../../server/src/engine/config';
import { lintSqlFile } from '../../server/src/engine/linter';
import { indexHandles, lintTypeScriptDocument } from '../../server/src/drizzle/project';
import { enumColumns } from '../../server/src/model/replay-enum';
import { WorkspaceModel } from '../../server/src/model/workspace-model';
import enumPitfalls from '../../server/src/rules/enum-pitfalls';
import { initParser } from '../../server/src/sql/parser';

const config = resolveConfig();
const ENUMS = "import { pgEnum } from 'drizzle-orm/pg-core';\nexport const paymentStatus = pgEnum('payment_status', ['pending', 'settled', 'refunded']);\n";
const NO_ENUM = "import { pgEnum } from 'drizzle-orm/pg-core';\nexport const unused = 1;\n";
// The table's migration uses the type; the ops script (outside the migration folders, so replayed
// after the TypeScript files by path) adds a label the pgEnum already declares.
const MIGRATION = 'CREATE TABLE payments (id bigint PRIMARY KEY, status payment_status NOT NULL);\n';
const OPS = "ALTER TYPE payment_status ADD VALUE 'settled';\n";

function workspace(root: string) {
  const model = new WorkspaceModel();
  model.setFile(`${root}/drizzle/0000_init.sql`, MIGRATION, { order: 0, role: 'up' });
  const ops = `${root}/zz_ops/add_status.sql`;
  model.setFile(ops, OPS);
  /** enum-pitfalls findings on the ops script, as `messageId: message`. */
  const opsFindings = () => {
    const file = model.sqlFile(ops)!;
    const out = lintSqlFile({ file, config, rules: [enumPitfalls], schemaBefore: (i) => model.schemaBefore(ops, i) });
    assert.deepEqual(out.ruleErrors, []);
    return out.findings.map((f) => `${f.messageId}: ${f.message}`);
  };
  return { model, opsFindings };
}

describe('a pgEnum-only TypeScript file in the workspace model', () => {
  before(() => initParser());

  it('editor: the model knows the enum, its columns in SQL, and the SQL rule sees its labels', () => {
    const { model, opsFindings } = workspace('file:///ws-enum-editor');
    // Without the TypeScript file the enum is unknown: ADD VALUE is only an append.
    assert.ok(!opsFindings().some((m) => m.startsWith('duplicateValue')), opsFindings().join('\n'));

    const uri = 'file:///ws-enum-editor/src/enums.ts';
    const out = lintTypeScriptDocument(uri, ENUMS, { config, model, rules: [] });
    assert.deepEqual(out.ruleErrors, []);
    const e = model.schema().enumType('payment_status');
    assert.ok(e, 'the pgEnum is in the workspace schema');
    assert.equal(e.front, 'drizzle');
    assert.deepEqual(e.values.map((v) => v.label), ['pending', 'settled', 'refunded']);
    assert.equal(e.created?.file, uri);
    assert.deepEqual(enumColumns(model.schema(), e), ['payments.status']);
    const found = opsFindings();
    assert.equal(found.filter((m) => m.startsWith('duplicateValue')).length, 1, found.join('\n'));
    assert.match(found.find((m) => m.startsWith('duplicateValue'))!, /already has 'settled'/);

    // A rebuild (another file changed) replays the contribution again: the enum stays.
    model.setFile('file:///ws-enum-editor/drizzle/0001_more.sql', 'CREATE TABLE refunds (id bigint PRIMARY KEY);\n', { order: 1, role: 'up' });
    assert.deepEqual(model.schema().enumType('payment_status')?.values.map((v) => v.label), ['pending', 'settled', 'refunded']);

    // Deleting the pgEnum from the file removes it from the model.
    lintTypeScriptDocument(uri, NO_ENUM, { config, model, rules: [] });
    assert.equal(model.schema().enumType('payment_status')?.created, undefined);
    assert.ok(!opsFindings().some((m) => m.startsWith('duplicateValue')));
  });

  it('CLI: indexHandles registers the pgEnum-only file in the model', () => {
    const { model, opsFindings } = workspace('/ws-enum-cli');
    indexHandles([{ path: '/ws-enum-cli/src/enums.ts', text: ENUMS }], model);
    assert.deepEqual(model.schema().enumType('payment_status')?.values.map((v) => v.label), ['pending', 'settled', 'refunded']);
    assert.equal(opsFindings().filter((m) => m.startsWith('duplicateValue')).length, 1);
  });

  it('a file with neither pgTable nor pgEnum adds nothing to the model', () => {
    const model = new WorkspaceModel();
    lintTypeScriptDocument('file:///ws-enum-none/src/x.ts', NO_ENUM, { config, model, rules: [] });
    assert.deepEqual(model.files(), []);
  });
});
