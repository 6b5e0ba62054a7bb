// LEDGERLINT_DEBUG_TIMING=1 (cli/phases.ts): a run's phases from the process's start to its exit,
// on stderr only, with the built command (node start and bundle load apart) and from out/.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';

const DIST_CLI = path.resolve(__dirname, '../../../dist/cli.js');
const OUT_CLI = path.resolve(__dirname, '../../server/src/cli.js');

interface Phase {
  name: string;
  wall: number;
  cpu: number;
}

function phases(stderr: string): Phase[] {
  const out: Phase[] = [];
  for (const m of stderr.matchAll(/^ledgerlint: (\S.*?)\s+(-?[\d.]+) ms wall\s+(-?[\d.]+) ms CPU$/gm)) out.push({ name: m[1], wall: Number(m[2]), cpu: Number(m[3]) });
  return out;
}

describe('LEDGERLINT_DEBUG_TIMING', () => {
  let root: string;
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlint-timing-'));
    fs.mkdirSync(path.join(root, 'migrations'));
    fs.writeFileSync(path.join(root, 'migrations', '0001_init.sql'), 'CREATE TABLE payments (id bigint PRIMARY KEY, amount real NOT NULL);\n');
    fs.writeFileSync(path.join(root, 'migrations', '0002_more.sql'), 'ALTER TABLE payments ADD COLUMN fee integer;\nUPDATE payments SET fee = 0;\n');
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  function check(cli: string, env: Record<string, string>) {
    return spawnSync(process.execPath, [cli, 'check', root, '--format', 'json'], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', LEDGERLINT_WORKERS: '0', LEDGERLINT_CODE_CACHE: 'off', ...env },
    });
  }

  it('prints every phase of the built command in order, adding up to the total, and leaves stdout alone', { skip: !fs.existsSync(DIST_CLI) && 'dist/ not built' }, () => {
    const plain = check(DIST_CLI, {});
    const timed = check(DIST_CLI, { LEDGERLINT_DEBUG_TIMING: '1' });
    assert.equal(timed.status, plain.status);
    assert.equal(timed.stdout, plain.stdout);
    assert.equal(plain.stderr, '');
    const got = phases(timed.stderr);
    assert.deepEqual(
      got.map((p) => p.name),
      ['node start', 'bundle load', 'files', 'cache read', 'engine load', 'index', 'parser load', 'schema', 'lint files', 'ts, reports', 'cache write', 'output', 'exit', 'total'],
    );
    const total = got.at(-1)!;
    const parts = got.slice(0, -1);
    for (const p of parts) assert.ok(p.wall >= 0 && p.cpu >= 0, `${p.name}: ${p.wall} / ${p.cpu}`);
    // The phases cover the run from the process's start: they add up to the total (rounding aside).
    assert.ok(Math.abs(parts.reduce((s, p) => s + p.wall, 0) - total.wall) < 1, timed.stderr);
    assert.ok(Math.abs(parts.reduce((s, p) => s + p.cpu, 0) - total.cpu) < 1, timed.stderr);
    assert.ok(got[0].cpu > 0, 'node start counts the CPU node used before the launcher ran');
  });

  it('starts with start-up when run from out/ (no launcher)', () => {
    const timed = check(OUT_CLI, { LEDGERLINT_DEBUG_TIMING: '1', NODE_PATH: path.resolve(__dirname, '../../../node_modules') });
    const names = phases(timed.stderr).map((p) => p.name);
    assert.equal(names[0], 'start-up');
    assert.ok(names.includes('schema') && names.includes('lint files') && names.at(-1) === 'total', timed.stderr);
  });
});
