// `--cache` and the workspace casing: identifier-hygiene on a Drizzle schema depends on the
// `casing` of drizzle.config.* (not a checked file), so changing, adding or deleting the config
// must re-check the cached TypeScript findings, while an unchanged config still reads them back.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { run } from '../../server/src/cli/main';

const KEYS_ONLY = "import { bigint, pgTable } from 'drizzle-orm/pg-core';\nexport const payments = pgTable('payments', {\n  id: bigint({ mode: 'number' }).primaryKey(),\n  amountMinor: bigint({ mode: 'number' }).notNull(),\n});\n";
const CONFIG = (casing: string) => `import { defineConfig } from 'drizzle-kit';\nexport default defineConfig({ dialect: 'postgresql', schema: './src/schema.ts'${casing} });\n`;

describe('CLI --cache: a changed drizzle.config casing re-checks TypeScript', () => {
  let root: string;
  let cacheFile: string;
  const schema = () => path.join(root, 'src', 'schema.ts');
  const check = async (...extra: string[]) => {
    let stdout = '';
    const code = await run(['check', root, '--format', 'json', ...extra], (s) => (stdout += s));
    assert.ok(code === 0 || code === 1, `exit ${code}`);
    const report = JSON.parse(stdout) as { files: Array<{ path: string; findings: Array<{ ruleId: string; message: string }> }> };
    return report.files.flatMap((f) => f.findings.filter((x) => x.ruleId === 'identifier-hygiene' || x.message === 'from the cache').map((x) => `${f.path}: ${x.message}`));
  };
  const cached = () => check('--cache', '--cache-location', cacheFile);
  const poison = () => {
    const data = JSON.parse(fs.readFileSync(cacheFile, 'utf8'));
    assert.ok(data.files[schema()], 'schema.ts has a cache entry');
    data.files[schema()].findings = [{ ruleId: 'identifier-hygiene', messageId: 'x', message: 'from the cache', severity: 'warning', span: { start: 0, end: 1 } }];
    fs.writeFileSync(cacheFile, JSON.stringify(data));
  };

  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlint-cache-casing-'));
    cacheFile = path.join(root, 'lint.cache');
    fs.mkdirSync(path.join(root, 'src'));
    fs.writeFileSync(path.join(root, 'package.json'), '{}\n');
    fs.writeFileSync(schema(), KEYS_ONLY);
    fs.writeFileSync(path.join(root, 'drizzle.config.ts'), CONFIG(", casing: 'snake_case'"));
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('reads back with the same config, re-checks when the config changes, appears or goes', async () => {
    assert.deepEqual(await cached(), []);
    // Same config: the entry is read back (proved by poisoning it).
    poison();
    assert.deepEqual(await cached(), ['src/schema.ts: from the cache']);

    // casing removed from the config: the key-only column is now reported, as without a cache.
    fs.writeFileSync(path.join(root, 'drizzle.config.ts'), CONFIG(''));
    const unset = await cached();
    assert.equal(unset.length, 1, unset.join('\n'));
    assert.match(unset[0], /^src\/schema\.ts: Column "amountMinor" of payments takes its name from the property key/);
    assert.deepEqual(unset, await check());

    // The config deleted: the workspace casing is unknown again, the key-only schema is not reported.
    poison();
    fs.rmSync(path.join(root, 'drizzle.config.ts'));
    assert.deepEqual(await cached(), []);

    // A config added back with snake_case: re-checked again.
    poison();
    fs.writeFileSync(path.join(root, 'drizzle.config.mts'), CONFIG(", casing: 'snake_case'"));
    assert.deepEqual(await cached(), []);
    assert.deepEqual(await check(), []);
  });
});
