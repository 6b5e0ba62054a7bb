// pgEnums imported in the forms the earlier resolver missed: a namespace import of a local module
// (`import * as e from './enums'` then `e.paymentStatus('status')`) and tsconfig.json aliases
// (`@/db/enums` through `paths`, `src/db/enums` through `baseUrl`, options inherited with
// `extends`, comments allowed); a missing or broken tsconfig.json means relative imports only.
// The fixture project is written under the build output (so drizzle-orm resolves from the
// repository's node_modules) and passes strict tsc with its own tsconfig.json. The CLI's --cache
// key covers an imported enums file outside the checked files (dependencies.ts).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import ts from 'typescript';
import { run } from '../../server/src/cli/main';
import { typeScriptDependencies } from '../../server/src/drizzle/dependencies';
import { changedEnumImporters } from '../../server/src/drizzle/enum-refresh';
import { indexHandles, lintTypeScriptDocument } from '../../server/src/drizzle/project';
import { resolveConfig } from '../../server/src/engine/config';
import { WorkspaceModel } from '../../server/src/model/workspace-model';
import { initParser } from '../../server/src/sql/parser';

const config = resolveConfig();

const ENUMS = "import { pgEnum } from 'drizzle-orm/pg-core';\nexport const paymentStatus = pgEnum('payment_status', ['pending', 'settled']);\nexport const ledgerSide = pgEnum('ledger_side', ['debit', 'credit']);\n";
const BARREL = "export * from './enums';\n";
const TSCONFIG = `{
  // Comments and trailing commas, as editors write them; a "//" inside a string is no comment.
  "$schema": "https://json.schemastore.org/tsconfig", /* the editor's schema */
  "extends": "./tsconfig.base.json",
  "compilerOptions": { "strict": true, "noEmit": true, "skipLibCheck": true, "types": [], },
}
`;
const TSCONFIG_BASE = '{ "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["src/*"], "#enums": ["src/db/index.ts"] } } }\n';
const SCHEMA = `import { bigint, pgTable } from 'drizzle-orm/pg-core';
import * as e from './db/enums';
import { paymentStatus } from '@/db/enums';
import { ledgerSide } from '#enums';
import * as viaBase from 'src/db';
export const payments = pgTable('payments', {
  id: bigint('id', { mode: 'number' }).primaryKey(),
  status: e.paymentStatus('status').notNull(),
  aliased: paymentStatus('aliased'),
  side: ledgerSide('side'),
  based: viaBase.ledgerSide('based').array(),
});
`;
const EXPECTED = { id: 'int8', status: 'payment_status', aliased: 'payment_status', side: 'ledger_side', based: 'ledger_side[]' };

function columnTypes(model: WorkspaceModel): Record<string, string> {
  const t = model.schema().tables.get('payments');
  assert.ok(t, 'payments is in the model');
  return Object.fromEntries([...t.columns.values()].map((c) => [c.name, c.type.name + (c.type.array ? '[]' : '')]));
}

describe('pgEnums through namespace imports and tsconfig paths', () => {
  let root: string;
  const at = (rel: string) => path.join(root, rel);
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(at(rel)), { recursive: true });
    fs.writeFileSync(at(rel), text);
  };

  before(async () => {
    await initParser();
    root = fs.mkdtempSync(path.join(__dirname, 'module-resolution-'));
    write('tsconfig.json', TSCONFIG);
    write('tsconfig.base.json', TSCONFIG_BASE);
    write('src/db/enums.ts', ENUMS);
    write('src/db/index.ts', BARREL);
    write('src/schema.ts', SCHEMA);
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('the fixture project passes strict tsc with its tsconfig.json', () => {
    const parsed = ts.getParsedCommandLineOfConfigFile(at('tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
    assert.ok(parsed);
    const program = ts.createProgram(parsed.fileNames, parsed.options);
    assert.deepEqual(ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')), []);
  });

  it('CLI path: every form types its column with the imported enum', () => {
    const model = new WorkspaceModel();
    indexHandles(['src/schema.ts', 'src/db/enums.ts', 'src/db/index.ts'].map((f) => ({ path: at(f), text: fs.readFileSync(at(f), 'utf8') })), model);
    assert.deepEqual(columnTypes(model), EXPECTED);
  });

  it('editor path: the schema resolves from disk, and an edit of the enums buffer asks to re-check it', () => {
    const model = new WorkspaceModel();
    lintTypeScriptDocument(at('src/schema.ts'), SCHEMA, { config, model });
    assert.deepEqual(columnTypes(model), EXPECTED);
    lintTypeScriptDocument(at('src/db/enums.ts'), ENUMS, { config, model });
    lintTypeScriptDocument(at('src/db/enums.ts'), ENUMS.replace("'ledger_side'", "'entry_side'"), { config, model });
    assert.equal(changedEnumImporters(at('src/db/enums.ts')).length > 0, true);
    lintTypeScriptDocument(at('src/schema.ts'), SCHEMA, { config, model });
    assert.deepEqual(columnTypes(model), { ...EXPECTED, side: 'entry_side', based: 'entry_side[]' });
    // Back as on disk, for the other tests.
    lintTypeScriptDocument(at('src/db/enums.ts'), ENUMS, { config, model });
  });

  it('a broken or missing tsconfig.json leaves aliases unresolved and relative imports working', () => {
    for (const config of ['{ "compilerOptions": { "paths": ', undefined]) {
      // Outside the fixture project, whose tsconfig.json would otherwise be the nearest one.
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlint-plain-'));
      if (config !== undefined) fs.writeFileSync(path.join(dir, 'tsconfig.json'), config);
      fs.mkdirSync(path.join(dir, 'src', 'db'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'src', 'db', 'enums.ts'), ENUMS);
      const model = new WorkspaceModel();
      const file = path.join(dir, 'src', 'schema.ts');
      const out = lintTypeScriptDocument(file, SCHEMA, { config: resolveConfig(), model });
      assert.deepEqual(out.ruleErrors, []);
      const types = columnTypes(model);
      assert.equal(types.status, 'payment_status', 'the namespace import is relative');
      assert.equal(types.aliased, undefined, 'no alias resolves');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the CLI cache names the dependencies without loading the TypeScript compiler', () => {
    const probe = `require(${JSON.stringify(require.resolve('../../server/src/cli/cache'))}); process.stdout.write(String(Object.keys(require.cache).some((k) => k.includes('node_modules/typescript/'))))`;
    assert.equal(execFileSync(process.execPath, ['-e', probe], { encoding: 'utf8' }), 'false');
  });

  it('dependencies: the imported files and the tsconfig files read, not the checked file itself', () => {
    const deps = typeScriptDependencies([at('src/schema.ts')]).map((f) => path.relative(root, f));
    assert.deepEqual(deps, ['src/db/enums.ts', 'src/db/index.ts', 'tsconfig.base.json', 'tsconfig.json']);
  });

  it('CLI --cache: an imported enums file outside the checked files re-checks the schema when it changes', async () => {
    const cacheFile = at('lint.cache');
    const schema = at('src/schema.ts');
    const check = async () => {
      let stdout = '';
      const code = await run(['check', schema, '--format', 'json', '--cache', '--cache-location', cacheFile], (s) => (stdout += s));
      assert.ok(code === 0 || code === 1, `exit ${code}`);
      const report = JSON.parse(stdout) as { files: Array<{ findings: Array<{ message: string }> }> };
      return report.files.flatMap((f) => f.findings.map((x) => x.message)).filter((m) => m === 'from the cache');
    };
    const poison = () => {
      const data = JSON.parse(fs.readFileSync(cacheFile, 'utf8'));
      assert.ok(data.files[schema], 'schema.ts has a cache entry');
      data.files[schema].findings = [{ ruleId: 'identifier-hygiene', messageId: 'x', message: 'from the cache', severity: 'warning', span: { start: 0, end: 1 } }];
      fs.writeFileSync(cacheFile, JSON.stringify(data));
    };
    assert.deepEqual(await check(), []);
    poison();
    assert.deepEqual(await check(), ['from the cache'], 'unchanged inputs read the entry back');
    fs.writeFileSync(at('src/db/enums.ts'), ENUMS.replace("'settled'", "'settled', 'failed'"));
    assert.deepEqual(await check(), [], 'the enums file changed: re-checked');
    poison();
    fs.writeFileSync(at('tsconfig.base.json'), TSCONFIG_BASE.replace('"src/*"', '"src/*", "lib/*"'));
    assert.deepEqual(await check(), [], 'the tsconfig changed: re-checked');
    fs.writeFileSync(at('src/db/enums.ts'), ENUMS);
    fs.writeFileSync(at('tsconfig.base.json'), TSCONFIG_BASE);
  });
});
