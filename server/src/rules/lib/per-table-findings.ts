// Schema-wide rules judge each table the file declares at the end of the file; after a DDL edit
// in a 10,000-statement file most of those tables are the same objects as before (checkpoints
// keep tables an edit did not change: model/checkpoint-patch.ts), and judging them all again was
// ~40% of a DDL keystroke. Here a table that is the same object, reads the same other tables, and
// is judged under the same file-wide facts (path, role, configuration, other files, the file's
// DDL not tied to tables, index names) gets what it was reported last time, anchored to the
// statements the reports lie in; only the tables the edit changed are judged again.
import type { FileContext } from '../../engine/rule';
import type { Finding, Fix, Report } from '../../engine/types';
import { shiftFinding } from '../../engine/relative-findings';
import { tableTokenOf, type TableTokenParts } from '../../engine/file-rule-cache';
import type { TableModel } from '../../model/schema';
import type { Statement } from '../../sql/document';
import { segmentIndexAt } from '../../sql/statement';
import { takenIndexNames } from './schema-indexes';

/**
 * One report as last given, for its statement at offset `base`. The report object itself is kept,
 * not a copy: its span and fixes are the ones its finding holds, so keeping it costs no more than
 * this entry (two copies per report were ~15 MB more heap on the 10k-statement bench, and its
 * peak RSS grows with the heap kept). Reports are never changed: a moved one is replaced.
 */
interface Anchored {
  index: number;
  entry: object;
  /** Text after the statement's end that the fixes reach into (a `;`, a line break): must be unchanged to reuse. */
  tail: string;
  /** Its length, which may pass the end of the file: a fix after a last statement without `;` pins the `;` not typed yet. */
  tailLength: number;
  base: number;
  report: Report;
  /** Where `report` was made for: moved only when reported again as a report. */
  reportBase: number;
  /**
   * The finding the linter made of `report` (context.findings), at `base`: handed on as it is, or
   * moved, rather than made and formatted again; a finding unmoved is the same object as last lint.
   */
  finding?: Finding;
}

interface Judged {
  /** Other tables the judgement read (a partitioned parent), as looked up then. */
  reads: readonly (TableModel | undefined)[];
  reports: readonly Anchored[];
}

const NO_READS: readonly (TableModel | undefined)[] = [];
/** Most tables are judged without a report and read no other table: one shared entry for all of them. */
const NOTHING: Judged = { reads: NO_READS, reports: [] };

interface Memo {
  base: string;
  global: string;
  taken?: ReadonlySet<string>;
  judged: WeakMap<TableModel, Judged>;
  byName?: Map<string, Judged>;
}

/**
 * Per rule and file path, the memos of the last few sets of file-wide facts (two projects may lint
 * the same path: a test's fresh project, a second workspace folder); every entry of a memo holds
 * for its facts.
 */
const memos = new Map<string, Memo[]>();
const MEMOS_PER_PATH = 3;

/** How often a table's reports were reused or judged anew since the process started (tests, benches). */
export const perTableStats = { reused: 0, judged: 0 };

/**
 * `reuse`: on since its memo keeps the reports given (no copies) and checkpoint patching no longer
 * refuses a table equal but for a span elsewhere (which made most tables new objects). lint.bench
 * 10k, DDL edits, alternating at load 10-13: CPU median/p95 301-336 / 723-734 ms and peak RSS
 * 588-667 MB with it, 350-457 / 750-1,077 ms and 628-664 MB without. `minStatements`: shorter files
 * are judged whole (quick, and a one-shot CLI run would only keep reports it never reads); tests
 * lower it. `byName` is a deliberately broken shortcut for tests: tables are recognised by name,
 * so a changed table keeps its old reports.
 */
export const perTablePolicy = { reuse: true, minStatements: 256, byName: false };

export interface JudgeOptions<T> {
  /** The table an item is about (items may carry more, like the span to report on). */
  tableOf: (item: T) => TableModel;
  /** The other tables a judgement reads besides the item's table, looked up in the current schema. */
  reads?: (table: TableModel) => readonly (TableModel | undefined)[];
  /** The judgement names new indexes (freshIndexName): the schema's index names are a file-wide fact. */
  indexNames?: boolean;
  /** False where reports depend on more than the schema (Drizzle declarations' edits): always judged. */
  reusable?: boolean;
}

/**
 * Calls `judge` for each item whose table changed since the last lint of this file by this rule,
 * and reports again what the others were reported last time; `judge` reports through the function
 * it is given. Reports are kept only when each lies in one statement of the file, with its fixes'
 * edits between that statement and the next, and no fix creates files.
 */
export function judgeTables<T>(context: FileContext, items: Iterable<T>, options: JudgeOptions<T>, judge: (item: T, report: (r: Report) => void) => void): void {
  const reuse = options.reusable !== false && perTablePolicy.reuse && context.file.statements.length >= perTablePolicy.minStatements;
  const memo = reuse ? memoFor(context, options.indexNames === true) : undefined;
  for (const item of items) {
    const table = options.tableOf(item);
    const reads = options.reads?.(table) ?? NO_READS;
    const last = perTablePolicy.byName ? memo?.byName?.get(table.name) : memo?.judged.get(table);
    if (last && sameReads(last.reads, reads) && reportAgain(context, last.reports)) {
      perTableStats.reused++;
      continue;
    }
    perTableStats.judged++;
    const made: Report[] = [];
    const findings: Finding[] = [];
    const reuser = memo && context.findings;
    judge(item, (r) => {
      made.push(r);
      if (reuser) findings.push(reuser.report(r));
      else context.report(r);
    });
    if (!memo) continue;
    const anchored = anchor(context, made, reuser ? findings : undefined);
    if (anchored) memo.judged.set(table, anchored.length === 0 && reads.length === 0 ? NOTHING : { reads, reports: anchored });
    else memo.judged.delete(table);
    if (perTablePolicy.byName) (memo.byName ??= new Map()).set(table.name, { reads, reports: anchored ?? [] });
  }
}

function memoFor(context: FileContext, indexNames: boolean): Memo | undefined {
  const parts = tableTokenOf(context.schema, context.file.path);
  if (!parts) return undefined;
  const key = `${context.ruleId}\u0000${context.file.path}`;
  const taken = indexNames ? takenIndexNames(context.schema) : undefined;
  let list = memos.get(key);
  if (!list) memos.set(key, (list = []));
  const at = list.findIndex((m) => sameFacts(m, parts, taken));
  // The memo used last comes first, so another project's lints do not push it out.
  const memo = at >= 0 ? list.splice(at, 1)[0] : { base: parts.base, global: parts.global, taken, judged: new WeakMap<TableModel, Judged>() };
  memo.taken = taken;
  list.unshift(memo);
  list.length = Math.min(list.length, MEMOS_PER_PATH);
  return memo;
}

function sameFacts(memo: Memo, parts: TableTokenParts, taken: ReadonlySet<string> | undefined): boolean {
  if (memo.base !== parts.base || memo.global !== parts.global) return false;
  if (memo.taken === taken) return true;
  if (!memo.taken || !taken || memo.taken.size !== taken.size) return false;
  for (const name of taken) if (!memo.taken.has(name)) return false;
  return true;
}

function sameReads(a: readonly (TableModel | undefined)[], b: readonly (TableModel | undefined)[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Reports `kept` at their statements' current offsets; false (nothing reported) when one of those statements changed. */
function reportAgain(context: FileContext, kept: readonly Anchored[]): boolean {
  const { statements } = context.file;
  const text = context.file.text;
  for (const k of kept) {
    const stmt = statements[k.index];
    if (!stmt || stmt.entry !== k.entry || (k.tailLength && !sameTail(text, stmt.segment.end, k))) return false;
  }
  const reuser = context.findings;
  for (const k of kept) {
    const base = statements[k.index].segment.start;
    if (k.finding && reuser) {
      // Moved as the linter moves kept findings (the language server is told, and reuses the diagnostic).
      if (k.base !== base) k.finding = shiftFinding(k.finding, base - k.base);
      k.base = base;
      reuser.again(k.finding);
      continue;
    }
    if (k.reportBase !== base) {
      k.report = shiftReport(k.report, base - k.reportBase);
      k.reportBase = base;
    }
    // Made again: the kept finding (if any) is no longer the latest one.
    k.finding = undefined;
    context.report(k.report);
  }
  return true;
}

/** The text after `end` is `k.tail` (no copy of it: ~8,800 reports are checked on a DDL edit of a 10,000-statement file). */
function sameTail(text: string, end: number, k: Anchored): boolean {
  // A tail cut short by the end of the file must still be cut short.
  return Math.min(k.tailLength, text.length - end) === k.tail.length && text.startsWith(k.tail, end);
}

/** `reports` tied to their statements; undefined when one cannot be tied to a single statement. */
function anchor(context: FileContext, reports: readonly Report[], findings: readonly Finding[] | undefined): Anchored[] | undefined {
  const out: Anchored[] = [];
  const { statements } = context.file;
  for (let i = 0; i < reports.length; i++) {
    const r = reports[i];
    const stmt = statements[segmentIndexAt(statements, r.span.start)];
    if (!stmt || r.span.end > stmt.segment.end) return undefined;
    const limit = stmt.index + 1 < statements.length ? statements[stmt.index + 1].segment.start : context.file.text.length;
    let reach = stmt.segment.end;
    for (const fix of r.fixes ?? []) {
      if (fix.newFiles?.length) return undefined;
      for (const e of fix.edits) {
        if (e.start < stmt.segment.start || e.end > limit) return undefined;
        reach = Math.max(reach, e.end);
      }
    }
    // A fix written for a statement without its `;` must not outlive the `;` being typed.
    if (r.fixes?.length) reach = Math.max(reach, stmt.segment.end + 1);
    const tail = context.file.text.slice(stmt.segment.end, reach);
    out.push({ index: stmt.index, entry: stmt.entry, tail, tailLength: reach - stmt.segment.end, base: stmt.segment.start, report: r, reportBase: stmt.segment.start, finding: findings?.[i] });
  }
  return out;
}

function shiftReport(r: Report, by: number): Report {
  const fixes = r.fixes?.map((f): Fix => ({ ...f, edits: f.edits.map((e) => ({ ...e, start: e.start + by, end: e.end + by })) }));
  return { ...r, span: { start: r.span.start + by, end: r.span.end + by }, fixes };
}
