// The editor re-checks open TypeScript files when the workspace casing changes: a drizzle.config.*
// buffer edited or closed, or a drizzle() call's casing edited. These are the facts server.ts acts on;
// the findings of identifier-hygiene follow them on the next check of each file.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { casingStateOf, configDocumentChanged } from '../../server/src/drizzle/casing-refresh';
import { lintTypeScriptDocument } from '../../server/src/drizzle/project';
import { resolveConfig } from '../../server/src/engine/config';
import { WorkspaceModel } from '../../server/src/model/workspace-model';
import rule from '../../server/src/rules/identifier-hygiene';

const KEYS_ONLY = "import { bigint, pgTable } from 'drizzle-orm/pg-core';\nexport const payments = pgTable('payments', {\n  id: bigint({ mode: 'number' }).primaryKey(),\n  amountMinor: bigint({ mode: 'number' }).notNull(),\n});\n";
const CONFIG = (casing: string) => `import { defineConfig } from 'drizzle-kit';\nexport default defineConfig({ dialect: 'postgresql', schema: './src/schema.ts'${casing} });\n`;
const DB = (options: string) => `import { drizzle } from 'drizzle-orm/node-postgres';\nexport const db = drizzle(process.env.DATABASE_URL!${options});\n`;

describe('workspace casing changes seen by the editor', () => {
  let root: string;
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlint-casing-refresh-'));
    fs.mkdirSync(path.join(root, 'src'));
    fs.writeFileSync(path.join(root, 'package.json'), '{}\n');
    fs.writeFileSync(path.join(root, 'drizzle.config.ts'), CONFIG(''));
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('a drizzle.config buffer edited, then closed unsaved; a drizzle() call edited', () => {
    const model = new WorkspaceModel();
    const schema = path.join(root, 'src', 'schema.ts');
    const config = path.join(root, 'drizzle.config.ts');
    const hygiene = () => lintTypeScriptDocument(schema, KEYS_ONLY, { config: resolveConfig(), rules: [rule], model }).findings.map((f) => f.messageId).filter((m) => m === 'drizzleNoCasing');
    // The config on disk sets no casing: the key-only column is reported.
    assert.deepEqual(hygiene(), ['drizzleNoCasing']);
    assert.equal(casingStateOf(model), 'unset');

    // The user adds casing in the open config: changed, and the re-check of the schema is quiet.
    assert.equal(configDocumentChanged(model, config, CONFIG(", casing: 'snake_case'")), true);
    assert.equal(casingStateOf(model), 'snake_case');
    assert.deepEqual(hygiene(), []);
    // Another keystroke that keeps the casing: nothing to re-check.
    assert.equal(configDocumentChanged(model, config, CONFIG(", casing: 'snake_case' ")), false);
    // Closed without saving: the disk's config holds again.
    assert.equal(configDocumentChanged(model, config, undefined), true);
    assert.deepEqual(hygiene(), ['drizzleNoCasing']);

    // Other files are never config documents, and bad text does not throw.
    assert.equal(configDocumentChanged(model, schema, KEYS_ONLY), false);
    assert.equal(configDocumentChanged(model, 'drizzle.config.ts', CONFIG(", casing: 'snake_case'")), false, 'unsaved documents have no folder');
    assert.equal(configDocumentChanged(model, config, 'export default {{{ ('), false);

    // A drizzle() call in db.ts edited to snake_case changes the workspace's answer too.
    const db = path.join(root, 'src', 'db.ts');
    lintTypeScriptDocument(db, DB(''), { config: resolveConfig(), rules: [rule], model });
    assert.equal(casingStateOf(model), 'unset');
    lintTypeScriptDocument(db, DB(", { casing: 'snake_case' }"), { config: resolveConfig(), rules: [rule], model });
    assert.equal(casingStateOf(model), 'snake_case');
    assert.deepEqual(hygiene(), []);
  });
});
