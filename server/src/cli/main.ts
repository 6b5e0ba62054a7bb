// `ledgerlint check <paths...>`: the same engine as the editor, for CI.
// Exit codes: 0 no finding reaches `error`, 1 at least one does, 2 usage or internal error.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { version } from '../../../package.json';
import { decodeBytes } from '../engine/decode';
import { CONFIG_FILE_NAME, Project } from '../engine/project';
import { initParser } from '../sql/parser';
import { LineIndex } from '../sql/offsets';
import { RULES } from '../rules';
import type { HandleIndex } from '../drizzle/project';
import type { SchemaModel } from '../model/schema';
import { findCheckableFiles, isTypeScriptPath } from './files';
import { jsonChunks } from './format-json';
import { formatSarif, type SarifRule } from './format-sarif';
import { formatText } from './format-text';
import type { FileReport } from './report';
import { openCache, type FileCache } from './cache';
import { lintSqlFiles } from './parallel';

const USAGE = `Usage: ledgerlint check [paths...] [options]

Checks PostgreSQL files for mistakes that cost fintech teams money.
A directory is a workspace root: .sql files below it, and .ts/.tsx/.mts/.cts files that
import drizzle-orm or pg, are checked (node_modules, .git and .gitignore'd paths are
skipped) and its ledgerlint.json is read.

Options:
  --format <text|json|sarif>  output format (default: text)
  --output <file>             write the report to a file instead of stdout
  --config <file>             use this ledgerlint.json instead of the root's
  --code-frames               show the source line under each finding (text format)
  --no-color                  plain text output
  --max-warnings <n>          also exit 1 when there are more than n warnings
  --cache                     reuse the findings of unchanged files from the last run
  --cache-location <path>     cache file or directory (default: .ledgerlintcache in the root)
  -h, --help                  show this help
  -v, --version               show the version

Exit codes: 0 no errors, 1 errors found (or too many warnings), 2 usage or internal error.
`;

interface Options {
  paths: string[];
  format: 'text' | 'json' | 'sarif';
  output?: string;
  config?: string;
  color: boolean;
  codeFrames: boolean;
  maxWarnings?: number;
  cache: boolean;
  cacheLocation?: string;
}

class UsageError extends Error {}

// The Drizzle front-end pulls in the TypeScript compiler (megabytes of JavaScript to load): only
// runs that have TypeScript files load it (and SARIF from out/, where no built-in rule list exists).
function drizzleProject(): typeof import('../drizzle/project') {
  return require('../drizzle/project');
}

// Set by scripts/build.mjs in the CLI bundle: ruleDescriptors() as of the build (SARIF's fields only),
// so SARIF for a SQL-only folder does not load the TypeScript compiler for the Drizzle checks' metas.
declare const LEDGERLINT_SARIF_RULES: readonly SarifRule[] | undefined;

function sarifRules(): readonly SarifRule[] {
  return typeof LEDGERLINT_SARIF_RULES !== 'undefined' ? LEDGERLINT_SARIF_RULES : drizzleProject().ruleDescriptors(RULES);
}

function drizzleLint(): typeof import('../drizzle/lint') {
  return require('../drizzle/lint');
}

export function parseArgs(argv: readonly string[], isTty: boolean): Options | 'help' | 'version' {
  const args = [...argv];
  const opts: Options = { paths: [], format: 'text', color: isTty && !process.env.NO_COLOR, codeFrames: false, cache: false };
  if (args[0] === 'check') args.shift();
  while (args.length) {
    const a = args.shift()!;
    const value = () => {
      const v = args.shift();
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === '-h' || a === '--help') return 'help';
    if (a === '-v' || a === '--version') return 'version';
    if (a === '--format' || a === '-f') {
      const f = value();
      if (f !== 'text' && f !== 'json' && f !== 'sarif') throw new UsageError(`Unknown format "${f}" (text, json or sarif)`);
      opts.format = f;
    } else if (a.startsWith('--format=')) {
      args.unshift('--format', a.slice('--format='.length));
    } else if (a === '--output' || a === '-o') opts.output = value();
    else if (a === '--config' || a === '-c') opts.config = value();
    else if (a === '--no-color') opts.color = false;
    else if (a === '--color') opts.color = true;
    else if (a === '--code-frames') opts.codeFrames = true;
    else if (a === '--cache') opts.cache = true;
    else if (a === '--cache-location') opts.cacheLocation = value();
    else if (a === '--max-warnings') {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 0) throw new UsageError('--max-warnings needs a whole number');
      opts.maxWarnings = n;
    } else if (a.startsWith('-')) throw new UsageError(`Unknown option ${a}`);
    else opts.paths.push(a);
  }
  if (opts.paths.length === 0) opts.paths.push('.');
  return opts;
}

function readConfig(project: Project, file: string, reports: FileReport[], mustExist: boolean): void {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    if (mustExist) throw new UsageError(`Cannot read config file ${file}`);
    return;
  }
  const problems = project.setConfigText(text);
  if (problems.length) {
    const lines = new LineIndex(text);
    reports.push({
      path: path.relative(process.cwd(), file) || file,
      absolute: file,
      lines,
      text,
      findings: problems.map((p) => ({ ruleId: 'config', messageId: 'config', message: p.message, severity: 'error' as const, span: { start: p.offset, end: p.offset + 1 } })),
    });
  }
}

/** A TypeScript file (SQL files go through lintSqlFiles, which may use workers). */
function checkTsFile(project: Project, absolute: string, display: string, handles?: HandleIndex, cache?: FileCache, schema?: SchemaModel): FileReport {
  const decoded = decodeBytes(fs.readFileSync(absolute));
  const cached = cache?.get(absolute);
  if (cached) return { path: display, absolute, lines: new LineIndex(decoded.text), text: decoded.text, findings: cached };
  const ts = drizzleLint().lintTypeScriptFile(absolute, decoded.text, { config: project.config, rules: RULES, knownExports: handles?.knownExportsFor(absolute), schema, casing: handles?.casing.state() });
  for (const e of ts.ruleErrors) process.stderr.write(`ledgerlint: rule ${e.ruleId} failed on ${display}: ${e.message}\n`);
  if (ts.ruleErrors.length === 0) cache?.set(absolute, ts.findings);
  return { path: display, absolute, lines: ts.lines, text: decoded.text, findings: ts.findings };
}

function* withNewline(chunks: Iterable<string>): Generator<string> {
  yield* chunks;
  yield '\n';
}

/** Writes the report piece by piece (a large JSON report is never one string; see jsonChunks). */
function writeChunks(file: string, chunks: Iterable<string>): void {
  const fd = fs.openSync(file, 'w');
  try {
    for (const chunk of chunks) {
      const bytes = Buffer.from(chunk, 'utf8');
      for (let done = 0; done < bytes.length; ) done += fs.writeSync(fd, bytes, done);
    }
  } finally {
    fs.closeSync(fd);
  }
}

export async function run(argv: readonly string[], out: (s: string) => void = (s) => process.stdout.write(s)): Promise<number> {
  let opts: ReturnType<typeof parseArgs>;
  try {
    opts = parseArgs(argv, !!process.stdout.isTTY);
  } catch (err) {
    process.stderr.write(`ledgerlint: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (opts === 'help') {
    out(USAGE);
    return 0;
  }
  if (opts === 'version') {
    out(`${version}\n`);
    return 0;
  }
  // The parser (a WebAssembly module) loads only when some file needs checking: a warm --cache run
  // over unchanged files never loads it. lintSqlFiles loads it for SQL.
  const reports: FileReport[] = [];
  let sarifRoot = process.cwd();
  try {
    for (const p of opts.paths) {
      const absolute = path.resolve(p);
      let stat: fs.Stats;
      try {
        stat = fs.statSync(absolute);
      } catch {
        throw new UsageError(`No such file or directory: ${p}`);
      }
      const root = stat.isDirectory() ? absolute : process.cwd();
      if (stat.isDirectory() && opts.paths.length === 1) sarifRoot = absolute;
      const project = new Project(root);
      const configPath = opts.config ? path.resolve(opts.config) : path.join(root, CONFIG_FILE_NAME);
      readConfig(project, configPath, reports, !!opts.config);
      const files = stat.isDirectory() ? findCheckableFiles(absolute, project.config.ignore) : [{ absolute, relative: path.relative(process.cwd(), absolute) }];
      const tsFiles = files.filter((f) => isTypeScriptPath(f.absolute));
      const cache = opts.cache ? openCache(opts.cacheLocation, root, project, files) : undefined;
      // A directory is a workspace: SQL files are linted against the schema of all its migrations.
      const sqlFiles = files.filter((f) => !isTypeScriptPath(f.absolute)).map((f) => f.absolute);
      const sql = new Map((await lintSqlFiles(project, configPath, sqlFiles, stat.isDirectory(), cache?.sql)).map((r) => [r.absolute, r]));
      // TypeScript files see the SQL files' workspace model (the migrations' schema) with every checked
      // file's pgTable calls added, and learn the database handles modules export (`import { db } from './db'`).
      // The SQL files were linted without the Drizzle tables, as worker threads (which replay SQL only) do.
      let handles: HandleIndex | undefined;
      let schema: SchemaModel | undefined;
      // Handles and the schema only serve files that are checked now, not those read from the cache.
      if (tsFiles.some((f) => !cache?.ts.has(f.absolute))) {
        await initParser();
        if (stat.isDirectory() && project.model.files().length === 0) project.index();
        handles = drizzleProject().indexHandles(tsFiles.map((f) => ({ path: f.absolute, text: decodeBytes(fs.readFileSync(f.absolute)).text })), project.model);
        schema = project.model.schema();
      }
      for (const f of files) {
        const display = (stat.isDirectory() && opts.paths.length === 1 ? f.relative : path.relative(sarifRoot, f.absolute)).split(path.sep).join('/');
        const r = sql.get(f.absolute);
        for (const e of r?.ruleErrors ?? []) process.stderr.write(`ledgerlint: rule ${e.ruleId} failed on ${display}: ${e.message}\n`);
        reports.push(r ? { path: display, absolute: f.absolute, lines: r.lines, text: r.text, findings: r.findings } : checkTsFile(project, f.absolute, display, handles, cache?.ts, schema));
      }
      cache?.save();
    }
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`ledgerlint: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const chunks: Iterable<string> =
    opts.format === 'json'
      ? withNewline(jsonChunks(reports, version))
      : [opts.format === 'sarif' ? formatSarif(reports, sarifRules(), version, sarifRoot) + '\n' : formatText(reports, { color: opts.color, codeFrames: opts.codeFrames })];
  if (opts.output) writeChunks(opts.output, chunks);
  else for (const chunk of chunks) out(chunk);
  const errors = reports.reduce((n, r) => n + r.findings.filter((f) => f.severity === 'error').length, 0);
  const warnings = reports.reduce((n, r) => n + r.findings.filter((f) => f.severity === 'warning').length, 0);
  return errors > 0 || (opts.maxWarnings !== undefined && warnings > opts.maxWarnings) ? 1 : 0;
}
