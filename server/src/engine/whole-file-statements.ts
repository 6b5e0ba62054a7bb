// Reused whole-file findings (whole-file-cache.ts) handed on statement by statement, like the
// per-statement findings: each statement's file-rule findings and the whole-file groups lying in it
// become one relative list, kept on the statement's memo while its parts are the same objects. A
// keystroke then moves none of the ~8,800 whole-file findings of a 10,000-statement file; they are
// moved when read, and the language server reuses their diagnostics while their lines stay.
import type { SqlFile, Statement } from '../sql/document';
import type { FileRuleToken } from './file-rule-cache';
import { sortFindings } from './finding-order';
import { AnchoredFindings } from './relative-findings';
import { fileList, type FileFindingsSource } from './statement-findings';
import type { Finding } from './types';
import type { StatementGroup } from './whole-file-cache';

/** The whole-file groups lying in one statement, one per rule, in rule order. */
export interface StatementWhole {
  readonly index: number;
  readonly groups: readonly AnchoredFindings[];
}

interface ByStatement {
  lists: ReadonlyArray<readonly StatementGroup[]>;
  statements: readonly StatementWhole[];
}

// While the same rules' groups are reused (the same arrays), the per-statement lists are the same too.
const lastByToken = new WeakMap<FileRuleToken, ByStatement>();

/** Statements holding whole-file findings, in index order, from each reused rule's groups (in rule order). */
export function wholeFileByStatement(token: FileRuleToken, lists: ReadonlyArray<readonly StatementGroup[]>): readonly StatementWhole[] {
  const last = lastByToken.get(token);
  if (last && last.lists.length === lists.length && last.lists.every((l, i) => l === lists[i])) return last.statements;
  const byIndex = new Map<number, AnchoredFindings[]>();
  for (const list of lists) {
    for (const g of list) {
      let groups = byIndex.get(g.index);
      if (!groups) byIndex.set(g.index, (groups = []));
      groups.push(g.findings);
    }
  }
  const statements = [...byIndex].map(([index, groups]) => ({ index, groups })).sort((a, b) => a.index - b.index);
  lastByToken.set(token, { lists, statements });
  return statements;
}

/**
 * Hands the whole-file groups on per statement: each statement's file-rule source (`fileOwn`)
 * becomes its combined list, and findings reaching past their statement join `others`. A lint
 * that ran the rules (a full lint, a DDL edit) hands on what it just kept, as the next lint reuses
 * it: that lint then finds the same lists (made once, not again on the first keystroke after).
 */
export function handOnWholeFile(token: FileRuleToken, file: SqlFile, lists: ReadonlyArray<readonly StatementGroup[]>, fileOwn: FileFindingsSource[], others: Finding[]): void {
  const statements = file.statements;
  for (const { index, groups } of wholeFileByStatement(token, lists)) {
    if (index >= statements.length) continue;
    const stmt = statements[index];
    const combined = withWholeFile(stmt, fileOwn[index], groups);
    fileOwn[index] = combined.findings;
    if (combined.outside) for (const f of combined.outside.at(stmt.segment.start)) others.push(f);
  }
}

/** Each rule's groups in the rules' order, the order the next lint reuses them in (its per-statement lists are these while they are the same arrays). */
export function inRuleOrder(rules: ReadonlyArray<{ meta: { id: string } }>, byRule: ReadonlyMap<string, readonly StatementGroup[]>): Array<readonly StatementGroup[]> {
  const lists: Array<readonly StatementGroup[]> = [];
  for (const rule of rules) {
    const groups = byRule.get(rule.meta.id);
    if (groups) lists.push(groups);
  }
  return lists;
}

/** A statement's file-rule findings with its whole-file groups: those lying in it, and the others. */
export interface WithWholeFile {
  findings: AnchoredFindings;
  /**
   * Whole-file findings reaching past the statement (a fix adding a statement after it): handed on
   * with the findings across statements, so that a reader converting statement by statement (the
   * language server) need not fall back to converting every finding of the file.
   */
  outside?: AnchoredFindings;
}

/** What a statement's memo keeps: the combined list and the parts it was made from. */
interface Combined extends WithWholeFile {
  source: FileFindingsSource;
  groups: readonly AnchoredFindings[];
}

/** The statement's file-rule findings and its whole-file groups as one source, the same objects while its parts are. */
export function withWholeFile(stmt: Statement, source: FileFindingsSource, groups: readonly AnchoredFindings[]): WithWholeFile {
  const memo = stmt.memo;
  const kept = memo?.wholeFindings as Combined | undefined;
  // The same groups in new arrays after a DDL edit that kept a statement's findings (whole-file-by-statement.ts).
  if (kept && kept.source === source && sameGroups(kept.groups, groups)) return kept;
  const base = stmt.segment.start;
  const list: Finding[] = [];
  let outside: Finding[] | undefined;
  const own = fileList(stmt, source);
  if (own) for (const f of own) list.push(f);
  for (const g of groups) {
    // A rule's group goes one way or the other as a whole: equal findings of one rule (same span)
    // must keep the order it reported them in, which the merge of the two ways would not.
    const found = g.at(base);
    if (found.every((f) => liesWithin(f, stmt))) for (const f of found) list.push(f);
    else for (const f of found) (outside ??= []).push(f);
  }
  // A stable sort: equal findings keep the order above, as the lint's merge of all findings did.
  const made: Combined = { source, groups, findings: new AnchoredFindings(sortFindings(list), base), outside: outside && new AnchoredFindings(outside, base) };
  if (memo) memo.wholeFindings = made;
  return made;
}

/** The finding and its fixes' edits lie in the statement's text (what lsp/statement-diagnostics.ts converts on its own). */
export function liesWithin(f: Finding, stmt: Statement): boolean {
  const { start, end } = stmt.segment;
  const inside = (s: { start: number; end: number }) => s.start >= start && s.end <= end && s.start <= s.end;
  if (!inside(f.span)) return false;
  for (const x of f.fixes ?? []) for (const e of x.edits) if (!inside(e)) return false;
  return true;
}

function sameGroups(a: readonly AnchoredFindings[], b: readonly AnchoredFindings[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
