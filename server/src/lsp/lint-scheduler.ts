// Huge SQL files in the editor. A generated dump or a squashed migration history can hold
// 50,000 statements; checking it in one synchronous pass would freeze hovers and code actions for
// seconds. Two defences: above a budget (ledgerlint.maxStatements / ledgerlint.maxFileSize) only the
// first part is checked and the user is told so on line 1; and the parse of a big file runs in slices
// before the lint, so requests are answered between slices and a newer edit cancels the stale work.
import type { Diagnostic } from 'vscode-languageserver/node';
import { lintSqlFile } from '../engine/linter';
import type { RuleDefinition } from '../engine/rule';
import type { ResolvedConfig } from '../engine/config';
import { collectSuppressions, isSuppressed } from '../engine/suppressions';
import { keepWarm, parseSqlFile, StatementCache, type SqlFile } from '../sql/document';
import { LineIndex } from '../sql/offsets';
import { splitSql, splitSqlFrom } from '../sql/splitter';
import { toDiagnostic } from './diagnostics';

export interface LargeFileLimits {
  /** Statements checked per file; the ones after are skipped (and said so). */
  maxStatements: number;
  /** Characters checked per file, cut at a statement boundary. */
  maxFileSize: number;
}

export const DEFAULT_LIMITS: LargeFileLimits = { maxStatements: 20_000, maxFileSize: 4_000_000 };

/** Files above this size are parsed in slices before their lint; below it one pass is quick enough. */
export const SLICE_ABOVE_CHARS = 200_000;

/** Reads the two settings from the client's raw `ledgerlint` section; wrong shapes fall back to the defaults. */
export function readLimits(raw: unknown): LargeFileLimits {
  const s = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const positive = (v: unknown, d: number) => (typeof v === 'number' && Number.isFinite(v) && v >= 1 ? Math.floor(v) : d);
  return { maxStatements: positive(s.maxStatements, DEFAULT_LIMITS.maxStatements), maxFileSize: positive(s.maxFileSize, DEFAULT_LIMITS.maxFileSize) };
}

export interface LintPlan {
  /** The text to check: the whole file, or its first statements up to the budget. */
  text: string;
  /** Statements of `text` (text and file offset), for prewarming; undefined when the file was not split here. */
  statements?: Array<{ text: string; start: number }>;
  skipped?: { checked: number; total: number; checkedChars: number; totalChars: number; reason: 'statements' | 'size' };
}

function upperBoundOfStatements(text: string, limit: number): number {
  // Every statement but the last ends at a `;`, so counting them bounds the statements without a split
  // (a `;` in a string or comment only raises the bound). White space after the last `;` is no
  // statement: a file of exactly `limit` statements is within it.
  let semicolons = 0;
  let last = -1;
  for (let i = text.indexOf(';'); i !== -1 && semicolons <= limit; i = text.indexOf(';', i + 1)) {
    semicolons++;
    last = i;
  }
  if (semicolons > limit) return semicolons;
  return semicolons + (/\S/.test(text.slice(last + 1)) ? 1 : 0);
}

/** What to check of `text` under `limits`; splits the file only when it may be over budget or must be sliced. */
export function planLint(text: string, limits: LargeFileLimits): LintPlan {
  const small = text.length <= limits.maxFileSize && upperBoundOfStatements(text, limits.maxStatements) <= limits.maxStatements;
  if (small && text.length <= SLICE_ABOVE_CHARS) return { text };
  const statements = splitSql(text).filter((s) => s.kind === 'statement');
  let keep = 0;
  let cut = text.length;
  let reason: 'statements' | 'size' | undefined;
  for (const s of statements) {
    if (keep >= limits.maxStatements) reason = 'statements';
    else if (s.end > limits.maxFileSize) reason = 'size';
    if (reason) {
      cut = s.start;
      break;
    }
    keep++;
  }
  if (!reason) return { text, statements };
  return {
    // Cut where the first skipped statement starts: the checked part keeps its own `;` and comments.
    text: text.slice(0, cut),
    statements: statements.slice(0, keep),
    skipped: { checked: keep, total: statements.length, checkedChars: cut, totalChars: text.length, reason },
  };
}

/** The Information diagnostic on line 1 of a file checked only in part. */
export function skippedNotice(plan: LintPlan, lastCheckedLine: number): Diagnostic | undefined {
  const s = plan.skipped;
  if (!s) return undefined;
  const n = (x: number) => x.toLocaleString('en');
  const over = s.reason === 'statements' ? `more than ledgerlint.maxStatements (${n(s.checked)}) statements` : `over ledgerlint.maxFileSize (${n(s.checkedChars)} of ${n(s.totalChars)} characters fit)`;
  return largeFileNotice(
    `Ledgerlint checked only the first ${n(s.checked)} of ${n(s.total)} statements (up to line ${n(lastCheckedLine + 1)}): this file has ${over}. ` +
      `Statements after line ${n(lastCheckedLine + 1)} are not checked, and checks that look across the file do not see them, so a lock or money problem there goes unreported. ` +
      `Split the file, or raise ledgerlint.maxStatements / ledgerlint.maxFileSize if the editor stays responsive.`,
  );
}

/** An Information diagnostic on line 1 saying what of a big file was not checked. */
export function largeFileNotice(message: string): Diagnostic {
  return { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: 3, source: 'ledgerlint', code: 'large-file', message };
}

/** Statement texts the last check of this document already parsed: a re-check reuses them, so they are not prewarmed. */
export function knownTexts(file: SqlFile | undefined): (text: string) => boolean {
  if (!file) return () => false;
  const known = new Set<string>();
  for (const s of file.statements) known.add(s.segment.text);
  return (t) => known.has(t);
}

/** Characters at the start of a big file given a first look: a few screenfuls, checked in tens of milliseconds. */
export const FIRST_LOOK_CHARS = 20_000;

/** A first look's diagnostics, and the plan of the whole file when the look had to make it. */
export interface FirstLook {
  /** Undefined when the checked text is not much longer than the first look. */
  diagnostics?: Diagnostic[];
  /** Made only for a file that may be over budget (its notice goes with the first look); the full check reuses it. */
  plan?: LintPlan;
}

/** The file may hold more than the budget: only a split of the whole file can say where to cut. */
function mayBeOverBudget(text: string, limits: LargeFileLimits): boolean {
  return text.length > limits.maxFileSize || upperBoundOfStatements(text, limits.maxStatements) > limits.maxStatements;
}

/**
 * The statements before the first one starting at FIRST_LOOK_CHARS or later, and where that one
 * starts. The split stops there instead of running over the whole file (2 MB: ~50 ms before the
 * first publish); the same splitter from the same start, so the statements are those of a full split.
 */
function openingStatements(text: string): { statements: Array<{ text: string; start: number }>; next: number } | undefined {
  let next = -1;
  const run = splitSqlFrom(text, 0, (start) => {
    if (start < FIRST_LOOK_CHARS) return false;
    next = start;
    return true;
  });
  if (!run.stopped) return undefined;
  return { statements: run.segments.filter((s) => s.kind === 'statement'), next };
}

/**
 * Diagnostics for the opening statements of a big file just opened, from statement-scoped rules only,
 * published before the full check (seconds on 20,000 statements). Those rules see nothing but their
 * statement, so every finding here is one the full check publishes too: the first look may miss
 * findings, never adds a wrong one. File-scoped rules (an index created further down, a trigger at the
 * end) wait for the full check. The parsed statements, with their findings, are handed to that check.
 * The whole file is split only when it may be over budget (the notice on line 1 comes with the look).
 */
export function firstLook(path: string, text: string, limits: LargeFileLimits, project: { config: ResolvedConfig; rules: readonly RuleDefinition[] }): FirstLook {
  let plan: LintPlan | undefined;
  let opening: { next: number } | undefined;
  if (mayBeOverBudget(text, limits)) {
    plan = planLint(text, limits);
    const next = plan.statements?.find((s) => s.start >= FIRST_LOOK_CHARS);
    if (next) opening = { next: next.start };
  } else {
    opening = openingStatements(text);
  }
  if (!opening) return { plan };
  const checked = plan?.text ?? text;
  const file = parseSqlFile(path, checked.slice(0, opening.next), new StatementCache());
  const output = lintSqlFile({ file, config: project.config, rules: project.rules.filter((r) => r.scope === 'statement') });
  keepWarm(file.statements);
  let findings = output.findings;
  // A `ledgerlint-disable-file` further down silences these findings in the full check too.
  const rest = checked.slice(opening.next);
  if (rest.includes('ledgerlint-disable-file')) {
    const later = { file: collectSuppressions(rest, new LineIndex(rest)).file, lines: new Map<number, Set<string>>() };
    findings = findings.filter((f) => !isSuppressed(later, f.ruleId, -1));
  }
  const diagnostics = findings.map((f) => toDiagnostic(file.lines, f));
  const last = plan?.statements?.at(-1);
  const notice = plan?.skipped && last ? skippedNotice(plan, new LineIndex(plan.text).positionAt(last.start + last.text.length).line) : undefined;
  if (notice) diagnostics.unshift(notice);
  return { diagnostics, plan };
}
