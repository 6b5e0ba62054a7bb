// A keystroke in a file whose check is slow (a 10,000-statement file takes ~150-250 ms) gets a quick
// look first, the way tsserver answers syntax errors before the type checker: the statements the
// edit touched are checked by the statement rules (syntax errors, float money, timestamps...), which
// read nothing but the statement, and every other diagnostic the editor has is carried over, moved
// with the text. The complete check follows once typing pauses (lsp/document-checks.ts), and any
// request that needs its answer (hover, code actions, lenses) runs it at once. A look that would
// not be exact enough (an open quote running to the end of the file, many statements touched)
// is not made: the complete check runs as before.
import type { Diagnostic, Range } from 'vscode-languageserver/node';
import type { ResolvedConfig } from '../engine/config';
import { lintSqlFile } from '../engine/linter';
import { shiftFinding } from '../engine/relative-findings';
import type { RuleDefinition } from '../engine/rule';
import { collectSuppressions, isSuppressed } from '../engine/suppressions';
import { keepWarm, parseSqlFile, StatementCache } from '../sql/document';
import { textChange, updateSplit, type TextChange } from '../sql/incremental-split';
import { LineIndex } from '../sql/offsets';
import type { Segment } from '../sql/statement';
import { sameRange, toDiagnostic, type DiagnosticData, type WireFix } from './diagnostics';

/** What the editor was last sent for a document: the diagnostics and the text their ranges belong to. */
export interface SentView {
  readonly text: string;
  readonly lines: LineIndex;
  readonly segments: readonly Segment[];
  /** The split's segments that depended on the text up to the end of the file (SqlFile.eofDependent); undefined when unknown. */
  readonly eofDependent: readonly number[] | undefined;
  readonly diagnostics: readonly Diagnostic[];
}

export interface QuickLookInput {
  path: string;
  config: ResolvedConfig;
  /** The statement-scoped rules (which read one statement and nothing else). */
  rules: readonly RuleDefinition[];
  /** ledgerlint.maxDiagnosticsPerFile (0: no cap): the look drops carried findings far from the edit to stay within it. */
  cap: number;
}

/** Beyond this much re-split text the look costs what it saves (and a paste is not typing). */
const MAX_LOOK_CHARS = 20_000;

/** The diagnostics to show for `text` now, from what was sent for an earlier text; undefined when no exact-enough look can be made. */
export function quickLook(sent: SentView, text: string, input: QuickLookInput): SentView | undefined {
  // A construct left open (a quote, a dollar quote) was searched for to the end of the file: the
  // statements after the edit may all change, which the complete check's re-split handles.
  if (!sent.eofDependent || sent.eofDependent.length) return undefined;
  const change = textChange(sent.text, text);
  const update = updateSplit({ text: sent.text, segments: sent.segments, eofDependent: sent.eofDependent }, text, change);
  if (!update || update.state.eofDependent.length) return undefined;
  const segments = update.state.segments;
  const from = update.keptBefore > 0 ? segments[update.keptBefore].start : 0;
  const to = update.resumeNew < segments.length ? segments[update.resumeNew].start : text.length;
  const oldFrom = update.keptBefore > 0 ? sent.segments[update.keptBefore].start : 0;
  const oldTo = update.resumeOld < sent.segments.length ? sent.segments[update.resumeOld].start : sent.text.length;
  if (to - from > MAX_LOOK_CHARS) return undefined;

  const lines = LineIndex.edited(sent.lines, text, change);
  const looked = lookAt(text, from, to, lines, input);
  const statementRules = new Set(input.rules.map((r) => r.meta.id));
  const carried: Diagnostic[] = [];
  const edited: Edited = { change, from: Math.min(oldFrom, change.start), to: Math.max(oldTo, change.oldEnd) };
  for (const d of sent.diagnostics) {
    const start = sent.lines.offsetAt(d.range.start);
    // The statement rules' findings in the re-checked statements are replaced by the look's.
    if (statementRules.has(String(d.code)) && start >= oldFrom && start < oldTo) continue;
    carried.push(moved(d, sent.lines, lines, edited));
  }
  const excess = input.cap > 0 ? carried.length + looked.length - input.cap : 0;
  const kept = excess > 0 ? withoutFarthest(carried, excess, lines.positionAt(change.start).line) : carried;
  return { text, lines, segments, eofDependent: update.state.eofDependent, diagnostics: [...kept, ...looked] };
}

/** The statement rules' diagnostics for the statements in `[from, to)` of `text`. */
function lookAt(text: string, from: number, to: number, lines: LineIndex, input: QuickLookInput): Diagnostic[] {
  const file = parseSqlFile(input.path, text.slice(from, to), new StatementCache());
  const output = lintSqlFile({ file, config: input.config, rules: input.rules });
  // The complete check that follows takes these parses instead of parsing the statements again.
  keepWarm(file.statements);
  const suppressions = text.includes('ledgerlint-disable-') ? suppressionsAround(text, lines) : undefined;
  const out: Diagnostic[] = [];
  for (const f of output.findings) {
    const finding = shiftFinding(f, from);
    if (suppressions && isSuppressed(suppressions(finding.span.start), finding.ruleId, lines.positionAt(finding.span.start).line + 1)) continue;
    out.push(toDiagnostic(lines, finding));
  }
  return out;
}

/**
 * The suppressions that apply at an offset: the file's `ledgerlint-disable-file` comments (anywhere
 * in the text) and a `disable-next-line` on the line before (which may lie before the looked-at text).
 */
function suppressionsAround(text: string, lines: LineIndex): (offset: number) => ReturnType<typeof collectSuppressions> {
  const file = text.includes('ledgerlint-disable-file') ? collectSuppressions(text, lines).file : new Set<string>();
  return (offset) => {
    const line = lines.positionAt(offset).line;
    const previous = line > 0 ? text.slice(lines.lineStart(line - 1), lines.lineStart(line)) : '';
    const own = collectSuppressions(previous, new LineIndex(previous)).lines.get(1);
    return { file, lines: new Map(own ? [[line + 1, own]] : []) };
  };
}

/**
 * `carried` less `count` of its findings, the farthest from `line` first and errors last, so that the
 * look stays within ledgerlint.maxDiagnosticsPerFile (a capped file's publish is full, and the look
 * may show findings of the edited statements that were not published). Notices (no rule) stay.
 */
function withoutFarthest(carried: Diagnostic[], count: number, line: number): Diagnostic[] {
  const rank = (d: Diagnostic) => (d.severity === 1 ? 0 : 1e9) + Math.abs(d.range.start.line - line);
  const droppable = carried.filter((d) => d.code !== undefined).sort((a, b) => rank(b) - rank(a));
  const dropped = new Set(droppable.slice(0, count));
  return carried.filter((d) => !dropped.has(d));
}

/** The text change, and the old text's statements it re-split (the change included). */
interface Edited {
  change: TextChange;
  from: number;
  to: number;
}

/**
 * The diagnostic with its range moved through the edit (a range inside the edited text shrinks to
 * its edge), and its inline fixes (clients that take them in the diagnostics: Neovim, Helix) moved
 * too. A fix is withheld until the complete check when an edit of it falls in the re-split
 * statements, or its finding does: what it writes may come from the text that was just typed over.
 */
function moved(d: Diagnostic, before: LineIndex, after: LineIndex, edited: Edited): Diagnostic {
  const { change } = edited;
  const start = before.offsetAt(d.range.start);
  const end = before.offsetAt(d.range.end);
  const data = d.data as DiagnosticData | undefined;
  const fixes = data && 'fixes' in data ? movedFixes(data.fixes, start >= edited.from && start < edited.to, before, after, edited) : undefined;
  const unchangedData = fixes === undefined || fixes === (data as { fixes: WireFix[] }).fixes;
  if (end < change.start && unchangedData) return d;
  const range: Range = end < change.start ? d.range : { start: after.positionAt(mapOffset(start, change)), end: after.positionAt(mapOffset(end, change)) };
  if (sameRange(range, d.range) && unchangedData) return d;
  const out: Diagnostic = { ...d, range };
  if (unchangedData) return out;
  if (fixes.length) out.data = { fixes } satisfies DiagnosticData;
  else delete out.data;
  return out;
}

/** `fixes` with their edits moved through the edit, less those withheld; the same array when none moved. */
function movedFixes(fixes: WireFix[], findingEdited: boolean, before: LineIndex, after: LineIndex, edited: Edited): WireFix[] {
  if (findingEdited) return [];
  const out: WireFix[] = [];
  for (const fix of fixes) {
    const edits = movedEdits(fix.edits, before, after, edited);
    if (edits) out.push(edits === fix.edits ? fix : { ...fix, edits });
  }
  return out.length === fixes.length && out.every((f, i) => f === fixes[i]) ? fixes : out;
}

/** The edits moved through the edit; undefined when one falls in the re-split statements; the same array when none moved. */
function movedEdits(edits: WireFix['edits'], before: LineIndex, after: LineIndex, edited: Edited): WireFix['edits'] | undefined {
  const out: WireFix['edits'] = [];
  for (const e of edits) {
    const s = before.offsetAt(e.range.start);
    const t = before.offsetAt(e.range.end);
    // Before the re-split statements nothing moved; after them the text only shifted.
    if (t < edited.from) out.push(e);
    else if (s >= edited.to) {
      const range: Range = { start: after.positionAt(mapOffset(s, edited.change)), end: after.positionAt(mapOffset(t, edited.change)) };
      out.push(sameRange(range, e.range) ? e : { ...e, range });
    } else return undefined;
  }
  return out.every((e, i) => e === edits[i]) ? edits : out;
}

function mapOffset(offset: number, change: TextChange): number {
  if (offset <= change.start) return offset;
  if (offset >= change.oldEnd) return offset + change.newEnd - change.oldEnd;
  return change.start;
}
