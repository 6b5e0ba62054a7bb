// Out of CI: many seeds, many edits each, at most two cases at once (the machine is shared). Prints
// each divergence with its seed and checkpoint, and writes the failing cases (files + ops) as JSON
// for replaying and minimising.
//   node out/test/differential/run-long.js [--seeds 1-200] [--edits 120] [--checkpoints 4] [--jobs 2] [--out dir] [--bundle dist/server.js] [--touch] [--cli] [--extended] [--classify] [--big]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateCase } from './edit-ops';
import { runCase } from './run-case';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

async function main(): Promise<void> {
  const [from, to] = arg('seeds', '1-50').split('-').map(Number);
  const edits = Number(arg('edits', '120'));
  const checkpoints = Number(arg('checkpoints', '4'));
  const jobs = Math.min(2, Number(arg('jobs', '2')));
  const out = arg('out', path.join(os.tmpdir(), 'ledgerlint-differential-cases'));
  const bundle = path.resolve(arg('bundle', 'dist/server.js'));
  fs.mkdirSync(out, { recursive: true });
  const seeds = Array.from({ length: (to ?? from) - from + 1 }, (_, i) => from + i);
  let totalEdits = 0;
  let failing = 0;
  const started = Date.now();
  async function worker(): Promise<void> {
    for (let seed = seeds.shift(); seed !== undefined; seed = seeds.shift()) {
      const c = generateCase(seed, edits, checkpoints, process.argv.includes('--extended'), process.argv.includes('--big'));
      try {
        const r = await runCase(c, { bundle, touchBeforeCompare: process.argv.includes('--touch'), cli: process.argv.includes('--cli'), classify: process.argv.includes('--classify') });
        totalEdits += r.edits;
        if (r.divergences.length) {
          failing++;
          fs.writeFileSync(path.join(out, `seed-${seed}.json`), JSON.stringify({ case: c, divergences: r.divergences }, null, 1));
          const kinds = r.divergences.map((d) => `${d.stale ? 'stale ' : ''}${d.kind} ${d.path} ${String((d.fresh as { code?: string })?.code ?? (d.edited as { code?: string })?.code ?? '')}`);
          console.log(`seed ${seed}: ${r.divergences.length} divergences at checkpoint ${r.divergences[0].checkpoint}: ${[...new Set(kinds)].join('; ')}`);
        } else console.log(`seed ${seed}: ok (${r.edits} edits, ${r.checkpoints} checkpoints)`);
      } catch (err) {
        failing++;
        fs.writeFileSync(path.join(out, `seed-${seed}.error.json`), JSON.stringify({ case: c, error: String((err as Error)?.stack ?? err) }, null, 1));
        console.log(`seed ${seed}: ERROR ${(err as Error)?.message ?? err}`);
      }
    }
  }
  await Promise.all(Array.from({ length: jobs }, worker));
  console.log(`${totalEdits} edits, ${failing} failing seeds, ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

void main();
