// Code actions from the diagnostics VS Code hands back: each rule's declared fixes (inline in the
// diagnostic, or found by its key among the stored findings), plus "disable for this line / file".
// Nothing here lints again.
import type { CodeAction, Diagnostic, TextEdit, WorkspaceEdit } from 'vscode-languageserver';
import { CodeActionKind } from 'vscode-languageserver';
import type { LineIndex } from '../sql/offsets';
import type { WireFix } from './diagnostics';
import type { FixLookup } from './stored-findings';

export const FIX_ALL_KIND = 'source.fixAll.ledgerlint';

export interface DocumentView {
  uri: string;
  text: string;
  lines: LineIndex;
  /** Comment prefix of the language: `--` for SQL, `//` for TypeScript. */
  comment: string;
  /** Resolves a workspace-relative path of a new file to a URI. */
  resolveNewFile?: (path: string) => string;
}

/** Ledgerlint diagnostics that are notices about the check itself, not a rule's finding: nothing to disable. */
const NOTICES = new Set(['large-file', 'shadow-database']);

/** The rule of a finding's diagnostic (its `code`), or undefined for anything else. */
function ruleOf(d: Diagnostic): string | undefined {
  return d.source === 'ledgerlint' && typeof d.code === 'string' && !NOTICES.has(d.code) ? d.code : undefined;
}

/** The diagnostic's fixes: inline in `data.fixes`, or the stored finding's that `data.key` names. */
function fixesOf(d: Diagnostic, lookup: FixLookup | undefined): readonly WireFix[] {
  const data = d.data as { fixes?: unknown; key?: unknown } | undefined;
  if (!data || typeof data !== 'object') return [];
  if (Array.isArray(data.fixes)) return data.fixes as WireFix[];
  return typeof data.key === 'number' && lookup ? lookup(data.key) : [];
}

function fixEdit(doc: DocumentView, fix: WireFix): WorkspaceEdit {
  if (!fix.newFiles?.length || !doc.resolveNewFile) return { changes: { [doc.uri]: fix.edits } };
  const documentChanges: WorkspaceEdit['documentChanges'] = [];
  for (const f of fix.newFiles) {
    const uri = doc.resolveNewFile(f.path);
    documentChanges.push({ kind: 'create', uri, options: { ignoreIfExists: true } });
    documentChanges.push({ textDocument: { uri, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: f.text }] });
  }
  if (fix.edits.length) documentChanges.push({ textDocument: { uri: doc.uri, version: null }, edits: fix.edits });
  return { documentChanges };
}

function indentOf(doc: DocumentView, line: number): string {
  const text = doc.text.slice(doc.lines.lineStart(line), doc.lines.lineEnd(line));
  return /^[ \t]*/.exec(text)?.[0] ?? '';
}

function newline(doc: DocumentView): string {
  return doc.text.includes('\r\n') ? '\r\n' : '\n';
}

/** Adds the rule to an existing directive on the line above, or inserts a new directive line. */
export function disableLineEdit(doc: DocumentView, line: number, ruleId: string): TextEdit {
  if (line > 0) {
    const prevStart = doc.lines.lineStart(line - 1);
    const prevEnd = doc.lines.lineEnd(line - 1);
    const prev = doc.text.slice(prevStart, prevEnd);
    const m = /ledgerlint-disable-next-line([^\n]*?)\s*(\*\/)?\s*$/.exec(prev);
    if (m && m[1].trim()) {
      const at = prevStart + (m.index ?? 0) + 'ledgerlint-disable-next-line'.length + m[1].length;
      const pos = doc.lines.positionAt(at);
      return { range: { start: pos, end: pos }, newText: `, ${ruleId}` };
    }
  }
  const start = { line, character: 0 };
  return { range: { start, end: start }, newText: `${indentOf(doc, line)}${doc.comment} ledgerlint-disable-next-line ${ruleId}${newline(doc)}` };
}

export function disableFileEdit(doc: DocumentView, ruleId: string): TextEdit {
  const start = { line: 0, character: doc.text.startsWith('\uFEFF') ? 1 : 0 };
  return { range: { start, end: start }, newText: `${doc.comment} ledgerlint-disable-file ${ruleId}${newline(doc)}` };
}

export function codeActionsFor(doc: DocumentView, diagnostics: readonly Diagnostic[], only?: readonly string[], lookup?: FixLookup): CodeAction[] {
  const wants = (kind: string) => !only || only.some((k) => kind === k || kind.startsWith(k + '.'));
  const actions: CodeAction[] = [];
  const disabled = new Set<string>();
  for (const d of diagnostics) {
    const ruleId = ruleOf(d);
    if (!ruleId) continue;
    if (wants(CodeActionKind.QuickFix)) {
      for (const fix of fixesOf(d, lookup)) {
        actions.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: fix.preferred === true, edit: fixEdit(doc, fix) });
      }
      const key = `${ruleId}:${d.range.start.line}`;
      if (!disabled.has(key)) {
        disabled.add(key);
        actions.push({
          title: `Disable ${ruleId} for this line`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [d],
          edit: { changes: { [doc.uri]: [disableLineEdit(doc, d.range.start.line, ruleId)] } },
        });
        if (!disabled.has(ruleId)) {
          disabled.add(ruleId);
          actions.push({
            title: `Disable ${ruleId} for the entire file`,
            kind: CodeActionKind.QuickFix,
            diagnostics: [d],
            edit: { changes: { [doc.uri]: [disableFileEdit(doc, ruleId)] } },
          });
        }
      }
    }
  }
  if (only?.some((k) => FIX_ALL_KIND.startsWith(k) || k === CodeActionKind.SourceFixAll)) {
    const edits = fixAllEdits(diagnostics, lookup);
    if (edits.length) actions.push({ title: 'Fix all auto-fixable Ledgerlint problems', kind: FIX_ALL_KIND, edit: { changes: { [doc.uri]: edits } } });
  }
  return actions;
}

function cmp(a: { line: number; character: number }, b: { line: number; character: number }): number {
  return a.line - b.line || a.character - b.character;
}

const sameEdit = (a: TextEdit, b: TextEdit) => a.newText === b.newText && cmp(a.range.start, b.range.start) === 0 && cmp(a.range.end, b.range.end) === 0;

/**
 * The preferred fix of every diagnostic, dropping any that overlaps one already taken. An edit equal
 * to one taken (the import every Drizzle money fix adds) is shared, not a clash: it is sent once.
 */
export function fixAllEdits(diagnostics: readonly Diagnostic[], lookup?: FixLookup): TextEdit[] {
  const taken: TextEdit[] = [];
  for (const d of diagnostics) {
    const fix = fixesOf(d, lookup).find((f) => f.preferred && !f.newFiles?.length);
    if (!fix) continue;
    const fresh = fix.edits.filter((e) => !taken.some((t) => sameEdit(e, t)));
    const overlaps = fresh.some((e) => taken.some((t) => cmp(e.range.start, t.range.end) < 0 && cmp(t.range.start, e.range.end) < 0));
    if (!overlaps) taken.push(...fresh);
  }
  return taken;
}
