// Linting a large folder across cores. Each worker thread loads the parser once, replays the
// whole workspace into its own model (cheap next to linting: about a fifth of the work on generated
// migrations) and lints its share of the files, so every file is checked against the same
// whole-workspace schema as in a single-threaded run and the findings are identical.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { decodeBytes } from '../engine/decode';
import { invalidUtf8Finding, type Project } from '../engine/project';
import type { RuleError } from '../engine/linter';
import type { Finding } from '../engine/types';
import { LineIndex } from '../sql/offsets';
import { initParser } from '../sql/parser';
import { RULES } from '../rules';
import { phase } from './phases';

/** Below this many files, starting workers (and replaying the workspace in each) costs more than it saves. */
export const PARALLEL_MIN_FILES = 200;
/**
 * Each worker replays the whole workspace (about 40% of a single-threaded run), so two workers
 * barely halve the rest. On an idle 2-core machine (session 18, identical JSON), 1,000 files took
 * 2.17 s wall / 3.8 s CPU with 2 workers against 1.72 / 2.0 s in one thread; on a busy machine the
 * gap widens (load 15-22: 13.4 vs 5.5 s wall). Hence 4 cores at least.
 */
export const PARALLEL_MIN_CORES = 4;

export interface SqlResult {
  absolute: string;
  findings: Finding[];
  ruleErrors: RuleError[];
}

export interface WorkerJob {
  root: string;
  /** ledgerlint.json in use (it may not exist), so workers resolve the same configuration. */
  configPath: string;
  files: string[];
}

/** One SQL file through the project (whose model holds the whole workspace), as the CLI reports it. */
export function lintSqlPath(project: Project, absolute: string): SqlReport {
  // The workspace index read the file moments ago: its text is reused instead of reading and
  // decoding it again, unless it holds U+FFFD, which may stand for invalid UTF-8 to report.
  const indexed = project.model.sqlFile(absolute)?.text;
  const decoded = indexed !== undefined && !indexed.includes('\uFFFD') ? { text: indexed, invalidUtf8At: undefined } : decodeBytes(fs.readFileSync(absolute));
  const result = project.lint(absolute, decoded.text);
  const findings = decoded.invalidUtf8At !== undefined ? [invalidUtf8Finding(RULES, decoded.invalidUtf8At), ...result.findings] : result.findings;
  return { absolute, findings, ruleErrors: result.ruleErrors, text: decoded.text, lines: result.file.lines };
}

/** How many workers for `files` files: LEDGERLINT_WORKERS overrides; 0 or 1 means single-threaded. */
export function workerCount(files: number): number {
  const env = process.env.LEDGERLINT_WORKERS;
  if (env !== undefined && env !== '') {
    const n = Number(env);
    return Number.isInteger(n) && n > 1 ? Math.min(n, files) : 0;
  }
  if (files < PARALLEL_MIN_FILES) return 0;
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return cores >= PARALLEL_MIN_CORES ? Math.min(cores, 8, Math.ceil(files / 100)) : 0;
}

// Loading node:worker_threads costs ~8 ms of CPU: only runs that start workers (4+ cores) pay it.
function workerThreads(): typeof import('node:worker_threads') {
  return require('node:worker_threads');
}

/** The worker script: beside the bundle (dist/cli-worker.js) or beside this module when run from out/. */
function workerScript(): string {
  const candidates = [path.join(__dirname, 'cli-worker.js'), path.join(__dirname, 'worker.js')];
  const found = candidates.find((c) => fs.existsSync(c));
  if (!found) throw new Error(`cannot find the CLI worker script (looked for ${candidates.join(', ')})`);
  return found;
}

/**
 * Lints `files` in `workers` threads; the results come back in the order of `files`. Files are
 * dealt round-robin so that large and small migrations (often clustered by date) spread evenly.
 */
export async function lintInWorkers(job: WorkerJob, workers: number): Promise<SqlResult[]> {
  const script = workerScript();
  const shares: string[][] = Array.from({ length: workers }, () => []);
  job.files.forEach((f, i) => shares[i % workers].push(f));
  const parts = await Promise.all(
    shares.map(
      (files) =>
        new Promise<SqlResult[]>((resolve, reject) => {
          const worker = new (workerThreads().Worker)(script, { workerData: { ...job, files } satisfies WorkerJob });
          let done = false;
          worker.once('message', (results: SqlResult[]) => {
            done = true;
            resolve(results);
          });
          worker.once('error', reject);
          worker.once('exit', (code) => {
            if (!done) reject(new Error(`CLI worker exited with code ${code} before reporting`));
          });
        }),
    ),
  );
  const byPath = new Map<string, SqlResult>();
  for (const part of parts) for (const r of part) byPath.set(r.absolute, r);
  return job.files.map((f) => byPath.get(f)!);
}

export interface SqlReport extends SqlResult {
  text: string;
  lines: LineIndex;
}

export interface SqlLintOptions {
  /** A directory run: the files are linted against the schema of every file below the root. */
  workspace: boolean;
  /** The caller has already read the root into the model (with the Drizzle schemas). */
  indexed?: boolean;
  /** The model holds Drizzle tables: no worker threads, which replay the SQL files only. */
  drizzle?: boolean;
}

/**
 * SQL files of a workspace root (those the cache did not have), linted against the whole-workspace
 * schema, in worker threads for large folders. Results in the order of `files`.
 */
export async function lintSqlFiles(project: Project, configPath: string, files: readonly string[], options: SqlLintOptions): Promise<SqlReport[]> {
  const { workspace } = options;
  const workers = workspace && !options.drizzle ? workerCount(files.length) : 0;
  if (workers > 1 && project.root) {
    return (await lintInWorkers({ root: project.root, configPath, files: [...files] }, workers)).map((r) => {
      const text = decodeBytes(fs.readFileSync(r.absolute)).text;
      return { ...r, text, lines: new LineIndex(text) };
    });
  }
  if (files.length === 0) return [];
  // The parser's WebAssembly is compiled by V8's background threads while this thread reads the
  // workspace's files: libpg-query's loader reaches WebAssembly.instantiate a few promise steps
  // after it starts, so they run (setImmediate comes after them) before the files are read.
  const parserReady = initParser();
  // Handled at once: a parser that fails to load (no libpg-query.wasm) must fail the run with exit
  // code 2 when awaited below, not end the process as an unhandled rejection while files are read.
  parserReady.catch(() => undefined);
  await new Promise<void>((resolve) => setImmediate(resolve));
  if (workspace && !options.indexed) project.index();
  phase('index');
  await parserReady;
  phase('parser load');
  // Built here rather than by the first file's lint only so that the timing shows it apart.
  if (workspace) project.model.schema();
  phase('schema');
  // Each file is linted once: its parse (statements, tokens, node indexes, decls) goes as soon as
  // it is, instead of staying for an edit that never comes. The built schema keeps what it needs.
  const linted = new Set<string>();
  project.model.retainParses((p) => !linted.has(p));
  const reports = files.map((file) => {
    const report = lintSqlPath(project, file);
    linted.add(file);
    project.model.release(file);
    return report;
  });
  phase('lint files');
  return reports;
}
