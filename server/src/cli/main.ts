// `ledgerlint check <paths...>`: the same engine as the editor, for CI.
// Exit codes: 0 no finding reaches `error`, 1 at least one does, 2 usage or internal error.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { version } from '../../../package.json';
import { decodeBytes } from '../engine/decode';
import { CATALOGUE_IDS } from '../engine/catalogue';
import { CONFIG_FILE_NAME, parseConfigText, resolveConfig, type ResolvedConfig } from '../engine/config';
import type { Project } from '../engine/project';
import { LineIndex } from '../sql/offsets';
import type { HandleIndex } from '../drizzle/project';
import type { SchemaModel } from '../model/schema';
import type { Finding } from '../engine/types';
import { findCheckableFiles, isTypeScriptPath } from './files';
import { findingsJsonBytes, jsonChunks } from './format-json';
import type { SarifRule } from './format-sarif';
import { formatText } from './format-text';
import { countBySeverity, type FileReport } from './report';
import { openCache, type FileCache, type OpenedCache } from './cache';
import { sqlRuleIds } from './rule-ids';
import { phase } from './phases';
import { printRuleTimes, ruleTimingOn, timedRules } from './rule-timing';
import { allowOptimizingCompiler, TURBOFAN_FROM_FILES } from './v8-tiering';
import { writeReportFile, writeReportTo } from './output';

// Only what every run needs is imported above. The engine, the rules, the parser (a WebAssembly
// module) and the Drizzle front-end (the TypeScript compiler) are required on the first file that
// must be checked: a warm --cache run over unchanged files loads none of them.
function engine(): typeof import('../engine/project') {
  return require('../engine/project');
}
function rules(): typeof import('../rules') {
  return require('../rules');
}
function parser(): typeof import('../sql/parser') {
  return require('../sql/parser');
}
function sqlLinting(): typeof import('./parallel') {
  return require('./parallel');
}

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
  return typeof LEDGERLINT_SARIF_RULES !== 'undefined' ? LEDGERLINT_SARIF_RULES : drizzleProject().ruleDescriptors(rules().RULES);
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

interface ConfigRead {
  /** The file's text, undefined when there is none. */
  text?: string;
  resolved: ResolvedConfig;
}

/** The configuration as Project.setConfigText resolves it, without loading the engine. */
function readConfig(file: string, reports: FileReport[], mustExist: boolean): ConfigRead {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    if (mustExist) throw new UsageError(`Cannot read config file ${file}`);
    return { resolved: resolveConfig() };
  }
  const { config, problems } = parseConfigText(text, new Set([...sqlRuleIds(), ...CATALOGUE_IDS]));
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
  return { text, resolved: resolveConfig(config, {}) };
}

/**
 * A file read back from the cache. Its text, line index and findings are worked out only when
 * the output asks for them: the JSON report prints the cached findings text and counts.
 */
function cachedReport(display: string, absolute: string, cache: FileCache): FileReport {
  const rendered = cache.rendered(absolute);
  let text: string | undefined;
  let lines: LineIndex | undefined;
  let findings: Finding[] | undefined;
  return {
    path: display,
    absolute,
    get text() {
      return (text ??= decodeBytes(fs.readFileSync(absolute)).text);
    },
    get lines() {
      return (lines ??= new LineIndex(this.text));
    },
    get findings() {
      return (findings ??= cache.get(absolute) ?? []);
    },
    // Read when the JSON report reaches this file, so the cached reports are never in memory at once.
    get findingsJson() {
      return rendered?.json();
    },
    counts: rendered?.counts,
  };
}

/** Keeps a checked file's findings, with their JSON text (which the JSON report then reuses). */
function remember(report: FileReport, cache: FileCache | undefined, ok: boolean): void {
  if (!cache || !ok) return;
  const bytes = findingsJsonBytes(report);
  // A copy: the rendered bytes are a view of a buffer the next file reuses.
  report.findingsJson = bytes && Buffer.from(bytes);
  cache.set(report.absolute, report.findings, report.findingsJson);
}

/** A TypeScript file not in the cache (SQL files go through lintSqlFiles, which may use workers). */
function checkTsFile(project: Project, absolute: string, display: string, handles?: HandleIndex, cache?: FileCache, schema?: SchemaModel): FileReport {
  const decoded = decodeBytes(fs.readFileSync(absolute));
  const ts = drizzleLint().lintTypeScriptFile(absolute, decoded.text, { config: project.config, rules: rules().RULES, knownExports: handles?.knownExportsFor(absolute), schema, casing: handles?.casing.state() });
  for (const e of ts.ruleErrors) process.stderr.write(`ledgerlint: rule ${e.ruleId} failed on ${display}: ${e.message}\n`);
  const report: FileReport = { path: display, absolute, lines: ts.lines, text: decoded.text, findings: ts.findings };
  remember(report, cache, ts.ruleErrors.length === 0);
  return report;
}

/**
 * Characters per piece of the JSON report: pieces this small stay in memory V8 and malloc reuse;
 * 1 MB pieces were each fresh memory to map (a page fault cost ~25 us on the 2-core machine measured).
 */
const OUTPUT_CHUNK = 1 << 16;

function* withNewline(chunks: Iterable<string | Uint8Array>): Generator<string | Uint8Array> {
  yield* chunks;
  yield '\n';
}

export async function run(argv: readonly string[], out: (s: string) => void = (s) => process.stdout.write(s)): Promise<number> {
  phase('start-up');
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
  const reports: FileReport[] = [];
  const caches: OpenedCache[] = [];
  try {
    return await checkAndReport(opts, reports, caches, out);
  } finally {
    for (const c of caches) c.close();
  }
}

async function checkAndReport(opts: Options, reports: FileReport[], caches: OpenedCache[], out: (s: string) => void): Promise<number> {
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
      const isDir = stat.isDirectory();
      const root = isDir ? absolute : process.cwd();
      if (isDir && opts.paths.length === 1) sarifRoot = absolute;
      const configPath = opts.config ? path.resolve(opts.config) : path.join(root, CONFIG_FILE_NAME);
      const config = readConfig(configPath, reports, !!opts.config);
      const files = isDir ? findCheckableFiles(absolute, config.resolved.ignore) : [{ absolute, relative: path.relative(process.cwd(), absolute) }];
      phase('files');
      const cache: OpenedCache | undefined = opts.cache ? openCache(opts.cacheLocation, root, { config: config.resolved }, files) : undefined;
      if (cache) caches.push(cache);
      const tsFiles = files.filter((f) => isTypeScriptPath(f.absolute));
      const sqlFiles = files.filter((f) => !isTypeScriptPath(f.absolute)).map((f) => f.absolute);
      const sqlTodo = sqlFiles.filter((f) => !cache?.sql.has(f));
      const tsTodo = tsFiles.filter((f) => !cache?.ts.has(f.absolute));
      if (sqlTodo.length + tsTodo.length >= TURBOFAN_FROM_FILES) allowOptimizingCompiler();
      phase('cache read');
      let project: Project | undefined;
      const projectNow = (): Project => {
        if (!project) {
          // One-shot: each file is linted once, so none of the editor's caches for the next lint are kept.
          project = new (engine().Project)(root, ruleTimingOn ? timedRules(rules().RULES) : rules().RULES, { oneShot: true });
          if (config.text !== undefined) project.setConfigText(config.text);
          phase('engine load');
        }
        return project;
      };
      // A directory is a workspace: every file is checked against the schema of all its migrations and
      // Drizzle schemas, as in the editor. TypeScript files are analysed first (once) when anything is to
      // be checked: their pgTable calls join the model the SQL files see, and the TypeScript files learn
      // the database handles modules export (`import { db } from './db'`).
      let handles: HandleIndex | undefined;
      let schema: SchemaModel | undefined;
      if (tsFiles.length && (tsTodo.length || (isDir && sqlTodo.length))) {
        await parser().initParser();
        const project = projectNow();
        if (isDir) project.index();
        handles = drizzleProject().indexHandles(tsFiles.map((f) => ({ path: f.absolute, text: decodeBytes(fs.readFileSync(f.absolute)).text })), project.model);
      }
      const sqlOptions = { workspace: isDir, indexed: !!handles && isDir, drizzle: !!handles };
      const sql = new Map(sqlTodo.length ? (await sqlLinting().lintSqlFiles(projectNow(), configPath, sqlTodo, sqlOptions)).map((r) => [r.absolute, r]) : []);
      if (tsTodo.length) schema = projectNow().model.schema();
      phase('ts, reports');
      for (const f of files) {
        const display = (isDir && opts.paths.length === 1 ? f.relative : path.relative(sarifRoot, f.absolute)).split(path.sep).join('/');
        const r = sql.get(f.absolute);
        if (r) {
          for (const e of r.ruleErrors) process.stderr.write(`ledgerlint: rule ${e.ruleId} failed on ${display}: ${e.message}\n`);
          const report: FileReport = { path: display, absolute: f.absolute, lines: r.lines, text: r.text, findings: r.findings };
          remember(report, cache?.sql, r.ruleErrors.length === 0);
          reports.push(report);
        } else if (!isTypeScriptPath(f.absolute)) reports.push(cachedReport(display, f.absolute, cache!.sql));
        else if (cache?.ts.has(f.absolute)) reports.push(cachedReport(display, f.absolute, cache.ts));
        else reports.push(checkTsFile(projectNow(), f.absolute, display, handles, cache?.ts, schema));
      }
      cache?.save();
      phase('cache write');
    }
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`ledgerlint: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const chunks: Iterable<string | Uint8Array> =
    opts.format === 'json'
      ? withNewline(jsonChunks(reports, version, OUTPUT_CHUNK))
      : [opts.format === 'sarif' ? (require('./format-sarif') as typeof import('./format-sarif')).formatSarif(reports, sarifRules(), version, sarifRoot) + '\n' : formatText(reports, { color: opts.color, codeFrames: opts.codeFrames })];
  if (opts.output) writeReportFile(opts.output, chunks);
  else writeReportTo(out, chunks);
  phase('output');
  printRuleTimes();
  const { error, warning } = countBySeverity(reports);
  return error > 0 || (opts.maxWarnings !== undefined && warning > opts.maxWarnings) ? 1 : 0;
}
