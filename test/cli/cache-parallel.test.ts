// `--cache` and worker threads, through the bundled CLI as CI runs it: a parallel run reports
// exactly what a single-threaded run reports; a cached run reports what the uncached one did, reads
// unchanged files from the cache, and re-checks what a changed file, migration or config affects.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generateMigration } from '../../bench/lib/generate';

const BIN = path.resolve(__dirname, '../../../bin/ledgerlint.js');

function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, 'check', ...args, '--format', 'json'], { encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, NO_COLOR: '1', ...env } });
  return { code: r.status, json: r.stdout, stderr: r.stderr };
}

describe('CLI worker threads and --cache', () => {
  let root: string;
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlint-cache-'));
    fs.mkdirSync(path.join(root, 'migrations'));
    // Enough files for the parallel path; a later migration alters a table an early one created.
    for (let i = 0; i < 240; i++) fs.writeFileSync(path.join(root, 'migrations', `${String(i).padStart(4, '0')}_m.sql`), generateMigration(i));
    fs.writeFileSync(path.join(root, 'migrations', '0500_alter.sql'), 'ALTER TABLE payments_0 ADD COLUMN fee double precision;\n');
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('reports the same findings with 2 workers as single-threaded', () => {
    const single = cli([root], { LEDGERLINT_WORKERS: '0' });
    const parallel = cli([root], { LEDGERLINT_WORKERS: '2' });
    assert.equal(single.code, 1, single.stderr);
    assert.equal(parallel.code, single.code, parallel.stderr);
    const report = JSON.parse(single.json) as { files: Array<{ findings: unknown[] }> };
    assert.equal(report.files.length, 241);
    assert.ok(report.files.every((f) => f.findings.length > 0));
    assert.equal(parallel.json, single.json);
  });

  it('with --cache: same findings, then re-checks only what a change can affect', () => {
    const cacheFile = path.join(root, 'custom.cache');
    const plain = cli([root], { LEDGERLINT_WORKERS: '0' });
    const first = cli([root, '--cache', '--cache-location', cacheFile]);
    assert.equal(first.json, plain.json);
    assert.ok(fs.existsSync(cacheFile), 'the cache file was written');
    const cachedEntries = () => Object.keys(JSON.parse(fs.readFileSync(cacheFile, 'utf8')).files).length;
    assert.equal(cachedEntries(), 241);

    // The second run reads every file from the cache: prove it by poisoning one entry.
    const data = JSON.parse(fs.readFileSync(cacheFile, 'utf8'));
    const victim = path.join(root, 'migrations', '0003_m.sql');
    data.files[victim].findings = [{ ruleId: 'syntax-error', messageId: 'x', message: 'from the cache', severity: 'error', span: { start: 0, end: 1 } }];
    fs.writeFileSync(cacheFile, JSON.stringify(data));
    const second = cli([root, '--cache', '--cache-location', cacheFile]);
    assert.match(second.json, /from the cache/);

    // Changing a migration invalidates every SQL file (the workspace schema may differ).
    fs.appendFileSync(path.join(root, 'migrations', '0500_alter.sql'), '-- touched\n');
    const third = cli([root, '--cache', '--cache-location', cacheFile]);
    assert.doesNotMatch(third.json, /from the cache/);
    assert.equal(third.json, cli([root], { LEDGERLINT_WORKERS: '0' }).json);

    // Changing the configuration invalidates too.
    data.files[victim].findings[0].message = 'stale';
    const again = JSON.parse(fs.readFileSync(cacheFile, 'utf8'));
    again.files[victim].findings = data.files[victim].findings;
    fs.writeFileSync(cacheFile, JSON.stringify(again));
    assert.match(cli([root, '--cache', '--cache-location', cacheFile]).json, /stale/);
    fs.writeFileSync(path.join(root, 'ledgerlint.json'), JSON.stringify({ rules: { 'money-float-type': 'warning' } }));
    const configured = cli([root, '--cache', '--cache-location', cacheFile]);
    assert.doesNotMatch(configured.json, /stale/);
    assert.equal(configured.json, cli([root], { LEDGERLINT_WORKERS: '0' }).json);
    fs.rmSync(path.join(root, 'ledgerlint.json'));
  });

  it('writes .ledgerlintcache in the root by default', () => {
    cli([root, '--cache']);
    assert.ok(fs.existsSync(path.join(root, '.ledgerlintcache')));
  });
});
