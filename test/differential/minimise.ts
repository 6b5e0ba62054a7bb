// Cuts a diverging case down to the ops that still make the same divergence (same kind, file and
// rule): drops runs of ops, halving their length down to single ops, keeping a drop whenever the
// divergence stays. Typed characters of one line are tried as one run first.
//   node out/test/differential/minimise.js <case.json> [--bundle dist/server.js] > small.json
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Divergence } from './compare';
import type { Case, Op } from './edit-ops';
import { runCase } from './run-case';

export function signature(d: Divergence): string {
  const code = (x: unknown) => (x && typeof x === 'object' && 'code' in x ? String((x as { code: unknown }).code) : '');
  return `${d.kind} ${d.path} ${code(d.fresh) || code(d.edited)}`;
}

export async function minimise(c: Case, target: string, bundle?: string, log: (s: string) => void = () => {}): Promise<{ case: Case; pace: 'editor' | 'settled' }> {
  let pace: 'editor' | 'settled' = 'settled';
  // A timing-dependent divergence gets three tries per candidate at the editor's pace.
  const reproduces = async (ops: Op[]): Promise<boolean> => {
    for (let i = 0; i < (pace === 'settled' ? 1 : 3); i++) {
      const r = await runCase({ ...c, ops: [...ops, { kind: 'checkpoint' }] }, { bundle, stopAtFirst: true, quickFixSample: target.startsWith('quick-fix') ? 100 : 0, pace });
      if (r.divergences.some((d) => signature(d) === target)) return true;
    }
    return false;
  };
  // Everything up to the checkpoint that diverged, with no checkpoint in between.
  let ops = c.ops.filter((o) => o.kind !== 'checkpoint');
  if (!(await reproduces(ops))) {
    pace = 'editor';
    log('not reproduced with the server settled after each op; trying at the editor pace');
    if (!(await reproduces(ops))) throw new Error(`the case does not reproduce ${target}`);
  }
  for (let size = Math.max(1, Math.floor(ops.length / 2)); size >= 1; size = Math.floor(size / 2)) {
    for (let start = ops.length - size; start >= 0; start -= size) {
      const candidate = [...ops.slice(0, start), ...ops.slice(start + size)];
      if (await reproduces(candidate)) {
        ops = candidate;
        log(`${ops.length} ops`);
      }
    }
    if (size === 1) break;
  }
  return { case: { ...c, ops }, pace };
}

async function main(): Promise<void> {
  const file = process.argv[2];
  const i = process.argv.indexOf('--bundle');
  const bundle = i > 0 ? path.resolve(process.argv[i + 1]) : undefined;
  const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as { case: Case; divergences: Divergence[] };
  const target = process.argv.includes('--target') ? process.argv[process.argv.indexOf('--target') + 1] : signature(saved.divergences[0]);
  const first = saved.divergences.find((d) => signature(d) === target) as (Divergence & { opIndex: number }) | undefined;
  const cut = saved.case.ops.slice(0, first?.opIndex ?? saved.case.ops.length);
  process.stderr.write(`minimising ${target} from ${cut.length} ops\n`);
  const small = await minimise({ ...saved.case, ops: cut }, target, bundle, (s) => process.stderr.write(s + '\n'));
  const r = await runCase({ ...small.case, ops: [...small.case.ops, { kind: 'checkpoint' }] }, { bundle, pace: small.pace });
  process.stdout.write(JSON.stringify({ case: small.case, pace: small.pace, divergences: r.divergences }, null, 1) + '\n');
}

if (require.main === module) void main();
