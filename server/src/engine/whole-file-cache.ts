// File rules that report only on what the file declares (its tables, keys, triggers, policies) and
// read nothing but the schema, the file's schema-changing statements, its path and role and the
// configuration: while the file-rule token is the same object (see file-rule-cache.ts), their
// findings are reused without running them, anchored to the statement each finding lies in. A
// keystroke in a query then skips their pass over every statement and their schema-wide endFile.
// Transaction control, SET and maintenance statements are not schema changes, but migration rules
// judge a statement by the transaction and settings around it: while they are the same too (index
// and text), such a rule's findings are reused as well (see CONTROL_STATEMENT_TYPES).
import type { SqlFile } from '../sql/document';
import { segmentIndexAt } from '../sql/statement';
import type { FileRuleToken } from './file-rule-cache';
import { AnchoredFindings } from './relative-findings';
import type { RuleDefinition } from './rule';
import type { Finding } from './types';

/** A file rule declared `cache: 'file'` (see FileRule.cache). */
export function isWholeFileCached(rule: RuleDefinition): boolean {
  return rule.scope === 'file' && rule.cache === 'file';
}

/** One rule's findings lying in one statement (see keepWholeFile). */
export interface WholeFileGroup {
  index: number;
  findings: AnchoredFindings;
  /**
   * Text between the statement's end and the furthest offset a finding reaches past it (a `;`, a
   * line break); with fixes, at least the character after the statement, so a fix written for a
   * statement without its `;` (at the end of the file) is not reused once the `;` is typed.
   */
  tail: string;
  tailLength: number;
}

/** One rule's findings for one token, grouped by statement. */
export type WholeFileFindings = readonly WholeFileGroup[];

interface Kept {
  groups: WholeFileFindings;
  /** controlKey of the file the findings were made for. */
  control: string;
}

const store = new WeakMap<FileRuleToken, Map<string, Kept>>();

/**
 * Top-level statements besides schema changes that `cache: 'file'` rules may read: BEGIN/COMMIT,
 * SET (lock_timeout, timezone), and maintenance statements that lock tables.
 */
export const CONTROL_STATEMENT_TYPES: ReadonlySet<string> = new Set(['TransactionStmt', 'VariableSetStmt', 'ReindexStmt', 'VacuumStmt', 'ClusterStmt', 'RefreshMatViewStmt', 'TruncateStmt', 'LockStmt']);

const entryIds = new WeakMap<object, number>();
let nextEntryId = 1;
const controlKeys = new WeakMap<SqlFile, string>();

/** The file's control statements, as index and statement text (an id per parse entry); computed once per file version. */
export function controlKey(file: SqlFile): string {
  let key = controlKeys.get(file);
  if (key !== undefined) return key;
  const parts: string[] = [];
  for (const s of file.statements) {
    if (!s.ast || s.error) continue;
    for (const type in s.ast) {
      if (CONTROL_STATEMENT_TYPES.has(type)) {
        let id = entryIds.get(s.entry);
        if (id === undefined) entryIds.set(s.entry, (id = nextEntryId++));
        parts.push(`${s.index}:${id}`);
      }
      break;
    }
  }
  controlKeys.set(file, (key = parts.join(',')));
  return key;
}

/** How often rules were skipped (reused) or their findings kept since the process started: for tests and benches. */
export const wholeFileStats = { reused: 0, kept: 0 };

/** One statement's findings from a whole-file cached rule, at the offset they were made for. */
export interface StatementGroup {
  readonly index: number;
  readonly findings: AnchoredFindings;
}

/**
 * The rule's findings when it ran under the same token, grouped by statement index and not moved
 * (the same array on every reuse): the linter hands them on per statement, moved when read.
 */
export function reuseWholeFileGroups(token: FileRuleToken, ruleId: string, file: SqlFile): readonly StatementGroup[] | undefined {
  const kept = store.get(token)?.get(ruleId);
  if (!kept || kept.control !== controlKey(file)) return undefined;
  const statements = file.statements;
  const text = file.text;
  for (const g of kept.groups) {
    const stmt = statements[g.index];
    if (!stmt) return undefined;
    if (g.tailLength && !sameTail(text, stmt.segment.end, g)) return undefined;
  }
  wholeFileStats.reused++;
  return kept.groups;
}

/** Whether the text after `end` is the group's tail; a tail cut short by the end of the file must still be cut short. */
export function sameTail(text: string, end: number, g: WholeFileGroup): boolean {
  return Math.min(g.tailLength, text.length - end) === g.tail.length && text.startsWith(g.tail, end);
}

/** The rule's findings when it ran under the same token, at the statements' current offsets. */
export function reuseWholeFile(token: FileRuleToken, ruleId: string, file: SqlFile): Finding[] | undefined {
  const groups = reuseWholeFileGroups(token, ruleId, file);
  if (!groups) return undefined;
  const out: Finding[] = [];
  for (const g of groups) for (const f of g.findings.at(file.statements[g.index].segment.start)) out.push(f);
  return out;
}

/**
 * Keeps what the rule reported under `token` and returns its groups; not kept (undefined) when a
 * finding cannot be tied to one statement. `carried`: groups kept from the last lint for statements
 * the rule's findings were not made again for (whole-file-by-statement.ts), in statement order.
 * `previous`: the groups it kept last (in statement order); a group made again equal to the one of
 * the same statement there is that one, so that the statement's combined findings are kept too
 * (whole-file-statements.ts withWholeFile) and the language server reuses their diagnostics.
 */
export function keepWholeFile(token: FileRuleToken, ruleId: string, file: SqlFile, findings: readonly Finding[], carried?: readonly WholeFileGroup[], previous?: WholeFileFindings): WholeFileFindings | undefined {
  const byIndex = new Map<number, Finding[]>();
  const tails = new Map<number, number>();
  for (const f of findings) {
    const i = segmentIndexAt(file.statements, f.span.start);
    if (i < 0) return undefined;
    const stmt = file.statements[i];
    const limit = i + 1 < file.statements.length ? file.statements[i + 1].segment.start : file.text.length;
    let reach = f.span.end;
    for (const fix of f.fixes ?? []) {
      // A new file's name depends on the other files of its folder, which the token does not cover.
      if (fix.newFiles?.length) return undefined;
      for (const e of fix.edits) {
        if (e.start < stmt.segment.start) return undefined;
        reach = Math.max(reach, e.end);
      }
    }
    if (reach > limit) return undefined;
    if (f.fixes?.length) reach = Math.max(reach, stmt.segment.end + 1);
    if (reach > stmt.segment.end) tails.set(i, Math.max(tails.get(i) ?? 0, reach));
    let list = byIndex.get(i);
    if (!list) byIndex.set(i, (list = []));
    list.push(f);
  }
  let groups: WholeFileGroup[] = [];
  for (const [index, list] of byIndex) {
    const seg = file.statements[index].segment;
    const reach = tails.get(index);
    groups.push({ index, findings: new AnchoredFindings(list, seg.start), tail: reach === undefined ? '' : file.text.slice(seg.end, reach), tailLength: reach === undefined ? 0 : reach - seg.end });
  }
  // In statement order (nearly so already: rules report in file or table order).
  groups.sort((a, b) => a.index - b.index);
  if (previous?.length) keepEqualGroups(groups, previous, file);
  if (carried?.length) groups = mergeByIndex(carried, groups);
  let perRule = store.get(token);
  if (!perRule) store.set(token, (perRule = new Map()));
  perRule.set(ruleId, { groups, control: controlKey(file) });
  wholeFileStats.kept++;
  return groups;
}

/** Replaces each group of `made` equal to the group of the same statement in `previous` by that one (both in statement order). */
function keepEqualGroups(made: WholeFileGroup[], previous: WholeFileFindings, file: SqlFile): void {
  let j = 0;
  for (let i = 0; i < made.length; i++) {
    const g = made[i];
    while (j < previous.length && previous[j].index < g.index) j++;
    if (j >= previous.length) return;
    const p = previous[j];
    if (p.index !== g.index || p.tail !== g.tail || p.tailLength !== g.tailLength) continue;
    const base = file.statements[g.index].segment.start;
    if (p.findings.sameAs(g.findings.at(base), base)) made[i] = p;
  }
}

/** Carried groups and new ones (each in statement order, no index in both) as one list in statement order. */
function mergeByIndex(carried: readonly WholeFileGroup[], made: WholeFileGroup[]): WholeFileGroup[] {
  const out: WholeFileGroup[] = new Array(carried.length + made.length);
  let i = 0;
  let j = 0;
  for (let k = 0; k < out.length; k++) out[k] = j >= made.length || (i < carried.length && carried[i].index < made[j].index) ? carried[i++] : made[j++];
  return out;
}
