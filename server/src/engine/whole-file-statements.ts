// Reused whole-file findings (whole-file-cache.ts) handed on statement by statement, like the
// per-statement findings: each statement's file-rule findings and the whole-file groups lying in it
// become one relative list, kept on the statement's memo while its parts are the same objects. A
// keystroke then moves none of the ~8,800 whole-file findings of a 10,000-statement file; they are
// moved when read, and the language server reuses their diagnostics while their lines stay.
import type { Statement } from '../sql/document';
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

/** What a statement's memo keeps: the combined list and the parts it was made from. */
interface Combined {
  source: FileFindingsSource;
  groups: readonly AnchoredFindings[];
  findings: AnchoredFindings;
}

/** The statement's file-rule findings and its whole-file groups as one source, the same object while its parts are. */
export function withWholeFile(stmt: Statement, source: FileFindingsSource, groups: readonly AnchoredFindings[]): AnchoredFindings {
  const memo = stmt.memo;
  const kept = memo?.wholeFindings as Combined | undefined;
  if (kept && kept.source === source && kept.groups === groups) return kept.findings;
  const base = stmt.segment.start;
  const list: Finding[] = [];
  const own = fileList(stmt, source);
  if (own) for (const f of own) list.push(f);
  for (const g of groups) for (const f of g.at(base)) list.push(f);
  // A stable sort: equal findings keep the order above, as the lint's merge of all findings did.
  const findings = new AnchoredFindings(sortFindings(list), base);
  if (memo) memo.wholeFindings = { source, groups, findings } satisfies Combined;
  return findings;
}
