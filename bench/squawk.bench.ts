// Ledgerlint's CLI against squawk-cli (npm) on generated migration folders of 100, 1,000 and 5,000
// files, same inputs, one run. squawk-cli is installed into a scratch folder under /tmp (never into
// package.json); its binary comes from an npm optional dependency (@squawk-cli/linux-x64), so a
// machine that can reach the npm registry can run it. Skipped with a message when unavailable.
// Also times the parser floor: node + libpg-query parsing and tokenising every statement, nothing else.
// Times: minimum of N runs of wall time and of the child's CPU time (user + sys from
// /usr/bin/time), because the machine may be shared; CPU time is the steadier figure.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PARALLEL_MIN_CORES } from '../server/src/cli/parallel';
import { generateMigration } from './lib/generate';

// LEDGERLINT_CLI compares other builds (comma-separated, e.g. a copy of dist/ from before a change
// and dist/): each is timed on the same folders, one after the other, so they share the machine's load.
const CLIS = (process.env.LEDGERLINT_CLI ?? path.join(__dirname, '../../dist/cli.js')).split(',').map((c) => path.resolve(c));
const SIZES = (process.env.LEDGERLINT_BENCH_SIZES ?? '100,1000,5000').split(',').map(Number);
const RUNS = Number(process.env.LEDGERLINT_BENCH_RUNS ?? 3);
/** Cold runs at 5,000 files and more (each takes seconds): 1 unless LEDGERLINT_BENCH_RUNS_LARGE says. */
const RUNS_LARGE = Number(process.env.LEDGERLINT_BENCH_RUNS_LARGE ?? 1);

function installSquawk(): string | undefined {
  const dir = path.join(os.tmpdir(), 'ledgerlint-squawk');
  const bin = path.join(dir, 'node_modules', '.bin', 'squawk');
  if (!fs.existsSync(bin)) {
    fs.mkdirSync(dir, { recursive: true });
    if (!fs.existsSync(path.join(dir, 'package.json'))) fs.writeFileSync(path.join(dir, 'package.json'), '{"private":true}');
    const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--silent', 'squawk-cli'], { cwd: dir, encoding: 'utf8', timeout: 180_000 });
    if (r.status !== 0) {
      console.log(`squawk-cli: npm install failed, skipping the comparison: ${(r.stderr || r.error?.message || '').trim().split('\n').slice(-3).join(' ')}`);
      return undefined;
    }
  }
  const probe = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    console.log(`squawk-cli: installed but does not run here, skipping: ${(probe.stderr || probe.error?.message || '').trim()}`);
    return undefined;
  }
  console.log(`squawk-cli ${probe.stdout.trim()} from ${bin}`);
  return bin;
}

interface Timing {
  wallMs: number;
  cpuMs: number;
  rssMb: number;
  code: number | null;
}

function time(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Timing {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S %M', cmd, ...args], { encoding: 'utf8', env, maxBuffer: 1 << 30 });
  const wallMs = performance.now() - t0;
  const [user, sys, rss] = (r.stderr ?? '').trim().split('\n').pop()!.split(' ').map(Number);
  return { wallMs, cpuMs: (user + sys) * 1000, rssMb: rss / 1024, code: r.status };
}

function best(runs: Timing[]): Timing {
  return { wallMs: Math.min(...runs.map((r) => r.wallMs)), cpuMs: Math.min(...runs.map((r) => r.cpuMs)), rssMb: Math.min(...runs.map((r) => r.rssMb)), code: runs[0].code };
}

function push(m: Map<string, Timing[]>, key: string, t: Timing): void {
  const list = m.get(key);
  if (list) list.push(t);
  else m.set(key, [t]);
}

function repeat(n: number, f: () => Timing): Timing {
  return best(Array.from({ length: n }, f));
}

const fmt = (ms: number) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(0)} ms`);

// What node and the parser alone cost on the same folder (bench/lib/parser-floor.ts): the part of
// the gap to squawk that no work of Ledgerlint's own could remove while it parses with libpg-query.
const FLOOR = path.join(__dirname, 'lib', 'parser-floor.js');

const squawk = installSquawk();
console.log(`${CLIS.join(', ')}; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} on ${os.availableParallelism()} cores`);
for (const files of SIZES) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'll-squawk-bench-'));
  const migrations = path.join(dir, 'migrations');
  fs.mkdirSync(migrations);
  const names: string[] = [];
  for (let i = 0; i < files; i++) {
    const name = `${String(i).padStart(5, '0')}_migration.sql`;
    fs.writeFileSync(path.join(migrations, name), generateMigration(i));
    names.push(path.join(migrations, name));
  }
  const out = path.join(os.tmpdir(), 'll-squawk-bench.json');
  const runs = files >= 5000 ? RUNS_LARGE : RUNS;
  // The cold runs of squawk and of each build alternate, so that a change in the machine's load
  // falls on all of them alike (a shared machine's load moves within seconds).
  // squawk takes file paths (it has no directory walk); its JSON reporter keeps output comparable.
  const cold = new Map<string, Timing[]>();
  for (let r = 0; r < runs; r++) {
    if (squawk) push(cold, 'squawk', time(squawk, ['--reporter', 'json', ...names]));
    push(cold, FLOOR, time(process.execPath, [FLOOR, dir]));
    for (const cli of CLIS) push(cold, cli, time(process.execPath, [cli, 'check', dir, '--format', 'json', '--output', out]));
  }
  const sq = squawk ? best(cold.get('squawk')!) : undefined;
  const floor = best(cold.get(FLOOR)!);
  console.log(`${files.toLocaleString('en')} files: parser floor (node, libpg-query, parse + tokenise each statement) ${fmt(floor.wallMs)} wall / ${fmt(floor.cpuMs)} CPU / ${floor.rssMb.toFixed(0)} MB`);
  if (sq) console.log(`${files.toLocaleString('en')} files: squawk ${fmt(sq.wallMs)} wall / ${fmt(sq.cpuMs)} CPU / ${sq.rssMb.toFixed(0)} MB [load ${os.loadavg()[0].toFixed(2)}]`);
  for (const cli of CLIS) {
    const ll = best(cold.get(cli)!);
    // Below PARALLEL_MIN_CORES the default run is the single-threaded one: not timed twice.
    const single = os.availableParallelism() < PARALLEL_MIN_CORES && !process.env.LEDGERLINT_WORKERS ? ll : repeat(runs, () => time(process.execPath, [cli, 'check', dir, '--format', 'json', '--output', out], { ...process.env, LEDGERLINT_WORKERS: '0' }));
    fs.rmSync(path.join(dir, '.ledgerlintcache'), { force: true });
    time(process.execPath, [cli, 'check', dir, '--cache', '--format', 'json', '--output', out]);
    const cached = repeat(runs, () => time(process.execPath, [cli, 'check', dir, '--cache', '--format', 'json', '--output', out]));
    let line = `${files.toLocaleString('en')} files: ${path.relative(process.cwd(), cli) || cli} ${fmt(ll.wallMs)} wall / ${fmt(ll.cpuMs)} CPU / ${ll.rssMb.toFixed(0)} MB (single-threaded ${fmt(single.wallMs)} / ${fmt(single.cpuMs)} CPU; warm --cache ${fmt(cached.wallMs)} / ${fmt(cached.cpuMs)} CPU)`;
    if (sq) line += `; ratio to squawk: ${(ll.wallMs / sq.wallMs).toFixed(2)}x wall, ${(ll.cpuMs / sq.cpuMs).toFixed(2)}x CPU`;
    line += `; above the parser floor: ${fmt(ll.cpuMs - floor.cpuMs)} CPU`;
    console.log(`${line} [load ${os.loadavg()[0].toFixed(2)}]`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
}
if (!squawk) console.log('(squawk-cli unavailable: Ledgerlint figures only)');
