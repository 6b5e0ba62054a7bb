// A lint's diagnostics, statement by statement. A statement's diagnostics depend only on its text
// (its findings' offsets relative to its start, the line breaks between them) and on the line and
// column it starts at: while those are the same, its diagnostics from the last check are reused as
// they are, without making its findings at the new offsets. A one-character edit near the top of a
// 10,000-statement file moves ~9,000 statements by one character and none of their lines.
import type { Diagnostic } from 'vscode-languageserver';
import type { Statement } from '../sql/document';
import type { LineIndex } from '../sql/offsets';
import { mergeInto, sortFindings } from '../engine/finding-order';
import { AnchoredFindings, shiftFinding } from '../engine/relative-findings';
import { liesWithin } from '../engine/whole-file-statements';
import { fileList, lintRunsOf, ownCopy, type CachedFindings, type FileFindingsSource, type LintRuns } from '../engine/statement-findings';
import type { Finding, Severity } from '../engine/types';
import { fixKeyOf, fixTransport, toDiagnostic, type DiagnosticData, type FixTransport } from './diagnostics';

/** Kept on the statement's memo: its findings at `base` and their diagnostics, in order. */
interface StatementDiagnostics {
  own: CachedFindings;
  file: FileFindingsSource;
  transport: FixTransport;
  line: number;
  column: number;
  base: number;
  findings: readonly Finding[];
  diagnostics: readonly Diagnostic[];
}

/** Checks converted statement by statement, and statements whose diagnostics were reused: for tests and benches. */
export const statementDiagnosticsStats = { checks: 0, reused: 0 };

export interface ConvertedLint {
  /** A new array (callers add notices to it); the diagnostics in it are shared and must not be changed. */
  diagnostics: Diagnostic[];
  /** The finding, at this version's offsets, whose diagnostic carries `data.key`. */
  findingOf: (key: number) => Finding | undefined;
}

interface LintLike {
  readonly findings: readonly Finding[];
  readonly file: { readonly lines: LineIndex };
}

/** The diagnostics of a lint, in the order of its findings. */
export function lintDiagnostics(result: LintLike, transport: FixTransport = fixTransport()): ConvertedLint {
  const runs = lintRunsOf(result);
  // Suppression comments silence findings by line: those files take the plain way.
  const byStatement = runs && !runs.file.text.includes('ledgerlint-disable-') ? convertByStatement(runs, transport) : undefined;
  return byStatement ?? convertFindings(result.findings, result.file.lines, transport);
}

function convertFindings(findings: readonly Finding[], lines: LineIndex, transport: FixTransport): ConvertedLint {
  let byKey: Map<number, Finding> | undefined;
  return {
    diagnostics: findings.map((f) => toDiagnostic(lines, f, transport)),
    findingOf: (key) => (byKey ??= new Map(findings.filter((f) => f.fixes?.length).map((f) => [fixKeyOf(f), f]))).get(key),
  };
}

function sizeOf(source: FileFindingsSource): number {
  return source === undefined ? 0 : source instanceof AnchoredFindings ? source.size : source.length;
}

/** Compares `a` moved by `da` with `b` moved by `db`, as compareFindings does. */
function compareMoved(a: Finding, da: number, b: Finding, db: number): number {
  return a.span.start + da - (b.span.start + db) || a.span.end + da - (b.span.end + db) || a.ruleId.localeCompare(b.ruleId);
}

/**
 * Undefined when the statement-wise order could differ from the findings' (a finding outside its
 * statement): then the findings are converted one by one, in their own order.
 */
function convertByStatement(runs: LintRuns, transport: FixTransport): ConvertedLint | undefined {
  const { file, own, fileOwn } = runs;
  const others = sortFindings(runs.others);
  const lines = file.lines;
  const out: Diagnostic[] = [];
  const used: Array<{ entry: StatementDiagnostics; delta: number }> = [];
  let j = 0;
  let previous: { f: Finding; delta: number } | undefined;
  const statements = file.statements;
  for (let i = 0; i < statements.length; i++) {
    if (own[i].findings.size === 0 && sizeOf(fileOwn[i]) === 0) continue;
    const stmt = statements[i];
    const entry = statementDiagnostics(stmt, own[i], fileOwn[i], lines, transport);
    if (!entry) return undefined;
    const delta = stmt.segment.start - entry.base;
    const list = entry.findings;
    if (previous && compareMoved(previous.f, previous.delta, list[0], delta) > 0) return undefined;
    for (let k = 0; k < list.length; k++) {
      // On ties the statement's finding comes first, as in the findings' order.
      while (j < others.length && compareMoved(others[j], 0, list[k], delta) < 0) out.push(toDiagnostic(lines, others[j++], transport));
      out.push(entry.diagnostics[k]);
    }
    previous = { f: list[list.length - 1], delta };
    used.push({ entry, delta });
  }
  while (j < others.length) out.push(toDiagnostic(lines, others[j++], transport));
  let byKey: Map<number, { f: Finding; delta: number }> | undefined;
  const findingOf = (key: number) => {
    byKey ??= keyedFindings(used, others);
    const hit = byKey.get(key);
    return hit && shiftFinding(hit.f, hit.delta);
  };
  statementDiagnosticsStats.checks++;
  return { diagnostics: out, findingOf };
}

/** Fix keys to findings (with how far each has moved since its diagnostic was made), built on the first code action. */
function keyedFindings(used: ReadonlyArray<{ entry: StatementDiagnostics; delta: number }>, others: readonly Finding[]): Map<number, { f: Finding; delta: number }> {
  const byKey = new Map<number, { f: Finding; delta: number }>();
  for (const { entry, delta } of used) {
    entry.diagnostics.forEach((d, k) => {
      const data = d.data as DiagnosticData | undefined;
      if (data && 'key' in data) byKey.set(data.key, { f: entry.findings[k], delta });
    });
  }
  for (const f of others) if (f.fixes?.length) byKey.set(fixKeyOf(f), { f, delta: 0 });
  return byKey;
}

function statementDiagnostics(stmt: Statement, own: CachedFindings, file: FileFindingsSource, lines: LineIndex, transport: FixTransport): StatementDiagnostics | undefined {
  const memo = stmt.memo;
  if (!memo) return undefined;
  const base = stmt.segment.start;
  const { line, character: column } = lines.positionAt(base);
  const kept = memo.diagnostics as StatementDiagnostics | undefined;
  if (kept && kept.own === own && kept.file === file && kept.transport === transport && kept.line === line && kept.column === column) {
    statementDiagnosticsStats.reused++;
    return kept;
  }
  const a = ownCopy(stmt, own);
  const b = fileList(stmt, file);
  let findings = a;
  if (b?.length) {
    if (a.length === 0) findings = b;
    else {
      const both: Finding[] = [];
      mergeInto(both, a, b);
      findings = both;
    }
  }
  // Positions move with the statement only for offsets inside its text; a text ending in `\r`
  // would end its last line differently with a `\n` after it.
  if (stmt.segment.text.endsWith('\r') || !findings.every((f) => liesWithin(f, stmt))) return undefined;
  const entry: StatementDiagnostics = { own, file, transport, line, column, base, findings, diagnostics: findings.map((f) => toDiagnostic(lines, f, transport)) };
  memo.diagnostics = entry;
  return entry;
}

/** A published diagnostic with the finding it was made from, `delta` characters before where that finding is now. */
export interface MadeDiagnostic {
  diagnostic: Diagnostic;
  finding: Finding;
  delta: number;
}

/**
 * A piece of a check to publish from: one statement's findings, or one finding of a rule that looks
 * across statements. Its counts come without converting anything; `convert` makes its diagnostics
 * (reusing the statement's from the last check) and is undefined when the statement cannot be
 * converted on its own (then the check is converted finding by finding).
 */
export interface FindingUnit {
  /** Offsets of the statement, or of the finding. */
  start: number;
  end: number;
  counts: SeverityCounts;
  convert(): readonly MadeDiagnostic[] | undefined;
}

export type SeverityCounts = Record<Severity, number>;

export function noCounts(): SeverityCounts {
  return { error: 0, warning: 0, info: 0, hint: 0 };
}

function countInto(counts: SeverityCounts, findings: readonly Finding[]): SeverityCounts {
  for (const f of findings) counts[f.severity]++;
  return counts;
}

// Severities do not change when a statement moves: counted once per cached list, not per keystroke.
const ownCounts = new WeakMap<CachedFindings, SeverityCounts>();
const bothCounts = new WeakMap<AnchoredFindings, { own: CachedFindings; counts: SeverityCounts }>();

function countsOf(stmt: Statement, own: CachedFindings, file: FileFindingsSource): SeverityCounts {
  let a = ownCounts.get(own);
  if (!a) ownCounts.set(own, (a = countInto(noCounts(), ownCopy(stmt, own))));
  if (sizeOf(file) === 0) return a;
  const kept = file instanceof AnchoredFindings ? bothCounts.get(file) : undefined;
  if (kept?.own === own) return kept.counts;
  const counts = countInto({ ...a }, fileList(stmt, file) ?? []);
  if (file instanceof AnchoredFindings) bothCounts.set(file, { own, counts });
  return counts;
}

interface UnitContext {
  lines: LineIndex;
  transport: FixTransport;
}

// Classes, not closures: a keystroke in a 10,000-statement file makes ~10,000 of them.
class StatementUnit implements FindingUnit {
  constructor(
    private readonly ctx: UnitContext,
    private readonly stmt: Statement,
    private readonly own: CachedFindings,
    private readonly file: FileFindingsSource,
    readonly counts: SeverityCounts,
  ) {}

  get start(): number {
    return this.stmt.segment.start;
  }

  get end(): number {
    return this.stmt.segment.end;
  }

  convert(): readonly MadeDiagnostic[] {
    const { stmt, ctx } = this;
    const entry = statementDiagnostics(stmt, this.own, this.file, ctx.lines, ctx.transport);
    if (entry) {
      const delta = stmt.segment.start - entry.base;
      return entry.diagnostics.map((diagnostic, k) => ({ diagnostic, finding: entry.findings[k], delta }));
    }
    // Its diagnostics cannot be kept with it (a finding outside its text, a text ending in \r): its
    // findings at their offsets now, converted one by one, and only this statement's.
    const a = ownCopy(stmt, this.own);
    const b = fileList(stmt, this.file) ?? [];
    const findings: Finding[] = [];
    mergeInto(findings, a, b);
    return findings.map((finding) => ({ diagnostic: toDiagnostic(ctx.lines, finding, ctx.transport), finding, delta: 0 }));
  }
}

const ONE: Record<Severity, SeverityCounts> = {
  error: { error: 1, warning: 0, info: 0, hint: 0 },
  warning: { error: 0, warning: 1, info: 0, hint: 0 },
  info: { error: 0, warning: 0, info: 1, hint: 0 },
  hint: { error: 0, warning: 0, info: 0, hint: 1 },
};

class OneFinding implements FindingUnit {
  constructor(
    private readonly ctx: UnitContext,
    private readonly f: Finding,
  ) {}

  get start(): number {
    return this.f.span.start;
  }

  get end(): number {
    return this.f.span.end;
  }

  get counts(): SeverityCounts {
    return ONE[this.f.severity];
  }

  convert(): readonly MadeDiagnostic[] {
    return [{ diagnostic: toDiagnostic(this.ctx.lines, this.f, this.ctx.transport), finding: this.f, delta: 0 }];
  }
}

/** The units' counts added up. */
export function totalCounts(units: readonly FindingUnit[]): SeverityCounts {
  const total = noCounts();
  for (const { counts } of units) {
    total.error += counts.error;
    total.warning += counts.warning;
    total.info += counts.info;
    total.hint += counts.hint;
  }
  return total;
}

/**
 * The check in file order as units, counted but not converted: a capped publish converts only the
 * units it publishes. `byFinding` takes one unit per finding (suppression comments in the file, or a
 * statement that could not be converted on its own).
 */
export function findingUnits(result: LintLike, transport: FixTransport = fixTransport(), byFinding = false): FindingUnit[] {
  const runs = lintRunsOf(result);
  const ctx: UnitContext = { lines: result.file.lines, transport };
  if (byFinding || !runs || runs.file.text.includes('ledgerlint-disable-')) return result.findings.map((f) => new OneFinding(ctx, f));
  const { file, own, fileOwn } = runs;
  const others = sortFindings(runs.others);
  const units: FindingUnit[] = [];
  let j = 0;
  const statements = file.statements;
  for (let i = 0; i < statements.length; i++) {
    if (own[i].findings.size === 0 && sizeOf(fileOwn[i]) === 0) continue;
    const stmt = statements[i];
    while (j < others.length && others[j].span.start < stmt.segment.start) units.push(new OneFinding(ctx, others[j++]));
    units.push(new StatementUnit(ctx, stmt, own[i], fileOwn[i], countsOf(stmt, own[i], fileOwn[i])));
  }
  while (j < others.length) units.push(new OneFinding(ctx, others[j++]));
  return units;
}
