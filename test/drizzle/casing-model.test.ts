// With `casing: 'snake_case'` set in drizzle() or drizzle.config.* (often in another file than the
// schema), drizzle-orm names key-only columns in snake_case: `createdAt: timestamp()` is column
// created_at. The workspace model and every rule use that name (not only identifier-hygiene), the
// quick fixes still write the TypeScript key, and the model follows when the casing changes.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { casingStateOf, configDocumentChanged } from '../../server/src/drizzle/casing-refresh';
import { lintTypeScriptFile } from '../../server/src/drizzle/lint';
import { indexHandles, lintTypeScriptDocument } from '../../server/src/drizzle/project';
import { resolveConfig } from '../../server/src/engine/config';
import { WorkspaceModel } from '../../server/src/model/workspace-model';
import { RULES } from '../../server/src/rules';
import { initParser } from '../../server/src/sql/parser';

const config = resolveConfig();
const DB = (options: string) => `import { drizzle } from 'drizzle-orm/node-postgres';\nexport const db = drizzle(process.env.DATABASE_URL!${options});\n`;
const CONFIG = (casing: string) => `import { defineConfig } from 'drizzle-kit';\nexport default defineConfig({ dialect: 'postgresql', schema: './src/schema.ts'${casing} });\n`;
const SCHEMA = [
  "import { bigint, pgTable, real, timestamp } from 'drizzle-orm/pg-core';",
  "export const accounts = pgTable('accounts', { id: bigint({ mode: 'number' }).primaryKey() });",
  "export const payments = pgTable('payments', {",
  "  id: bigint({ mode: 'number' }).primaryKey(),",
  '  accountId: bigint({ mode: "number" }).notNull().references(() => accounts.id),',
  '  amountMinor: real().notNull(),',
  '  createdAt: timestamp().notNull(),',
  "  settledOn: timestamp('settledOn'),",
  '});',
  '',
].join('\n');

const columnsOf = (model: WorkspaceModel) => [...(model.schema().tables.get('payments')?.columns.keys() ?? [])];
const messages = (findings: ReadonlyArray<{ ruleId: string; message: string }>, ruleId: string) => findings.filter((f) => f.ruleId === ruleId).map((f) => f.message).join('\n');

describe('workspace casing names the model columns', () => {
  before(() => initParser());

  it('CLI: snake_case from a drizzle() call in db.ts names the columns for every rule; fixes keep the keys', () => {
    const model = new WorkspaceModel();
    const schemaPath = '/ws-casing-model/src/schema.ts';
    const index = indexHandles([{ path: '/ws-casing-model/src/db.ts', text: DB(", { casing: 'snake_case' }") }, { path: schemaPath, text: SCHEMA }], model);
    // An explicit name is kept as written, also under snake_case.
    assert.deepEqual(columnsOf(model), ['id', 'account_id', 'amount_minor', 'created_at', 'settledOn']);
    const out = lintTypeScriptFile(schemaPath, SCHEMA, { config, rules: RULES, schema: model.schema(), knownExports: index.knownExportsFor(schemaPath), casing: index.casing.state() });
    assert.deepEqual(out.ruleErrors, []);
    assert.match(messages(out.findings, 'unindexed-foreign-key'), /payments \(account_id\)/);
    assert.match(messages(out.findings, 'fk-missing-on-delete'), /payments \(account_id\)/);
    assert.match(messages(out.findings, 'money-float-type'), /payments\.amount_minor/);
    assert.match(messages(out.findings, 'money-amount-unconstrained'), /payments\.amount_minor/);
    assert.match(messages(out.findings, 'timestamp-without-time-zone'), /payments\.created_at/);
    assert.doesNotMatch(out.findings.map((f) => f.message).join('\n'), /accountId|amountMinor|createdAt/);
    // The fixes edit TypeScript, where the columns are still reached by their keys.
    const fixText = (ruleId: string) => out.findings.find((f) => f.ruleId === ruleId)?.fixes?.[0]?.edits.map((e) => e.newText).join(' ') ?? '';
    assert.match(fixText('unindexed-foreign-key'), /index\('payments_account_id_idx'\)\.on\(t\.accountId\)/);
    assert.match(fixText('money-amount-unconstrained'), /\$\{t\.amountMinor\} > 0/);
  });

  it('CLI: without casing anywhere the keys are the names, as drizzle-orm does', () => {
    const model = new WorkspaceModel();
    indexHandles([{ path: '/ws-casing-none/src/db.ts', text: DB('') }, { path: '/ws-casing-none/src/schema.ts', text: SCHEMA }], model);
    assert.deepEqual(columnsOf(model), ['id', 'accountId', 'amountMinor', 'createdAt', 'settledOn']);
  });

  describe('editor', () => {
    let root: string;
    before(() => {
      root = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlint-casing-model-'));
      fs.mkdirSync(path.join(root, 'src'));
      fs.writeFileSync(path.join(root, 'package.json'), '{}\n');
      fs.writeFileSync(path.join(root, 'drizzle.config.ts'), CONFIG(''));
    });
    after(() => fs.rmSync(root, { recursive: true, force: true }));

    it('the model follows drizzle.config and drizzle() casing changes on the next check of the schema', () => {
      const model = new WorkspaceModel();
      const schema = path.join(root, 'src', 'schema.ts');
      const check = () => lintTypeScriptDocument(schema, SCHEMA, { config, model });
      check();
      assert.deepEqual(columnsOf(model), ['id', 'accountId', 'amountMinor', 'createdAt', 'settledOn']);
      // The open config gains casing: the server re-checks open files (casing-refresh), and the model renames.
      assert.equal(configDocumentChanged(model, path.join(root, 'drizzle.config.ts'), CONFIG(", casing: 'snake_case'")), true);
      const out = check();
      assert.deepEqual(columnsOf(model), ['id', 'account_id', 'amount_minor', 'created_at', 'settledOn']);
      assert.match(messages(out.findings, 'timestamp-without-time-zone'), /payments\.created_at/);
      // The config closed unsaved: back to the keys.
      assert.equal(configDocumentChanged(model, path.join(root, 'drizzle.config.ts'), undefined), true);
      check();
      assert.deepEqual(columnsOf(model), ['id', 'accountId', 'amountMinor', 'createdAt', 'settledOn']);
      // A drizzle() call with snake_case in the schema file itself counts the same.
      const withDb = "import { drizzle } from 'drizzle-orm/node-postgres';\n" + SCHEMA + "export const db = drizzle(process.env.DATABASE_URL!, { casing: 'snake_case' });\n";
      lintTypeScriptDocument(schema, withDb, { config, model });
      assert.equal(casingStateOf(model), 'snake_case');
      assert.deepEqual(columnsOf(model), ['id', 'account_id', 'amount_minor', 'created_at', 'settledOn']);
    });
  });
});
