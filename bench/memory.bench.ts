// Memory of the SQL engine as a user works on a big file, and as findings grow. Two questions:
// does the heap that survives a full GC grow from edit to edit (something retained), or only the RSS
// (garbage made faster than collected, or pages V8 keeps)? And does memory grow with the number of
// findings faster than the findings themselves?
// Run: node --expose-gc out/bench/memory.bench.js [statements] [edits]
import { execFileSync } from 'node:child_process';
import { Project } from '../server/src/engine/project';
import { initParser } from '../server/src/sql/parser';
import { generateSqlFile } from './lib/generate';

const MB = 1024 * 1024;

function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) throw new Error('run with node --expose-gc');
  collect();
  collect();
}

function sample(): { heap: number; rss: number; external: number } {
  gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed / MB, rss: m.rss / MB, external: (m.external + m.arrayBuffers) / MB };
}

const fmt = (s: { heap: number; rss: number; external: number }) => `heap after GC ${s.heap.toFixed(0)} MB, external ${s.external.toFixed(0)} MB, RSS ${s.rss.toFixed(0)} MB`;

/** One-character edits spread over the file, as lint.bench.ts makes them. */
async function edits(project: Project, text: string, count: number, starts: number[]): Promise<void> {
  let current = text;
  let peak = 0;
  const every = Math.max(1, Math.floor(count / 6));
  for (let k = 0; k < count; k++) {
    const at = starts[Math.floor((k / count) * starts.length)] + 7;
    current = current.slice(0, at) + (k % 2 ? '' : ' ') + current.slice(at + (k % 2 ? 1 : 0));
    project.lint('bench.sql', current);
    // As in the server, where each edit is its own task: WeakRefs the engine holds are only cleared
    // between tasks, so a loop that never yields keeps every generation they point to.
    await new Promise(setImmediate);
    peak = Math.max(peak, process.memoryUsage().rss / MB);
    if ((k + 1) % every === 0 || k === count - 1) console.log(`  after edit ${k + 1}: ${fmt(sample())}, peak RSS so far ${peak.toFixed(0)} MB`);
  }
}

/** Heap a fresh process keeps after one check of `statements` (run in a child: nothing of another check lingers). */
function growthChild(statements: number): void {
  const before = sample();
  const project = new Project(undefined);
  const result = project.lint('grow.sql', generateSqlFile(statements));
  const after = sample();
  const kept = after.heap - before.heap;
  console.log(`${statements.toLocaleString('en')} statements, ${result.findings.length.toLocaleString('en')} findings: heap kept ${kept.toFixed(0)} MB (${((kept * MB) / result.findings.length / 1024).toFixed(2)} KB per finding); ${fmt(after)}`);
  // Read after the sample, so the project and its result are alive when it is taken.
  if (project.rules.length === 0) console.log('no rules');
}

async function main(): Promise<void> {
  await initParser();
  const argv = process.argv.slice(2);
  if (argv[0] === '--grow') return growthChild(Number(argv[1]));
  const args = argv.map(Number);
  const count = args[0] > 0 ? args[0] : 20_000;
  const editCount = args[1] > 0 ? args[1] : 60;
  console.log(`baseline: ${fmt(sample())}`);

  // Findings growth: 1x, 2x, 4x the statements (and findings), each checked in a process of its own.
  for (const times of [1, 2, 4]) {
    process.stdout.write(execFileSync(process.execPath, ['--expose-gc', __filename, '--grow', String((count / 4) * times)], { encoding: 'utf8' }));
  }

  const text = generateSqlFile(count);
  const project = new Project(undefined);
  // Only the offsets of the first check are kept: holding its result would keep its statements alive.
  const starts = project.lint('bench.sql', text).file.statements.map((s) => s.segment.start);
  console.log(`${count.toLocaleString('en')} statements first check: ${fmt(sample())}`);
  await edits(project, text, editCount, starts);
}

void main();
