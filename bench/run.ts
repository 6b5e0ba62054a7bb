// `npm run bench [name ...]`: every benchmark in its own process (so memory figures are its own), in
// turn, each with its default sizes (the ones issue 10 asks about), then a summary of how long each
// took. A bench that hangs is stopped after LEDGERLINT_BENCH_TIMEOUT_S seconds (default 1,200) so
// the run always ends; the exit code is 1 when a bench failed or was stopped. Figures are printed,
// never asserted: none of these is a timed test.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const only = process.argv.slice(2);
const timeoutS = Number(process.env.LEDGERLINT_BENCH_TIMEOUT_S ?? 1200);
const benches = fs
  .readdirSync(__dirname)
  .filter((f) => f.endsWith('.bench.js'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
if (benches.length === 0) {
  console.error(`no bench matches ${only.join(', ')} in ${__dirname}`);
  process.exit(1);
}

// Benches run more than once, with these arguments: the keystroke bench as a minimal LSP client
// (Neovim, Helix: every fix inline) and as VS Code (fixes resolved on demand, far smaller publishes,
// a quick look at each keystroke; also typed in bursts of keystrokes 100 ms apart).
const VARIANTS: Record<string, string[][]> = {
  'keystroke-lsp.bench.js': [[], [path.join(__dirname, '../../dist/server.js'), '10000', '--vscode', '--typing', '100']],
};

const summary: string[] = [];
let failed = false;
const started = performance.now();
for (const file of benches) {
  for (const args of VARIANTS[file] ?? [[]]) {
    const name = [file.replace(/\.js$/, '.ts'), ...args.filter((a) => a.startsWith('--'))].join(' ');
    console.log(`\n# ${name} (load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')})`);
    const t0 = performance.now();
    const r = spawnSync(process.execPath, ['--expose-gc', path.join(__dirname, file), ...args], { stdio: 'inherit', timeout: timeoutS * 1000 });
    const seconds = ((performance.now() - t0) / 1000).toFixed(0);
    const timedOut = (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
    const outcome = timedOut ? `stopped after ${timeoutS} s` : r.status === 0 ? 'ok' : `exited with ${r.status ?? r.signal}`;
    if (outcome !== 'ok') {
      failed = true;
      console.log(`(${outcome})`);
    }
    summary.push(`${name.padEnd(36)} ${seconds.padStart(5)} s  ${outcome}`);
  }
}
console.log(`\n# summary: ${summary.length} runs in ${((performance.now() - started) / 60_000).toFixed(1)} min\n${summary.join('\n')}`);
if (failed) process.exitCode = 1;
