// After a DDL edit the whole-file cached rules (whole-file-cache.ts) run again: their token is new.
// For a rule declaring `byStatement` (what it reports on a statement follows from that statement,
// the tables it names and the file's control statements), the findings of the last lint are kept
// for every statement whose text and index are the same and that names no table the edit changed
// (tokenHoldsFor, as for `cache: 'statement'` rules); the rule is told which statements those are
// (FileContext.keeps) and what it reports on them is dropped unformatted. A DDL keystroke in a
// 10,000-statement file then formats and regroups the findings of the few statements naming the
// edited table instead of all of them. What every whole-file rule kept last is remembered here too:
// a group made again equal to the last one is that one (whole-file-cache.ts keepWholeFile).
import type { ParsedEntry, SqlFile, Statement } from '../sql/document';
import { segmentIndexAt } from '../sql/statement';
import { tokenHoldsFor, type FileRuleToken, type KeptNames } from './file-rule-cache';
import type { RuleDefinition } from './rule';
import type { Finding, Report } from './types';
import { controlKey, sameTail, type WholeFileGroup, type WholeFileFindings } from './whole-file-cache';

/** A `cache: 'file'` rule that declares `byStatement`. */
export function isKeptByStatement(rule: RuleDefinition): boolean {
  return rule.scope === 'file' && rule.cache === 'file' && rule.byStatement === true;
}

/** What a rule's findings kept under a token were made for. */
interface LastKept {
  control: string;
  /**
   * The ids of the file's statement entries then, by index: numbers, not the entries, since a
   * token outliving its document (the last pair compared in file-rule-cache.ts) would keep them.
   */
  entries: Uint32Array;
  groups: WholeFileFindings;
}

/** Per token, what each whole-file rule kept under it. Weak: dropped with the token (a closed document's). */
const keptUnder = new WeakMap<FileRuleToken, Map<string, LastKept>>();

/**
 * Per file path and rule, the tokens its findings were kept under last, one per workspace (two projects may
 * lint the same path: a test's fresh project, a second workspace folder), most recent first. A
 * workspace is told by its tokens' base (path, role, configuration and the generation of the other
 * files, which only that workspace's builds keep). Weak: what a token no longer in use kept goes.
 */
const lastTokens = new Map<string, Map<string, Array<WeakRef<FileRuleToken>>>>();
const TOKENS_PER_PATH = 3;

/** Per parse entry (its text): an id, and the names of the tables it reads (see tokenHoldsFor). */
const entryFacts = new WeakMap<ParsedEntry, { id: number; names: KeptNames }>();
let nextEntryId = 1;

function factsOf(entry: ParsedEntry): { id: number; names: KeptNames } {
  let facts = entryFacts.get(entry);
  if (!facts) entryFacts.set(entry, (facts = { id: nextEntryId++, names: {} }));
  return facts;
}

const entryLists = new WeakMap<SqlFile, Uint32Array>();

/** The ids of a file version's statement entries, made once and shared by the rules keeping findings for it. */
function entriesOf(file: SqlFile): Uint32Array {
  let ids = entryLists.get(file);
  if (!ids) {
    ids = new Uint32Array(file.statements.length);
    for (let i = 0; i < ids.length; i++) ids[i] = factsOf(file.statements[i].entry).id;
    entryLists.set(file, ids);
  }
  return ids;
}

/** Remembers what a whole-file rule kept under `token`, for the first run under another token. */
export function rememberKept(token: FileRuleToken, ruleId: string, file: SqlFile, groups: WholeFileFindings): void {
  const base = token.tables?.base;
  if (base === undefined) return;
  let perRule = keptUnder.get(token);
  if (!perRule) keptUnder.set(token, (perRule = new Map()));
  perRule.set(ruleId, { control: controlKey(file), entries: entriesOf(file), groups });
  let perPath = lastTokens.get(file.path);
  if (!perPath) lastTokens.set(file.path, (perPath = new Map()));
  const refs = perPath.get(ruleId);
  if (refs?.[0]?.deref() === token) return;
  const others = (refs ?? []).filter((r) => {
    const t = r.deref();
    return t !== undefined && t.tables!.base !== base;
  });
  perPath.set(ruleId, [new WeakRef(token), ...others].slice(0, TOKENS_PER_PATH));
}

/** Forgets what the rule kept under `token` (it threw, or a finding could not be tied to its statement). */
export function forgetKept(ruleId: string, token: FileRuleToken): void {
  keptUnder.get(token)?.delete(ruleId);
}

/** What the rule kept under the token last used for `file` in `token`'s workspace (that token or an earlier one). */
function keptFor(token: FileRuleToken, ruleId: string, file: SqlFile): { token: FileRuleToken; kept: LastKept } | undefined {
  const base = token.tables?.base;
  if (base === undefined) return undefined;
  for (const ref of lastTokens.get(file.path)?.get(ruleId) ?? []) {
    const t = ref.deref();
    if (t?.tables!.base !== base) continue;
    const kept = keptUnder.get(t)?.get(ruleId);
    return kept && { token: t, kept };
  }
  return undefined;
}

/** How often a rule ran keeping its last findings, and how many statement groups it kept, since the process started: for tests and benches. */
export const byStatementStats = { partial: 0, carried: 0 };

/** The groups the rule kept last in `token`'s workspace (under this token or another), in statement order. */
export function lastGroups(token: FileRuleToken, ruleId: string, file: SqlFile): WholeFileFindings | undefined {
  return keptFor(token, ruleId, file)?.kept.groups;
}

/** A rule run after a DDL edit, keeping its last findings for the statements that hold. */
export interface PartialRun {
  /** The statement's findings of the last lint are kept: the rule's reports on it are dropped. */
  keeps(stmt: Statement): boolean;
  /** The kept groups, in statement order. */
  readonly carried: readonly WholeFileGroup[];
}

/**
 * Whether each statement holds since a token, worked out on demand and shared by the rules of one
 * lint (all of them usually kept their findings under the same token): 0 not asked, 1 holds, 2 not.
 * Made per lint, so that no file version outlives its lint here.
 */
export interface HeldStatements {
  old?: FileRuleToken;
  entries?: Uint32Array;
  marks?: Uint8Array;
}

function heldSince(old: FileRuleToken, next: FileRuleToken, file: SqlFile, entries: Uint32Array, memo: HeldStatements): (i: number) => boolean {
  if (memo.old !== old || memo.entries !== entries || !memo.marks) Object.assign(memo, { old, entries, marks: new Uint8Array(file.statements.length) });
  const marks = memo.marks!;
  const statements = file.statements;
  return (i) => {
    const mark = marks[i];
    if (mark !== 0) return mark === 1;
    const stmt = statements[i];
    const facts = factsOf(stmt.entry);
    const holds = facts.id === entries[i] && tokenHoldsFor(old, next, stmt, facts.names);
    marks[i] = holds ? 1 : 2;
    return holds;
  };
}

/**
 * For a `byStatement` rule that kept findings under another token, with the same control
 * statements and as many statements: which statements keep theirs. Undefined when it must run
 * as a whole (then it reports everything itself).
 */
export function partialRun(token: FileRuleToken, ruleId: string, file: SqlFile, memo: HeldStatements): PartialRun | undefined {
  const found = keptFor(token, ruleId, file);
  if (!found || found.token === token) return undefined;
  const last = found.kept;
  const statements = file.statements;
  if (last.entries.length !== statements.length || last.control !== controlKey(file)) return undefined;
  const held = heldSince(found.token, token, file, last.entries, memo);
  const carried: WholeFileGroup[] = [];
  // A group whose tail (the `;`, a line break its fixes reach into) changed is made again.
  let retold: Set<number> | undefined;
  const text = file.text;
  for (const g of last.groups) {
    if (!held(g.index)) continue;
    if (g.tailLength && !sameTail(text, statements[g.index].segment.end, g)) (retold ??= new Set()).add(g.index);
    else carried.push(g);
  }
  carried.sort((a, b) => a.index - b.index);
  byStatementStats.partial++;
  byStatementStats.carried += carried.length;
  return { carried, keeps: (stmt) => stmt.index < statements.length && statements[stmt.index] === stmt && held(stmt.index) && !retold?.has(stmt.index) };
}

/** A report on a statement a partial run keeps: dropped before it is made into a finding. */
export function keptReport(run: PartialRun, file: SqlFile, report: Pick<Report, 'span'>): boolean {
  const i = segmentIndexAt(file.statements, report.span.start);
  return i >= 0 && run.keeps(file.statements[i]);
}

/** The kept findings at the statements' current offsets (for a run whose findings could not be kept). */
export function carriedFindings(run: PartialRun, file: SqlFile): Finding[] {
  const out: Finding[] = [];
  for (const g of run.carried) for (const f of g.findings.at(file.statements[g.index].segment.start)) out.push(f);
  return out;
}
