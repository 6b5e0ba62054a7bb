// The CLI over a folder of 1,000 migration files, as CI runs it (bundled dist/cli.js).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateMigration } from './lib/generate';

const CLI = path.resolve(__dirname, '../../dist/cli.js');

function timeRun(dir: string): { ms: number; code: number | null; maxRssKb: number } {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, CLI, 'check', dir, '--format', 'json', '--output', path.join(os.tmpdir(), 'll-bench.json')], { encoding: 'utf8' });
  const ms = performance.now() - t0;
  const maxRssKb = Number((r.stderr ?? '').trim().split('\n').pop()) || NaN;
  return { ms, code: r.status, maxRssKb };
}

for (const files of [1_000]) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'll-cli-bench-'));
  for (let i = 0; i < files; i++) fs.writeFileSync(path.join(dir, `${String(i).padStart(4, '0')}_migration.sql`), generateMigration(i));
  const runs = [timeRun(dir), timeRun(dir), timeRun(dir)].sort((a, b) => a.ms - b.ms);
  const best = runs[0];
  console.log(`cli check over ${files.toLocaleString('en')} files (${files * 3} statements): best of 3 ${best.ms.toFixed(0)} ms, max RSS ${Number.isNaN(best.maxRssKb) ? 'n/a' : `${(best.maxRssKb / 1024).toFixed(0)} MB`} (exit ${best.code})`);
  fs.rmSync(dir, { recursive: true, force: true });
}
