// Findings -> LSP diagnostics. A client that resolves code actions (VS Code) gets no fixes in the
// diagnostics, only a key the code actions find the stored finding by: ~19,000 diagnostics of a big
// file carried 4 MB of fix text per publish. Other clients get the fixes inline in `data`, ranges
// already resolved, so code actions read them back without linting again.
import type { Diagnostic, Range, TextEdit as LspTextEdit } from 'vscode-languageserver';
import { DiagnosticSeverity } from 'vscode-languageserver';
import { ruleDocsUrl } from '../engine/docs-url';
import { watchMovedFindings } from '../engine/relative-findings';
import type { Finding, Fix, Severity } from '../engine/types';
import type { LineIndex } from '../sql/offsets';

export interface WireFix {
  title: string;
  edits: LspTextEdit[];
  /** Absent when false. */
  preferred?: boolean;
  /** New files, relative to the workspace folder; the code action creates them. */
  newFiles?: Array<{ path: string; text: string }>;
}

/** Absent when the finding has no fix: the rule id is the diagnostic's `code`. */
export type DiagnosticData = { fixes: WireFix[] } | { key: number };

/** 'stored': fixes stay on the server, `data.key` finds them (see fixKeyOf). */
export type FixTransport = 'inline' | 'stored';
let transport: FixTransport = 'inline';

/** Set once from the client's capabilities: one server process speaks to one client. */
export function setFixTransport(to: FixTransport): void {
  transport = to;
}

export function fixTransport(): FixTransport {
  return transport;
}

// A rule's docs link is sent only to clients that declare they show it (VS Code does); others would
// receive ~19,000 unused URLs per publish of a big file. Set once, before any diagnostic is made.
let docsLinks = true;

export function setDocsLinks(on: boolean): void {
  docsLinks = on;
}

const keys = new WeakMap<Finding, number>();
let nextKey = 1;

/**
 * A finding's key, the same for the same finding object: a statement that did not move keeps its
 * finding objects (and their offsets) from check to check, so the diagnostic and its key stay valid.
 */
export function fixKeyOf(f: Finding): number {
  let key = keys.get(f);
  if (key === undefined) keys.set(f, (key = nextKey++));
  return key;
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

export function toWireFix(lines: LineIndex, fix: Fix): WireFix {
  return {
    title: fix.title,
    edits: fix.edits.map((e) => ({ range: toRange(lines, e.start, e.end), newText: e.newText })),
    ...(fix.preferred ? { preferred: true } : {}),
    ...(fix.newFiles ? { newFiles: fix.newFiles } : {}),
  };
}

/**
 * A finding's diagnostic with, for each offset it converted, the line it fell on and that line's
 * start and the next line's start: the same finding object (a statement that did not move keeps
 * its findings) converts to the same positions while those lines start where they did.
 */
interface Converted {
  diagnostic: Diagnostic;
  /** [offset, line, lineStart, nextLineStart (-1 on the last line)] per converted offset. */
  anchors: number[];
  /** How far the finding lies from the offsets in `anchors` (a moved copy of the finding converted). */
  delta: number;
}

const converted: Record<FixTransport, WeakMap<Finding, Converted>> = { inline: new WeakMap(), stored: new WeakMap() };

// A keystroke moves the findings of every statement after it: new objects, same rule, message and
// fixes. They take the diagnostic of the finding they were moved from, which is reused while the
// lines it fell on moved by the same amount (a one-character edit moves no line below its own).
watchMovedFindings((from, to) => {
  const delta = to.span.start - from.span.start;
  for (const cache of [converted.inline, converted.stored]) {
    const hit = cache.get(from);
    if (hit) cache.set(to, { diagnostic: hit.diagnostic, anchors: hit.anchors, delta: hit.delta + delta });
  }
});

function offsetsOf(f: Finding, fixes: FixTransport): number[] {
  const out = [f.span.start, Math.max(f.span.start, f.span.end)];
  if (fixes === 'inline') for (const fix of f.fixes ?? []) for (const e of fix.edits) out.push(e.start, Math.max(e.start, e.end));
  return out;
}

/** Undefined when an offset sits near a line break, where the position also depends on the break's characters. */
function anchorsOf(lines: LineIndex, offsets: number[]): number[] | undefined {
  const out: number[] = [];
  for (const o of offsets) {
    const { line } = lines.positionAt(o);
    const start = lines.lineStart(line);
    const next = line + 1 < lines.lineCount ? lines.lineStart(line + 1) : -1;
    if (next >= 0 && o > next - 3) return undefined;
    out.push(o, line, start, next);
  }
  return out;
}

/** The anchored offsets, moved by `delta`, still fall on their lines at the same characters. */
function stillValid(lines: LineIndex, anchors: number[], delta: number): boolean {
  const count = lines.lineCount;
  for (let i = 0; i < anchors.length; i += 4) {
    const line = anchors[i + 1];
    if (line >= count || lines.lineStart(line) !== anchors[i + 2] + delta) return false;
    const next = line + 1 < count ? lines.lineStart(line + 1) : -1;
    if (next !== (anchors[i + 3] < 0 ? -1 : anchors[i + 3] + delta)) return false;
  }
  return true;
}

/** Two LSP ranges are the same positions. */
export function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

/**
 * The finding as an LSP diagnostic, reusing the one made for the same finding object when its
 * lines did not move: a keystroke in a 10,000-statement file republishes ~19,000 diagnostics,
 * most unchanged. The diagnostic returned is shared: callers must not change it.
 */
export function toDiagnostic(lines: LineIndex, f: Finding, fixes: FixTransport = transport): Diagnostic {
  const cache = converted[fixes];
  const hit = cache.get(f);
  if (hit && stillValid(lines, hit.anchors, hit.delta) && sameKey(f, hit.diagnostic)) return hit.diagnostic;
  const diagnostic = convert(lines, f, fixes);
  const anchors = anchorsOf(lines, offsetsOf(f, fixes));
  if (anchors) cache.set(f, { diagnostic, anchors, delta: 0 });
  return diagnostic;
}

/**
 * A moved finding taking over a diagnostic takes over its fix key, so code actions find it by the
 * key the client has; false when the finding already has another key.
 */
function sameKey(f: Finding, diagnostic: Diagnostic): boolean {
  const data = diagnostic.data as DiagnosticData | undefined;
  if (!data || !('key' in data)) return true;
  const key = keys.get(f);
  if (key === undefined) keys.set(f, data.key);
  return key === undefined || key === data.key;
}

function convert(lines: LineIndex, f: Finding, fixes: FixTransport): Diagnostic {
  const known = docsLinks && f.ruleId !== 'config';
  const diagnostic: Diagnostic = {
    range: toRange(lines, f.span.start, f.span.end),
    severity: SEVERITY[f.severity],
    code: f.ruleId,
    ...(known ? { codeDescription: { href: ruleDocsUrl(f.ruleId) } } : {}),
    source: 'ledgerlint',
    message: f.message,
  };
  if (f.fixes?.length) {
    const data: DiagnosticData = fixes === 'inline' ? { fixes: f.fixes.map((x) => toWireFix(lines, x)) } : { key: fixKeyOf(f) };
    diagnostic.data = data;
  }
  return diagnostic;
}
