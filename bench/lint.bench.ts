// The SQL engine on large files: full lint, re-lint after a one-character edit, and memory.
// Run: npm run bench (or node out/bench/lint.bench.js after a build).
import { Project } from '../server/src/engine/project';
import { initParser } from '../server/src/sql/parser';
import { generateSqlFile, mb, percentile } from './lib/generate';

async function main(): Promise<void> {
  await initParser();
  for (const count of [10_000, 20_000]) {
    const text = generateSqlFile(count);
    const project = new Project(undefined);
    let peak = process.memoryUsage().rss;
    const sample = () => (peak = Math.max(peak, process.memoryUsage().rss));
    const t0 = performance.now();
    const first = project.lint('bench.sql', text);
    const full = performance.now() - t0;
    sample();
    // One-character edits in statements spread over the file, like a user typing.
    const edits: number[] = [];
    let current = text;
    for (let k = 0; k < 60; k++) {
      const stmt = first.file.statements[Math.floor((k / 60) * first.file.statements.length)];
      const at = stmt.segment.start + 7;
      current = current.slice(0, at) + (k % 2 ? '' : ' ') + current.slice(at + (k % 2 ? 1 : 0));
      const s = performance.now();
      project.lint('bench.sql', current);
      edits.push(performance.now() - s);
      sample();
    }
    edits.sort((a, b) => a - b);
    console.log(
      `lint ${count.toLocaleString('en')} statements (${(text.length / 1e6).toFixed(1)} M chars, ${first.findings.length.toLocaleString('en')} findings): ` +
        `full ${full.toFixed(0)} ms; after a one-character edit median ${percentile(edits, 0.5).toFixed(1)} ms, p95 ${percentile(edits, 0.95).toFixed(1)} ms; peak RSS ${mb(peak)}`,
    );
  }
}

void main();
