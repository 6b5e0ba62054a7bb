// Findings -> LSP diagnostics. Fixes travel inside `data` with their ranges already resolved,
// so code actions read them back without linting again.
import type { Diagnostic, TextEdit as LspTextEdit } from 'vscode-languageserver';
import { DiagnosticSeverity } from 'vscode-languageserver';
import { ruleDocsUrl } from '../engine/docs-url';
import type { Finding, Fix, Severity } from '../engine/types';
import type { LineIndex } from '../sql/offsets';

export interface WireFix {
  title: string;
  edits: LspTextEdit[];
  preferred: boolean;
  /** New files, relative to the workspace folder; the code action creates them. */
  newFiles?: Array<{ path: string; text: string }>;
}

export interface DiagnosticData {
  ruleId: string;
  fixes: WireFix[];
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toRange(lines: LineIndex, start: number, end: number) {
  return { start: lines.positionAt(start), end: lines.positionAt(Math.max(start, end)) };
}

function toWireFix(lines: LineIndex, fix: Fix): WireFix {
  return {
    title: fix.title,
    edits: fix.edits.map((e) => ({ range: toRange(lines, e.start, e.end), newText: e.newText })),
    preferred: fix.preferred === true,
    ...(fix.newFiles ? { newFiles: fix.newFiles } : {}),
  };
}

export function toDiagnostic(lines: LineIndex, f: Finding): Diagnostic {
  const data: DiagnosticData = { ruleId: f.ruleId, fixes: (f.fixes ?? []).map((x) => toWireFix(lines, x)) };
  const known = f.ruleId !== 'config';
  return {
    range: toRange(lines, f.span.start, f.span.end),
    severity: SEVERITY[f.severity],
    code: f.ruleId,
    ...(known ? { codeDescription: { href: ruleDocsUrl(f.ruleId) } } : {}),
    source: 'ledgerlint',
    message: f.message,
    data,
  };
}
