// Columns typed with a pgEnum imported from another file (`import { paymentStatus } from './enums'`),
// also through a barrel index.ts (`export * from`), `export { x as y } from` and an import exported
// again: the model's column has the enum type, as with a pgEnum of the same file, and enum-pitfalls
// on the enums file names those columns. CLI path (indexHandles) and editor path (open buffers
// first, disk otherwise, re-check when the enums file's exports change). The fixture files pass
// strict tsc against drizzle-orm 0.45.4.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import ts from 'typescript';
import { changedEnumImporters } from '../../server/src/drizzle/enum-refresh';
import { indexHandles, lintTypeScriptDocument } from '../../server/src/drizzle/project';
import { lintTypeScriptFile } from '../../server/src/drizzle/lint';
import { resolveConfig } from '../../server/src/engine/config';
import { WorkspaceModel } from '../../server/src/model/workspace-model';
import { RULES } from '../../server/src/rules';
import { initParser } from '../../server/src/sql/parser';

const config = resolveConfig();

const FIXTURE = path.resolve(__dirname, '../../../test/drizzle/fixtures/imported-enums');
const FILES = ['enums.ts', 'barrel/index.ts', 'alias.ts', 'schema.ts'].map((f) => path.join(FIXTURE, f));
const read = (name: string) => fs.readFileSync(path.join(FIXTURE, name), 'utf8');
const ENUMS = read('enums.ts');
const SCHEMA = read('schema.ts');
// The migrations already declare a label the pgEnum no longer has: enum-pitfalls names every column using the type.
const MIGRATION = "CREATE TYPE payment_status AS ENUM ('pending', 'settled', 'refunded');\n";

function write(root: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
}

/** Strict type errors of the fixture files, resolving drizzle-orm from the repository's node_modules. */
function typeErrors(files: string[]): string[] {
  const options: ts.CompilerOptions = { strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10, types: [], skipLibCheck: true };
  const program = ts.createProgram(files, options);
  return ts.getPreEmitDiagnostics(program).map((d) => `${d.file ? path.basename(d.file.fileName) : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}

function columnTypes(model: WorkspaceModel): Record<string, string> {
  const t = model.schema().tables.get('payments');
  assert.ok(t, 'payments is in the model');
  return Object.fromEntries([...t.columns.values()].map((c) => [c.name, c.type.name + (c.type.array ? '[]' : '')]));
}

const EXPECTED = { id: 'int8', status: 'payment_status', previous: 'payment_status', entry_side: 'ledger_side', sides: 'ledger_side[]' };

describe('pgEnums imported from other files', () => {
  let root: string;
  before(async () => {
    await initParser();
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlint-imported-enums-'));
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('the fixture files pass strict tsc against drizzle-orm', () => {
    assert.deepEqual(typeErrors(FILES), []);
  });

  it('CLI: the model types the columns with the imported enums, and enum-pitfalls names them', () => {
    const model = new WorkspaceModel();
    model.setFile(path.join(FIXTURE, 'drizzle/0000_types.sql'), MIGRATION, { order: 0, role: 'up' });
    const handles = indexHandles(FILES.map((f) => ({ path: f, text: fs.readFileSync(f, 'utf8') })), model);
    assert.deepEqual(columnTypes(model), EXPECTED);
    const enumsFile = path.join(FIXTURE, 'enums.ts');
    const out = lintTypeScriptFile(enumsFile, ENUMS, { config, rules: RULES, schema: model.schema(), knownExports: handles.knownExportsFor(enumsFile) });
    const removed = out.findings.find((f) => f.ruleId === 'enum-pitfalls' && f.messageId === 'tsRemoved');
    assert.ok(removed, out.findings.map((f) => f.message).join('\n'));
    assert.match(removed.message, /payments\.status, payments\.previous/);
    // The schema file's own check resolves the same way (its analysis is redone with the index).
    const schemaFile = path.join(FIXTURE, 'schema.ts');
    const schemaOut = lintTypeScriptFile(schemaFile, SCHEMA, { config, rules: RULES, schema: model.schema(), knownExports: handles.knownExportsFor(schemaFile) });
    assert.deepEqual(Object.fromEntries(schemaOut.analysis.tables[0].columns.map((c) => [c.dbName, c.type.name + (c.type.array ? '[]' : '')])), EXPECTED);
  });

  it('enum-pitfalls: a new label that a column in another schema file defaults to is the 55P04 error', () => {
    const enums = "import { pgEnum } from 'drizzle-orm/pg-core';\nexport const paymentStatus = pgEnum('payment_status', ['pending', 'settled', 'failed']);\n";
    const schema = (value: string) => `import { bigint, pgTable } from 'drizzle-orm/pg-core';\nimport { paymentStatus } from './enums';\nexport const payments = pgTable('payments', { id: bigint('id', { mode: 'number' }).primaryKey(), status: paymentStatus('status').notNull().default('${value}') });\n`;
    const findings = (value: string) => {
      const files = [{ path: '/ws-default-use/src/enums.ts', text: enums }, { path: '/ws-default-use/src/schema.ts', text: schema(value) }];
      const m = new WorkspaceModel();
      m.setFile('/ws-default-use/drizzle/0000_types.sql', "CREATE TYPE payment_status AS ENUM ('pending', 'settled');\n", { order: 0, role: 'up' });
      const handles = indexHandles(files, m);
      const out = lintTypeScriptFile(files[0].path, enums, { config, rules: RULES, schema: m.schema(), knownExports: handles.knownExportsFor(files[0].path) });
      return out.findings.filter((f) => f.ruleId === 'enum-pitfalls');
    };
    const use = findings('failed');
    assert.deepEqual(use.map((f) => f.messageId), ['tsDefaultUse']);
    assert.match(use[0].message, /payments\.status defaults to it/);
    assert.equal(use[0].severity, 'error');
    // A default on an existing label: the new one is only appended (no finding when appended last).
    assert.deepEqual(findings('pending').map((f) => f.messageId), []);
  });

  it('same model column as a pgEnum of the same file', () => {
    const same = new WorkspaceModel();
    const inline = "import { bigint, pgEnum, pgTable } from 'drizzle-orm/pg-core';\nexport const paymentStatus = pgEnum('payment_status', ['pending', 'settled']);\nexport const payments = pgTable('payments', { id: bigint('id', { mode: 'number' }).primaryKey(), status: paymentStatus('status').notNull() });\n";
    indexHandles([{ path: path.join(root, 'inline/schema.ts'), text: inline }], same);
    const imported = new WorkspaceModel();
    indexHandles([{ path: path.join(FIXTURE, 'schema.ts'), text: SCHEMA }], imported);
    const pick = (m: WorkspaceModel) => {
      const c = m.schema().tables.get('payments')!.columns.get('status')!;
      return { type: c.type, notNull: c.notNull };
    };
    assert.deepEqual(pick(imported), pick(same));
  });

  it('editor: reads the enums file from disk, then from its open buffer, and says when importers need a re-check', () => {
    const model = new WorkspaceModel();
    const schemaFile = path.join(FIXTURE, 'schema.ts');
    const enumsFile = path.join(FIXTURE, 'enums.ts');
    lintTypeScriptDocument(schemaFile, SCHEMA, { config, model });
    assert.deepEqual(columnTypes(model), EXPECTED);
    // Opening the enums file as it is on disk changes nothing for the importers.
    lintTypeScriptDocument(enumsFile, ENUMS, { config, model });
    assert.equal(changedEnumImporters(enumsFile).length > 0, false);
    // A label edit inside the array: the importers' checks (enum columns, their messages) may change.
    const edited = ENUMS.replace("'settled']", "'settled', 'failed']");
    lintTypeScriptDocument(enumsFile, edited, { config, model });
    assert.equal(changedEnumImporters(enumsFile).length > 0, true);
    assert.equal(changedEnumImporters(enumsFile).length > 0, false, 'answered once per change');
    // The type renamed in the unsaved buffer: the schema's next check follows the buffer, not the disk.
    lintTypeScriptDocument(enumsFile, edited.replace("'payment_status'", "'pay_status'"), { config, model });
    assert.equal(changedEnumImporters(enumsFile).length > 0, true);
    lintTypeScriptDocument(schemaFile, SCHEMA, { config, model });
    assert.equal(columnTypes(model).status, 'pay_status');
    assert.equal(columnTypes(model).entry_side, 'ledger_side');
    // A file nobody imports from never asks for re-checks.
    const lone = path.join(root, 'lone.ts');
    lintTypeScriptDocument(lone, ENUMS, { config, model });
    lintTypeScriptDocument(lone, ENUMS.replace('debit', 'dr'), { config, model });
    assert.equal(changedEnumImporters(lone).length > 0, false);
  });

  it('cycles, missing files and non-enum exports leave the column untyped without throwing', () => {
    const dir = path.join(root, 'odd');
    write(dir, {
      'a.ts': "export * from './b';\nexport const notEnum = 1;\n",
      'b.ts': "export * from './a';\nexport { missing } from './nowhere';\nexport * from './deep';\n",
      // Nested deeper than TypeScript's parser can recurse: read as exporting nothing.
      'deep.ts': `export const deep = ${'f('.repeat(20000)}${')'.repeat(20000)};\n`,
    });
    const text = "import { bigint, pgTable } from 'drizzle-orm/pg-core';\nimport { missing, notEnum } from './a';\nimport pkg from './b';\nexport const t = pgTable('t', { id: bigint('id', { mode: 'number' }).primaryKey(), s: missing('s'), n: notEnum('n'), p: pkg('p') });\n";
    const model = new WorkspaceModel();
    const out = lintTypeScriptDocument(path.join(dir, 'schema.ts'), text, { config, model });
    assert.deepEqual(out.ruleErrors, []);
    assert.deepEqual([...model.schema().tables.get('t')!.columns.keys()], ['id']);
  });
});
