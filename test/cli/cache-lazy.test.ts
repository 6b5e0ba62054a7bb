// The warm --cache path: a run whose files all come from the cache loads neither the engine, the
// rules, the parser nor the Drizzle front-end, prints the findings' JSON the cache kept, and
// reports exactly what an uncached run reports (JSON, text, SARIF). A changed file, a changed
// config, an edited or broken cache file still give the uncached report.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generateMigration } from '../../bench/lib/generate';
import { RULE_IDS } from '../../server/src/rules';
import { ruleDescriptors } from '../../server/src/drizzle/project';

const MAIN = require.resolve('../../server/src/cli/main');
/** Modules a warm run must not load (paths as they appear in require.cache from out/). */
const HEAVY = ['/server/src/rules/index.js', '/server/src/engine/project.js', '/server/src/engine/linter.js', '/server/src/sql/parser.js', '/node_modules/libpg-query/', '/server/src/drizzle/project.js', '/node_modules/typescript/'];

const SARIF_RULES = ruleDescriptors().map(({ meta: m }) => ({ meta: { id: m.id, description: m.description, rationale: m.rationale, severity: m.severity, category: m.category } }));

/**
 * Runs the CLI from out/ in a fresh process; `loaded` lists the heavy modules it required. The rule
 * ids and SARIF's rule list are given as scripts/build.mjs gives them to the bundle (from out/, the
 * CLI would load the rules and the Drizzle checks for them).
 */
function cli(args: string[]) {
  const script = `
    globalThis.LEDGERLINT_RULE_IDS = ${JSON.stringify([...RULE_IDS])};
    globalThis.LEDGERLINT_SARIF_RULES = ${JSON.stringify(SARIF_RULES)};
    const { run } = require(${JSON.stringify(MAIN)});
    let out = '';
    run(${JSON.stringify(['check', ...args])}, (s) => (out += s)).then((code) => {
      const heavy = ${JSON.stringify(HEAVY)};
      const loaded = heavy.filter((h) => Object.keys(require.cache).some((k) => k.includes(h)));
      process.stdout.write(JSON.stringify({ code, out, loaded }));
    });`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, NO_COLOR: '1', LEDGERLINT_WORKERS: '0' } });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as { code: number; out: string; loaded: string[] };
}

describe('CLI --cache, warm path', () => {
  let root: string;
  let cacheFile: string;
  const formats = [['--format', 'json'], ['--format', 'sarif'], ['--format', 'text', '--code-frames']];
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlint-cache-lazy-'));
    fs.mkdirSync(path.join(root, 'migrations'));
    for (let i = 0; i < 12; i++) fs.writeFileSync(path.join(root, 'migrations', `${String(i).padStart(4, '0')}_m.sql`), generateMigration(i));
    // Non-ASCII text: the kept JSON is UTF-8 bytes, positions are UTF-16 columns.
    fs.writeFileSync(path.join(root, 'migrations', '0100_ünï.sql'), "-- 💸 Gebühren\nCREATE TABLE fees (id bigint PRIMARY KEY, amount real NOT NULL, note text DEFAULT 'é');\n");
    fs.writeFileSync(path.join(root, 'clean.sql'), 'SELECT 1;\n');
    cacheFile = path.join(root, 'lint.cache');
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  const uncached = (format: string[]) => cli([root, ...format]);
  const cached = (format: string[]) => cli([root, ...format, '--cache', '--cache-location', cacheFile]);

  it('prints what an uncached run prints, in every format, without loading the engine, rules, parser or Drizzle', () => {
    fs.rmSync(cacheFile, { force: true });
    const cold = cached(['--format', 'json']);
    assert.ok(cold.loaded.includes('/server/src/rules/index.js'), 'the cold run loaded the rules (the check can fail)');
    for (const format of formats) {
      const plain = uncached(format);
      const warm = cached(format);
      assert.equal(warm.out, plain.out, format.join(' '));
      assert.equal(warm.code, plain.code);
      assert.deepEqual(warm.loaded, [], `${format.join(' ')} loaded ${warm.loaded.join(', ')}`);
    }
    assert.equal(cold.out, uncached(['--format', 'json']).out);
  });

  it('prints the findings JSON kept in the cache file (not re-formatted) on a warm JSON run', () => {
    cached(['--format', 'json']);
    const bytes = fs.readFileSync(cacheFile);
    // The same length, so the file's layout still holds: only a JSON run that copies the kept text shows it.
    const at = bytes.indexOf('"ruleId": "money-float-type"');
    assert.ok(at > 0, 'the kept JSON is in the file as it is printed');
    bytes.write('"ruleId": "MONEY-FLOAT-TYPE"', at);
    fs.writeFileSync(cacheFile, bytes);
    assert.match(cached(['--format', 'json']).out, /MONEY-FLOAT-TYPE/);
    assert.doesNotMatch(cached(['--format', 'text']).out, /MONEY-FLOAT-TYPE/, 'text is printed from the findings');
    fs.rmSync(cacheFile);
  });

  it('re-checks after a change of a file or of the config, and survives a broken cache file', () => {
    fs.rmSync(cacheFile, { force: true });
    cached(['--format', 'json']);
    const victim = path.join(root, 'migrations', '0003_m.sql');
    fs.appendFileSync(victim, 'ALTER TABLE payments_0 ADD COLUMN fee double precision;\n');
    const changed = cached(['--format', 'json']);
    assert.ok(changed.loaded.includes('/server/src/rules/index.js'));
    assert.equal(changed.out, uncached(['--format', 'json']).out);
    // The next run is warm again, and still right.
    const warm = cached(['--format', 'json']);
    assert.deepEqual(warm.loaded, []);
    assert.equal(warm.out, changed.out);

    fs.writeFileSync(path.join(root, 'ledgerlint.json'), JSON.stringify({ rules: { 'money-float-type': 'off' } }));
    const configured = cached(['--format', 'json']);
    assert.ok(configured.loaded.includes('/server/src/rules/index.js'));
    assert.equal(configured.out, uncached(['--format', 'json']).out);
    assert.doesNotMatch(configured.out, /money-float-type/);
    fs.rmSync(path.join(root, 'ledgerlint.json'));

    for (const broken of [(b: Buffer) => b.subarray(0, b.length - 7), (b: Buffer) => b.subarray(0, Math.floor(b.length / 2)), () => Buffer.from('{"format":3,"rendered":[],"files":{},"head":{"format":3,"files":[0,999],"entries":{}},"headLength":55}'), () => Buffer.from('not json')]) {
      cached(['--format', 'json']);
      fs.writeFileSync(cacheFile, broken(fs.readFileSync(cacheFile)));
      const r = cached(['--format', 'json']);
      assert.equal(r.out, uncached(['--format', 'json']).out);
    }
  });

  it('drops entries of deleted files, and keeps the others warm', () => {
    fs.rmSync(cacheFile, { force: true });
    const extra = path.join(root, 'gone.sql');
    fs.writeFileSync(extra, 'SELECT 2;\n');
    cached(['--format', 'json']);
    fs.rmSync(extra);
    // Removing a .sql file changes the workspace, so this run re-checks; the entry is dropped.
    cached(['--format', 'json']);
    const entries = Object.keys(JSON.parse(fs.readFileSync(cacheFile, 'utf8')).files);
    assert.ok(!entries.includes(extra));
    assert.equal(entries.length, 14);
    assert.deepEqual(cached(['--format', 'json']).loaded, []);
  });
});
