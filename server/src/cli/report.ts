import type { Finding, Severity } from '../engine/types';
import type { LineIndex } from '../sql/offsets';

/** One checked file, with positions resolved for output. */
export interface FileReport {
  /** As shown to the user and in SARIF: relative to the root, forward slashes. */
  path: string;
  absolute: string;
  lines: LineIndex;
  text: string;
  findings: Finding[];
  /** The findings as the JSON report writes them (format-json's findingsJsonBytes), when already known: kept for or read from the cache. */
  findingsJson?: Uint8Array;
  /** Findings per severity, when known without reading `findings` (a warm cache run never parses them). */
  counts?: Readonly<Record<Severity, number>>;
}

export interface Position1 {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** 1-based line and column (UTF-16 code units, as SARIF's default `columnKind`). */
export function positionOf(report: FileReport, f: Finding): Position1 {
  const s = report.lines.positionAt(f.span.start);
  const e = report.lines.positionAt(Math.max(f.span.end, f.span.start));
  return { line: s.line + 1, column: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1 };
}

export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info', 'hint'];

export function countBySeverity(reports: readonly FileReport[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const r of reports) {
    if (r.counts) for (const s of SEVERITIES) counts[s] += r.counts[s];
    else for (const f of r.findings) counts[f.severity]++;
  }
  return counts;
}
