/**
 * Builds the workspace model of a generated repository of 2,000 drizzle-kit style migrations
 * (tables with foreign keys, indexes, column changes, constraints, RLS, grants) and reports:
 * discovery time, initial build time (parse + replay), peak RSS, heap after GC, and the time
 * to re-check after editing one migration (re-parse that file, replay all, find dependents).
 * Run: npx tsc -p . && node --expose-gc out/bench/model.bench.js [files]
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Project } from '../server/src/engine/project';
import { WorkspaceModel } from '../server/src/model/workspace-model';
import { initParser } from '../server/src/sql/parser';
import { discoverMigrations } from '../server/src/workspace/discover';
import { pathToFileURL } from 'url';
import { startServer } from '../test/lib/lsp-client';
import { generateMigrationsRepo } from './lib/migrations-repo';

const FILES = Number(process.argv[2] ?? 2000);

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
const gc = (globalThis as { gc?: () => void }).gc;

async function main(): Promise<void> {
  await initParser();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlint-bench-'));
  try {
    generateMigrationsRepo(root, FILES);
    gc?.();
    const rssBase = process.memoryUsage().rss;
    let peak = rssBase;
    const sample = () => (peak = Math.max(peak, process.memoryUsage().rss));

    let t0 = process.hrtime.bigint();
    const found = discoverMigrations(root);
    const discoverMs = ms(t0);

    // CPU time next to wall time: on a shared machine the wall time mostly measures the queue for a core.
    const cpu0 = process.cpuUsage();
    t0 = process.hrtime.bigint();
    const ws = new WorkspaceModel();
    let statements = 0;
    for (const f of found.files) {
      ws.setFile(f.path, fs.readFileSync(f.path, 'utf8'), { order: f.order, role: f.role, convention: f.convention, folder: f.folder });
      statements += ws.sqlFile(f.path)?.statements.length ?? 0;
      if (f.order % 50 === 0) sample();
    }
    const parseMs = ms(t0);
    t0 = process.hrtime.bigint();
    const schema = ws.schema();
    const replayMs = ms(t0);
    const buildCpu = process.cpuUsage(cpu0);
    sample();
    gc?.();
    const heap = process.memoryUsage().heapUsed;

    // Edit a migration in the middle: add a column to a table many later files touch.
    const target = found.files[Math.floor(found.files.length / 2)];
    const edited = fs.readFileSync(target.path, 'utf8') + `ALTER TABLE t_0 ADD COLUMN edited_${Date.now()} int;\n`;
    const recheck: number[] = [];
    const replay: number[] = [];
    let dependents = 0;
    const recheckCpu0 = process.cpuUsage();
    for (let run = 0; run < 10; run++) {
      t0 = process.hrtime.bigint();
      ws.setFile(target.path, edited + `-- run ${run}\nSELECT ${run};\n`, { order: target.order, role: target.role });
      ws.sqlFile(target.path);
      const t1 = process.hrtime.bigint();
      ws.schema();
      replay.push(ms(t1));
      dependents = ws.dependents(target.path).length;
      recheck.push(ms(t0));
      sample();
    }
    const recheckCpu = process.cpuUsage(recheckCpu0);
    replay.sort((a, b) => a - b);

    // The common case: editing the newest migration.
    const newest = found.files[found.files.length - 1];
    const newestText = fs.readFileSync(newest.path, 'utf8');
    const recheckLast: number[] = [];
    for (let run = 0; run < 10; run++) {
      t0 = process.hrtime.bigint();
      ws.setFile(newest.path, newestText + `ALTER TABLE t_1 ADD COLUMN late_${run} int;\n`, { order: newest.order, role: newest.role });
      ws.schema();
      ws.dependents(newest.path);
      recheckLast.push(ms(t0));
    }
    recheckLast.sort((a, b) => a - b);
    recheck.sort((a, b) => a - b);
    const stats = ws.stats();
    const indexes = [...schema.tables.values()].reduce((n, t) => n + t.indexes.length, 0);
    const fks = [...schema.tables.values()].reduce((n, t) => n + t.foreignKeys.length, 0);
    console.log(`model bench: ${found.files.length} files, ${statements} statements -> ${schema.tables.size} tables, ${fks} foreign keys, ${indexes} indexes`);
    console.log(`  discover ${discoverMs.toFixed(0)} ms; parse ${parseMs.toFixed(0)} ms; replay ${replayMs.toFixed(0)} ms; initial build ${(discoverMs + parseMs + replayMs).toFixed(0)} ms`);
    console.log(`  CPU time (user+system): initial parse+replay ${((buildCpu.user + buildCpu.system) / 1000).toFixed(0)} ms; re-check after editing a middle file ${((recheckCpu.user + recheckCpu.system) / 10000).toFixed(1)} ms per edit (mean of 10)`);
    console.log(`  peak RSS ${mb(peak)} MB (+${mb(peak - rssBase)} MB over the generator); heap after GC ${gc ? mb(heap) + ' MB' : 'n/a (run with --expose-gc)'}`);
    console.log(`  re-check after editing one file: median ${recheck[5].toFixed(1)} ms (replay ${replay[5].toFixed(1)} ms), max ${recheck[9].toFixed(1)} ms (${dependents} dependent files); file parses ${stats.fileParses}, replay failures ${stats.replayFailures}`);
    console.log(`  re-check after editing the newest migration: median ${recheckLast[5].toFixed(1)} ms, max ${recheckLast[9].toFixed(1)} ms`);
    // "Schema before this file" for rules: the first ask replays from the nearest checkpoint, later asks hit the cache.
    const middle = found.files[Math.floor(found.files.length / 2) + 17];
    t0 = process.hrtime.bigint();
    ws.schemaBefore(middle.path);
    const beforeFirst = ms(t0);
    t0 = process.hrtime.bigint();
    ws.schemaBefore(middle.path, 1);
    const beforeStatement = ms(t0);
    console.log(`  schema before a file: first ask ${beforeFirst.toFixed(1)} ms, before its 2nd statement ${beforeStatement.toFixed(1)} ms`);
    benchProject(root, target);
    await benchServer(root, found.files.map((f) => f.path));
    console.log(`  (load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs)`);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** What the editor and CI do: index the folder through Project, lint the edited file with every rule. */
function benchProject(root: string, target: { path: string }): void {
  let t0 = process.hrtime.bigint();
  const project = new Project(root);
  const files = project.index();
  project.model.schema();
  const indexMs = ms(t0);
  const text = fs.readFileSync(target.path, 'utf8');
  const lint: number[] = [];
  let findings = 0;
  for (let run = 0; run < 10; run++) {
    t0 = process.hrtime.bigint();
    findings = project.lint(target.path, `${text}ALTER TABLE t_3 ALTER COLUMN memo TYPE varchar(${600 + run});\nALTER TABLE t_3 ALTER COLUMN currency SET NOT NULL;\n`, { open: true }).findings.length;
    lint.push(ms(t0));
  }
  lint.sort((a, b) => a - b);
  console.log(`  Project: index ${files.length} files and build ${indexMs.toFixed(0)} ms; re-lint the edited file with all ${project.rules.length} rules: median ${lint[5].toFixed(1)} ms, max ${lint[9].toFixed(1)} ms (${findings} findings)`);
}

function serverMemory(pid: number): { rssMb: number; peakMb: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN) / 1024;
  return { rssMb: kb('VmRSS'), peakMb: kb('VmHWM') };
}

/**
 * The language server as a user runs it on this repository: it indexes every migration, then the
 * user opens files one after another. Its memory (from /proc, the whole process) after indexing and
 * after each batch of opened files shows whether findings and open files pile up.
 */
async function benchServer(root: string, files: string[]): Promise<void> {
  const client = await startServer(pathToFileURL(root).href);
  try {
    const pid = client.process.pid!;
    // The workspace is indexed before open files are checked: the first file's diagnostics wait for it.
    const opened: string[] = [];
    let diagnostics = 0;
    const openOne = async (file: string) => {
      const uri = pathToFileURL(file).href;
      const published = client.diagnostics(uri, () => true, 300_000);
      await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sql', version: 1, text: fs.readFileSync(file, 'utf8') } });
      diagnostics += (await published).length;
      opened.push(uri);
    };
    const line: string[] = [];
    for (const batch of [1, 50, 200]) {
      while (opened.length < batch) await openOne(files[Math.floor((opened.length * files.length) / 200) % files.length]);
      const m = serverMemory(pid);
      line.push(`${batch} open (${diagnostics.toLocaleString('en')} diagnostics) RSS ${m.rssMb.toFixed(0)} MB, peak ${m.peakMb.toFixed(0)} MB`);
    }
    console.log(`  language server over ${files.length} migrations: ${line.join('; ')}`);
  } finally {
    await client.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
