// A lint's findings as it leaves the linter: per statement, the cached lists they came from (each
// at the offset it was made for), plus the findings of rules that report across statements. The
// absolute, ordered list is made only when someone reads `findings`: a keystroke above ~9,000
// statements otherwise moved every finding below it (new objects, ~3 MB of garbage) before anyone
// asked, and a caller reading only part of the result (a count, rule errors) paid for all of it.
import type { SqlFile, Statement } from '../sql/document';
import { mergeInto, orderFindings } from './finding-order';
import { AnchoredFindings } from './relative-findings';
import { collectSuppressions, isSuppressed } from './suppressions';
import type { Finding } from './types';

/** Statement-rule findings of one statement text (on its parse entry, shared by equal statements). */
export interface CachedFindings {
  key: string;
  findings: AnchoredFindings;
}

/** A statement's findings at its current offset, on its StatementMemo (an occurrence's own copy). */
interface FindingsCopy {
  source: CachedFindings;
  base: number;
  list: readonly Finding[];
}

/** File-rule findings of one statement: kept relative (AnchoredFindings) or made for this lint only. */
export type FileFindingsSource = AnchoredFindings | readonly Finding[] | undefined;

/**
 * The statement's cached statement-rule findings at its offset. Statements with the same text share
 * an entry; each occurrence keeps its own moved copy, so they do not take turns re-copying.
 */
export function ownCopy(stmt: Statement, cached: CachedFindings): readonly Finding[] {
  const base = stmt.segment.start;
  const memo = stmt.memo;
  if (!memo) return cached.findings.at(base);
  const copy = memo.findings as FindingsCopy | undefined;
  if (copy && copy.source === cached && copy.base === base) return copy.list;
  const list = cached.findings.at(base);
  memo.findings = { source: cached, base, list } satisfies FindingsCopy;
  return list;
}

/** Remembers findings just made at the statement's offset as its occurrence's copy. */
export function keepOwnCopy(stmt: Statement, source: CachedFindings, list: readonly Finding[]): void {
  if (stmt.memo) stmt.memo.findings = { source, base: stmt.segment.start, list } satisfies FindingsCopy;
}

/** The statement's file-rule findings at its offset. */
export function fileList(stmt: Statement, source: FileFindingsSource): readonly Finding[] | undefined {
  return source instanceof AnchoredFindings ? source.at(stmt.segment.start) : source;
}

/**
 * All findings of the lint in report order, suppressed ones left out. Reads only what the lint
 * recorded (immutable statements, cached lists and their offsets), so it may run after later lints.
 */
export function materialiseFindings(file: SqlFile, own: readonly CachedFindings[], fileOwn: readonly FileFindingsSource[], others: Finding[]): Finding[] {
  const statements = file.statements;
  const runs: Array<readonly Finding[]> = [];
  for (let i = 0; i < statements.length; i++) {
    const a = ownCopy(statements[i], own[i]);
    const b = fileList(statements[i], fileOwn[i]);
    if (b === undefined || b.length === 0) {
      if (a.length) runs.push(a);
    } else if (a.length === 0) runs.push(b);
    else {
      const both: Finding[] = [];
      mergeInto(both, a, b);
      runs.push(both);
    }
  }
  return applySuppressions(file, orderFindings(runs, others));
}

function applySuppressions(file: SqlFile, findings: Finding[]): Finding[] {
  const suppressions = collectSuppressions(file.text, file.lines);
  // Most files have no directive: no line lookup for each of thousands of findings then.
  const none = suppressions.file.size === 0 && suppressions.lines.size === 0;
  return none ? findings : findings.filter((f) => !isSuppressed(suppressions, f.ruleId, file.lines.positionAt(f.span.start).line));
}

/** What a lint recorded per statement, for readers that convert statement by statement (the language server). */
export interface LintRuns {
  file: SqlFile;
  own: readonly CachedFindings[];
  fileOwn: readonly FileFindingsSource[];
  /** Findings of rules reporting across statements, absolute; sorted in place by the first reader. */
  others: Finding[];
}

/** The LintRuns of a lint output (not enumerable: a copy or a spread of the output has none). */
export const LINT_RUNS: unique symbol = Symbol('lint runs');

export function lintRunsOf(output: object): LintRuns | undefined {
  return (output as { [LINT_RUNS]?: LintRuns })[LINT_RUNS];
}

/**
 * Gives `target` a `findings` property made by `make` on first read (then kept). Own and enumerable,
 * so spreading or serialising the result reads it like a plain field; assigning replaces it.
 */
export function withLazyFindings<T extends object>(target: T, runs: LintRuns): T & { findings: Finding[] } {
  let made: Finding[] | undefined;
  const make = () => materialiseFindings(runs.file, runs.own, runs.fileOwn, runs.others);
  Object.defineProperty(target, LINT_RUNS, { value: runs, enumerable: false, configurable: true });
  Object.defineProperty(target, 'findings', {
    enumerable: true,
    configurable: true,
    get: () => (made ??= make()),
    set: (value: Finding[]) => {
      // Findings set by hand are what readers must see: statement-wise readers too.
      delete (target as { [LINT_RUNS]?: LintRuns })[LINT_RUNS];
      made = value;
    },
  });
  return target as T & { findings: Finding[] };
}
