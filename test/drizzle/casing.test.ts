// identifier-hygiene on Drizzle keys without a name argument, by what the workspace says about
// `casing: 'snake_case'`: set anywhere -> quiet; drizzle()/drizzle.config seen without it -> reported;
// neither seen -> only when the file names other columns in snake_case by hand (as before).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import ts from 'typescript';
import { run } from '../../server/src/cli/main';
import { fileCasing, type WorkspaceCasingState } from '../../server/src/drizzle/casing';
import { lintTypeScriptFile } from '../../server/src/drizzle/lint';
import { lintTypeScriptDocument } from '../../server/src/drizzle/project';
import { resolveConfig } from '../../server/src/engine/config';
import { WorkspaceModel } from '../../server/src/model/workspace-model';
import rule from '../../server/src/rules/identifier-hygiene';
import { initParser } from '../../server/src/sql/parser';

const casingOf = (text: string, name = 'db.ts') => fileCasing(ts.createSourceFile(name, text, ts.ScriptTarget.Latest, true));
const DRIZZLE = "import { drizzle } from 'drizzle-orm/node-postgres';\n";
const KEYS_ONLY = "import { bigint, pgTable } from 'drizzle-orm/pg-core';\nexport const payments = pgTable('payments', {\n  id: bigint({ mode: 'number' }).primaryKey(),\n  amountMinor: bigint({ mode: 'number' }).notNull(),\n});\n";
const BY_HAND = "import { bigint, pgTable } from 'drizzle-orm/pg-core';\nexport const payments = pgTable('payments', {\n  accountId: bigint('account_id', { mode: 'number' }).notNull(),\n  amountMinor: bigint({ mode: 'number' }).notNull(),\n});\n";

describe('casing facts of one file', () => {
  it('drizzle() calls: with casing in the options (either signature), without, and with a URL only', () => {
    assert.equal(casingOf(`${DRIZZLE}export const db = drizzle(pool, { casing: 'snake_case' });\n`), 'snake_case');
    assert.equal(casingOf(`${DRIZZLE}export const db = drizzle({ client: pool, casing: 'snake_case', schema });\n`), 'snake_case');
    assert.equal(casingOf(`${DRIZZLE}export const db = drizzle({ connection: process.env.DATABASE_URL! });\n`), 'none');
    assert.equal(casingOf(`${DRIZZLE}export const db = drizzle(process.env.DATABASE_URL!);\n`), 'none');
    assert.equal(casingOf(`${DRIZZLE}export const db = drizzle(pool, { casing: 'camelCase' });\nexport const other = drizzle(url);\n`), 'camelCase');
    // snake_case wins over a second call without it (the names follow whoever sets it).
    assert.equal(casingOf(`${DRIZZLE}export const a = drizzle(url);\nexport const b = drizzle(url, { casing: 'snake_case' });\n`), 'snake_case');
  });

  it('drizzle.config: defineConfig from drizzle-kit, or a default export object', () => {
    const kit = "import { defineConfig } from 'drizzle-kit';\n";
    assert.equal(casingOf(`${kit}export default defineConfig({ dialect: 'postgresql', schema: './src/schema.ts', casing: 'snake_case' });\n`, 'drizzle.config.ts'), 'snake_case');
    assert.equal(casingOf(`${kit}export default defineConfig({ dialect: 'postgresql', schema: './src/schema.ts' });\n`, 'drizzle.config.ts'), 'none');
    assert.equal(casingOf("import type { Config } from 'drizzle-kit';\nexport default { dialect: 'postgresql', schema: './src/schema.ts', casing: 'snake_case' } satisfies Config;\n", 'drizzle.config.ts'), 'snake_case');
  });

  it('no fact: functions of the same name that are not imported from drizzle, and files without calls', () => {
    assert.equal(casingOf("const drizzle = (x: unknown) => x;\nexport const db = drizzle({ casing: 'snake_case' });\n"), undefined);
    assert.equal(casingOf("import { defineConfig } from 'vite';\nexport default defineConfig({ casing: 'snake_case' });\n", 'vite.config.ts'), undefined);
    assert.equal(casingOf("export default { schema: './x.ts' };\n", 'index.ts'), undefined);
    assert.equal(casingOf(KEYS_ONLY), undefined);
  });
});

describe('identifier-hygiene with the workspace casing', () => {
  before(() => initParser());
  const messages = (code: string, casing?: WorkspaceCasingState) =>
    lintTypeScriptFile('schema.ts', code, { config: resolveConfig(), rules: [rule], casing }).findings.filter((f) => f.ruleId === rule.meta.id).map((f) => `${f.messageId}:${f.message}`);

  it('snake_case set in the workspace: keys are renamed, nothing to report (even next to names by hand)', () => {
    assert.deepEqual(messages(KEYS_ONLY, 'snake_case'), []);
    assert.deepEqual(messages(BY_HAND, 'snake_case'), []);
  });

  it('calls seen, none sets casing: every camelCase key is reported with the workspace reason', () => {
    const m = messages(KEYS_ONLY, 'unset');
    assert.equal(m.length, 1);
    assert.match(m[0], /^drizzleNoCasing:Column "amountMinor" of payments takes its name from the property key, and no drizzle\(\) call or drizzle\.config in this workspace sets casing: 'snake_case'.*\('amount_minor'\)/);
  });

  it('nothing seen: as before, reported only where the file maps other names by hand', () => {
    assert.deepEqual(messages(KEYS_ONLY), []);
    assert.deepEqual(messages(KEYS_ONLY, 'unknown'), []);
    assert.deepEqual(messages(BY_HAND).map((m) => m.split(':')[0]), ['drizzleMixedCase']);
  });

  it('an explicit mixed-case name is reported whatever the casing (casing does not rename it)', () => {
    const code = "import { bigint, pgTable } from 'drizzle-orm/pg-core';\nexport const t = pgTable('t', { a: bigint('amountMinor', { mode: 'number' }) });\n";
    assert.deepEqual(messages(code, 'snake_case').map((m) => m.split(':')[0]), ['drizzleMixedCase']);
  });
});

describe('workspace casing from other files: CLI over a folder, and the editor path', () => {
  let tmp: string;
  const project = (name: string, files: Record<string, string>) => {
    const root = path.join(tmp, name);
    for (const [rel, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), text);
    }
    fs.writeFileSync(path.join(root, 'package.json'), '{}\n');
    return root;
  };
  const hygiene = async (root: string) => {
    let stdout = '';
    const code = await run(['check', root, '--format', 'json'], (s) => (stdout += s));
    assert.ok(code === 0 || code === 1, `exit ${code}`);
    const report = JSON.parse(stdout) as { files?: Array<{ path: string; findings: Array<{ ruleId: string; messageId?: string; message: string }> }> } | Array<{ path: string; findings: Array<{ ruleId: string; message: string }> }>;
    const files = Array.isArray(report) ? report : report.files ?? [];
    return files.flatMap((f) => f.findings.filter((x) => x.ruleId === 'identifier-hygiene').map((x) => `${f.path}: ${x.message}`));
  };
  const CONFIG = (casing: string) => `import { defineConfig } from 'drizzle-kit';\nexport default defineConfig({ dialect: 'postgresql', schema: './src/schema.ts'${casing} });\n`;

  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlint-casing-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('drizzle.config.ts sets snake_case, db.ts does not: quiet', async () => {
    const root = project('config-snake', { 'drizzle.config.ts': CONFIG(", casing: 'snake_case'"), 'src/db.ts': `${DRIZZLE}export const db = drizzle(process.env.DATABASE_URL!);\n`, 'src/schema.ts': BY_HAND });
    assert.deepEqual(await hygiene(root), []);
  });

  it('drizzle(pool, { casing }) in db.ts: quiet even where the schema also names columns by hand', async () => {
    const root = project('call-snake', { 'src/db.ts': `${DRIZZLE}import { Pool } from 'pg';\nexport const db = drizzle(new Pool(), { casing: 'snake_case' });\n`, 'src/schema.ts': BY_HAND });
    assert.deepEqual(await hygiene(root), []);
  });

  it('drizzle.config.ts and db.ts without casing: the key-only schema is reported', async () => {
    const root = project('unset', { 'drizzle.config.ts': CONFIG(''), 'src/db.ts': `${DRIZZLE}export const db = drizzle(process.env.DATABASE_URL!);\n`, 'src/schema.ts': KEYS_ONLY });
    const found = await hygiene(root);
    assert.equal(found.length, 1, found.join('\n'));
    assert.match(found[0], /schema\.ts: Column "amountMinor" of payments takes its name from the property key/);
  });

  it('only a drizzle.config.ts without casing (no drizzle() call checked): reported', async () => {
    const root = project('config-only', { 'drizzle.config.ts': CONFIG(''), 'src/schema.ts': KEYS_ONLY });
    assert.equal((await hygiene(root)).length, 1);
  });

  it('neither a config nor a drizzle() call: unknown, the key-only schema is not reported', async () => {
    const root = project('unknown', { 'src/schema.ts': KEYS_ONLY });
    assert.deepEqual(await hygiene(root), []);
  });

  it('editor path: lintTypeScriptDocument finds drizzle.config.ts on disk next to the open file', () => {
    const snake = project('editor-snake', { 'drizzle.config.ts': CONFIG(", casing: 'snake_case'"), 'src/schema.ts': BY_HAND });
    const unset = project('editor-unset', { 'drizzle.config.ts': CONFIG(''), 'src/schema.ts': KEYS_ONLY });
    const lint = (root: string, text: string) =>
      lintTypeScriptDocument(path.join(root, 'src/schema.ts'), text, { config: resolveConfig(), rules: [rule], model: new WorkspaceModel() }).findings.filter((f) => f.ruleId === rule.meta.id).map((f) => f.messageId);
    assert.deepEqual(lint(snake, BY_HAND), []);
    assert.deepEqual(lint(unset, KEYS_ONLY), ['drizzleNoCasing']);
  });
});
