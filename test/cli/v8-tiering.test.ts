// The bundled CLI runs without V8's optimizing compiler (server/src/cli/v8-tiering.ts): a batch
// run's TurboFan compiles cost more CPU than they saved. Read from V8's own --trace-opt output.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generateMigration } from '../../bench/lib/generate';

const BIN = path.resolve(__dirname, '../../../bin/ledgerlint.js');
const TURBOFAN = /\(target TURBOFAN\)/;

describe('CLI V8 tiering', () => {
  let root: string;
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlint-tiering-'));
    fs.mkdirSync(path.join(root, 'migrations'));
    // Enough work for TurboFan to pick up the hot rule and replay functions under V8's defaults.
    for (let i = 0; i < 300; i++) fs.writeFileSync(path.join(root, 'migrations', `${String(i).padStart(4, '0')}_m.sql`), generateMigration(i));
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('--trace-opt shows TurboFan at work in a hot loop (the probe itself works)', () => {
    const r = spawnSync(process.execPath, ['--trace-opt', '-e', 'let s = 0; for (let i = 0; i < 3e6; i++) s += Math.sqrt(i) | 0; console.log(s > 0)'], { encoding: 'utf8' });
    assert.match(r.stdout, TURBOFAN);
  });

  it('checks 300 migrations without a single TurboFan compile, findings written as usual', () => {
    const out = path.join(root, 'report.json');
    const r = spawnSync(process.execPath, ['--trace-opt', BIN, 'check', root, '--format', 'json', '--output', out], {
      encoding: 'utf8',
      maxBuffer: 1 << 28,
      env: { ...process.env, LEDGERLINT_WORKERS: '0', LEDGERLINT_CODE_CACHE: path.join(root, 'code-cache') },
    });
    assert.equal(r.status, 1, r.stderr);
    const report = JSON.parse(fs.readFileSync(out, 'utf8'));
    assert.equal(report.files.length, 300);
    assert.ok(report.summary.error > 0);
    const optimized = r.stdout.split('\n').filter((l) => TURBOFAN.test(l));
    assert.deepEqual(optimized.slice(0, 3), [], `${optimized.length} TurboFan compiles`);
  });
});
