// Which findings a file over the diagnostics cap publishes. VS Code keeps 1,000 diagnostics per file
// and cuts the rest itself (errors first, then in the order given); we cut first, so it never does,
// and cut better: errors, then the findings in and around what the user is looking at, then the rest
// in file order, and one notice of our own saying how many are not shown and how to see them.
// Only the published units are converted to LSP: the others are counted, never built.
import type { Diagnostic, Range } from 'vscode-languageserver';
import type { LineIndex } from '../sql/offsets';
import type { FindingUnit, MadeDiagnostic, SeverityCounts } from './statement-diagnostics';

/** Offsets [start, end) of the text. */
export type Span = readonly [number, number];

export interface Selection {
  /** The published findings' diagnostics, in file order. */
  made: MadeDiagnostic[];
  /** The spans whose findings were all published: a view inside them needs no new publish. Empty: any other view does. */
  covered: Span[];
}

/** Screens of margin above and below each visible range, so scrolling a little publishes nothing new. */
const MARGIN_SCREENS = 3;
const MIN_MARGIN_LINES = 40;

/** The visible ranges as offsets, and the same with the margin. */
export function windowOf(lines: LineIndex, visible: readonly Range[], textLength: number): { visible: Span[]; window: Span[] } {
  const last = lines.lineCount - 1;
  const offset = (line: number) => (line > last ? textLength : lines.lineStart(Math.max(0, line)));
  const out = { visible: [] as Span[], window: [] as Span[] };
  for (const r of visible) {
    const from = Math.min(r.start.line, r.end.line);
    const to = Math.max(r.start.line, r.end.line);
    const margin = Math.max(MIN_MARGIN_LINES, MARGIN_SCREENS * (to - from + 1));
    out.visible.push([offset(from), offset(to + 1)]);
    out.window.push([offset(from - margin), offset(to + 1 + margin)]);
  }
  return out;
}

function overlaps(u: FindingUnit, spans: readonly Span[]): boolean {
  return spans.some(([s, e]) => u.start < e && u.end >= s);
}

function distance(u: FindingUnit, spans: readonly Span[]): number {
  let best = Infinity;
  for (const [s, e] of spans) best = Math.min(best, u.end < s ? s - u.end : u.start >= e ? u.start - e + 1 : 0);
  return best;
}

/**
 * Up to `budget` findings of `units` (in file order): errors (nearest the visible ranges first, when
 * there are more errors than the budget), then the units in the window nearest the visible ranges
 * first, then the rest in file order. Undefined when a unit cannot be converted on its own (the
 * caller then passes one unit per finding).
 */
export function selectFindings(units: readonly FindingUnit[], budget: number, view?: { visible: Span[]; window: Span[] }): Selection | undefined {
  const made = new Map<number, readonly MadeDiagnostic[]>();
  const taken = new Map<number, Set<number>>();
  let left = budget;
  let failed = false;
  const convert = (i: number) => {
    let list = made.get(i);
    if (!list) {
      list = units[i].convert();
      if (!list) failed = true;
      made.set(i, (list ??= []));
    }
    return list;
  };
  const take = (i: number, wanted: (d: MadeDiagnostic) => boolean): void => {
    const list = convert(i);
    let set = taken.get(i);
    for (let k = 0; k < list.length && left > 0; k++) {
      if (set?.has(k) || !wanted(list[k])) continue;
      if (!set) taken.set(i, (set = new Set()));
      set.add(k);
      left--;
    }
  };
  const isError = (d: MadeDiagnostic) => d.finding.severity === 'error';
  const any = () => true;
  // The units in the window, nearest the visible ranges first.
  const near: Array<{ i: number; d: number }> = [];
  const withErrors: Array<{ i: number; d: number }> = [];
  for (let i = 0; i < units.length; i++) {
    const u = units[i];
    if (view && overlaps(u, view.window)) near.push({ i, d: distance(u, view.visible) });
    if (u.counts.error > 0) withErrors.push({ i, d: view ? distance(u, view.visible) : 0 });
  }
  near.sort((a, b) => a.d - b.d || a.i - b.i);
  if (view) withErrors.sort((a, b) => a.d - b.d || a.i - b.i);
  for (const { i } of withErrors) if (left > 0) take(i, isError);
  const inWindow = new Set(near.map(({ i }) => i));
  for (const { i } of near) if (left > 0) take(i, any);
  for (let i = 0; i < units.length && left > 0; i++) if (!inWindow.has(i)) take(i, any);
  if (failed) return undefined;
  const out: MadeDiagnostic[] = [];
  for (let i = 0; i < units.length; i++) {
    const set = taken.get(i);
    if (set) made.get(i)!.forEach((m, k) => set.has(k) && out.push(m));
  }
  return { made: out, covered: view ? coveredBy(view, near, (i) => (taken.get(i)?.size ?? 0) === units[i].counts.error + units[i].counts.warning + units[i].counts.info + units[i].counts.hint) : [] };
}

/**
 * What a later view may show without a new publish: around the visible ranges, as far as every unit
 * nearer than the nearest one not wholly published (the whole window when all of it was).
 */
function coveredBy(view: { visible: Span[]; window: Span[] }, near: ReadonlyArray<{ i: number; d: number }>, whole: (i: number) => boolean): Span[] {
  const first = near.find(({ i }) => !whole(i));
  if (!first) return view.window;
  const r = first.d - 1;
  return r < 0 ? [] : view.visible.map(([s, e]) => [s - r, e + r] as const);
}

const n = (x: number) => x.toLocaleString('en');

/** The notice on line 1 of a capped file: how many findings are not shown, of which severities, and how to see them. */
export function notShownNotice(total: SeverityCounts, shown: readonly MadeDiagnostic[], cap: number, displayPath: string): Diagnostic {
  const hidden = { ...total };
  for (const m of shown) hidden[m.finding.severity]--;
  const all = total.error + total.warning + total.info + total.hint;
  const count = hidden.error + hidden.warning + hidden.info + hidden.hint;
  const kinds = (['error', 'warning', 'info', 'hint'] as const).filter((s) => hidden[s] > 0).map((s) => `${n(hidden[s])} ${s === 'info' ? 'information' : s}${hidden[s] === 1 || s === 'info' ? '' : 's'}`);
  const message =
    `Ledgerlint found ${n(all)} problems in this file and shows ${n(shown.length)}: errors first, then those around what you are looking at. ` +
    `${n(count)} more are not shown (${kinds.join(', ')}): editors keep at most about 1,000 problems per file, and sending them all would slow every keystroke. ` +
    `See them all with \`npx ledgerlint check ${displayPath}\`, or raise ledgerlint.maxDiagnosticsPerFile (now ${n(cap)}; 0 shows all).`;
  return { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: 3, source: 'ledgerlint', message };
}
