/**
 * Builds the workspace model of a generated repository of 2,000 drizzle-kit style migrations
 * (tables with foreign keys, indexes, column changes, constraints, RLS, grants) and reports:
 * discovery time, initial build time (parse + replay), peak RSS, heap after GC, and the time
 * to re-check after editing one migration (re-parse that file, replay all, find dependents).
 * Run: npx tsc -p . && node --expose-gc out/bench/model.bench.js [files]
 * `--edit-old` measures only a DDL edit to the middle migration in an editor's project (the other
 * files dormant: model/file-entry.ts), CPU per edit; to compare builds, copy this compiled file into
 * the other build's out/bench/ and run both alternately.
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

const FILES = Number(process.argv.slice(2).find((a) => !a.startsWith('--')) ?? 2000);

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
const gc = (globalThis as { gc?: () => void }).gc;

async function main(): Promise<void> {
  await initParser();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlint-bench-'));
  try {
    generateMigrationsRepo(root, FILES);
    if (process.argv.includes('--edit-old')) return editOld(root);
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

const cpuMs = (since: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
};

/**
 * An editor with the middle migration of the repository open, the others dormant: DDL edits to
 * it (a column added to a table it names, then to t_0, which many later files reference), each
 * re-linted with every rule and its dependents listed, as the server does. CPU per edit, and the
 * files replayed and parsed again per edit.
 */
function editOld(root: string): void {
  const project = new Project(root);
  const files = project.index();
  project.forEditor();
  project.model.schema();
  const target = files[Math.floor(files.length / 2)];
  const text = fs.readFileSync(target, 'utf8');
  const table = /(?:CREATE TABLE|ALTER TABLE|ON) (t_\d+)/.exec(text)?.[1] ?? 't_1';
  project.lint(target, text, { open: true });
  gc?.();
  const heap = process.memoryUsage().heapUsed;
  for (const [label, ddl] of [
    [`a column added to ${table}, which the file names`, (run: number) => `ALTER TABLE ${table} ADD COLUMN edit_${run} int;\n`],
    ['a column added to t_0', (run: number) => `ALTER TABLE t_0 ADD COLUMN edit_${run} int;\n`],
  ] as const) {
    const cpu: number[] = [];
    const s0 = project.model.stats();
    for (let run = 0; run < 12; run++) {
      const c0 = process.cpuUsage();
      project.lint(target, text + ddl(run), { open: true });
      project.dependents(target);
      cpu.push(cpuMs(c0));
    }
    const s1 = project.model.stats();
    cpu.sort((a, b) => a - b);
    console.log(`  DDL edit in migration ${files.indexOf(target) + 1} of ${files.length} (${label}): CPU per edit median ${cpu[6].toFixed(0)} ms, min ${cpu[0].toFixed(0)}, max ${cpu[11].toFixed(0)}; per edit ${((s1.filesReplayed - s0.filesReplayed) / 12).toFixed(0)} files replayed, ${((s1.fileParses - s0.fileParses) / 12).toFixed(0)} parsed again`);
  }
  gc?.();
  console.log(`  heap after GC ${mb(heap)} MB before the edits, ${mb(process.memoryUsage().heapUsed)} MB after (load average ${os.loadavg()[0].toFixed(1)})`);
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
