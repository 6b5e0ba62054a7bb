// The SQL engine on large files: full lint, re-lint after a one-character edit, and memory.
// Run: npm run bench (or node --expose-gc out/bench/lint.bench.js after a build).
// Wall time and CPU time (process.cpuUsage, user + system) are both printed: on a shared
// machine wall time includes waiting for a core, CPU time does not.
import { Project } from '../server/src/engine/project';
import { initParser } from '../server/src/sql/parser';
import { generateSqlFile, mb, percentile } from './lib/generate';

function cpuMs(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
}

/** Statements spread over the file, as plain data: where to type and whether the edit is in DDL. */
function editTargets(statements: ReturnType<Project['lint']>['file']['statements'], n: number): Array<{ start: number; ddl: boolean }> {
  return Array.from({ length: n }, (_, k) => {
    const seg = statements[Math.floor((k / n) * statements.length)].segment;
    return { start: seg.start, ddl: /^(CREATE|ALTER)\b/.test(seg.text) };
  });
}

async function main(): Promise<void> {
  await initParser();
  const counts = process.argv.slice(2).map(Number).filter((n) => n > 0);
  for (const count of counts.length ? counts : [10_000, 20_000]) {
    const text = generateSqlFile(count);
    const project = new Project(undefined);
    let peak = process.memoryUsage().rss;
    const sample = () => (peak = Math.max(peak, process.memoryUsage().rss));
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    let first: ReturnType<Project['lint']> | undefined = project.lint('bench.sql', text);
    const full = performance.now() - t0;
    const fullCpu = cpuMs(c0);
    sample();
    // Where to type, taken before the first result goes: holding an old result keeps ~290 MB of a
    // 10k-statement file alive that the server (which keeps only the latest) never holds.
    const findingCount = first.findings.length;
    const picked = editTargets(first.file.statements, 60);
    first = undefined;
    // One-character edits in statements spread over the file, like a user typing.
    const edits: number[] = [];
    const cpu: number[] = [];
    // Edits inside CREATE/ALTER statements change the schema (replayed, file rules re-run); the
    // others only the edited statement. Reported apart: one median hides the other.
    const byKind = { query: [] as number[], ddl: [] as number[] };
    // The same without reading the findings: what the language server pays, which reads them statement by statement.
    const lintOnly = { query: [] as number[], ddl: [] as number[] };
    // The findings are made when read (see engine/statement-findings.ts): what the language server
    // and the CLI pay on top of the lint, timed apart so neither figure hides it.
    const reading: number[] = [];
    let current = text;
    for (let k = 0; k < 60; k++) {
      const at = picked[k].start + 7;
      current = current.slice(0, at) + (k % 2 ? '' : ' ') + current.slice(at + (k % 2 ? 1 : 0));
      const s = performance.now();
      const c = process.cpuUsage();
      const result = project.lint('bench.sql', current);
      const r = process.cpuUsage();
      void result.findings.length;
      reading.push(cpuMs(r));
      // An edit's figures include reading the findings: the server and the CLI always read them.
      edits.push(performance.now() - s);
      cpu.push(cpuMs(c));
      const kind = picked[k].ddl ? 'ddl' : 'query';
      byKind[kind].push(cpu[cpu.length - 1]);
      lintOnly[kind].push(cpu[cpu.length - 1] - reading[reading.length - 1]);
      sample();
      // Each edit is its own task in the server; WeakRefs the engine holds are cleared only between tasks.
      await new Promise(setImmediate);
    }
    edits.sort((a, b) => a - b);
    cpu.sort((a, b) => a - b);
    console.log(
      `lint ${count.toLocaleString('en')} statements (${(text.length / 1e6).toFixed(1)} M chars, ${findingCount.toLocaleString('en')} findings): ` +
        `full ${full.toFixed(0)} ms (CPU ${fullCpu.toFixed(0)} ms); after a one-character edit median ${percentile(edits, 0.5).toFixed(1)} ms, p95 ${percentile(edits, 0.95).toFixed(1)} ms ` +
        `(CPU median ${percentile(cpu, 0.5).toFixed(1)} ms, p95 ${percentile(cpu, 0.95).toFixed(1)} ms); peak RSS ${mb(peak)}`,
    );
    reading.sort((a, b) => a - b);
    console.log(`  of which reading the findings: CPU median ${percentile(reading, 0.5).toFixed(1)} ms, p95 ${percentile(reading, 0.95).toFixed(1)} ms`);
    for (const [kind, list] of Object.entries(byKind)) {
      list.sort((a, b) => a - b);
      const bare = lintOnly[kind as keyof typeof lintOnly].sort((a, b) => a - b);
      console.log(`  ${kind} edits (${list.length}): CPU median ${percentile(list, 0.5).toFixed(1)} ms, p95 ${percentile(list, 0.95).toFixed(1)} ms (without reading the findings: median ${percentile(bare, 0.5).toFixed(1)} ms, p95 ${percentile(bare, 0.95).toFixed(1)} ms)`);
    }
  }
}

void main();
