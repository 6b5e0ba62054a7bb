// Publishes a check (a SQL file's, or a Drizzle TypeScript file's) within ledgerlint.maxDiagnosticsPerFile
// (see publish-selection.ts for which findings), and publishes again when the user scrolls out of what
// was published. The VS Code client
// sends the visible ranges of its visible editors (`ledgerlint/visibleRanges`); other clients send
// none and get errors, then file order. Code actions and fix-all still see every finding: what the
// server keeps for them covers the unpublished ones, converted only when fix-all first reads them.
import type { Diagnostic, Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding } from '../engine/types';
import { shiftFinding } from '../engine/relative-findings';
import type { SqlFile } from '../sql/document';
import type { LineIndex } from '../sql/offsets';
import type { DiagnosticData } from './diagnostics';
import type { VisibleRangesParams } from './visible-ranges';
import { notShownNotice, selectFindings, windowOf, type Span } from './publish-selection';
import { findingUnits, lintDiagnostics, totalCounts, type ConvertedLint, type FindingUnit, type MadeDiagnostic, type SeverityCounts } from './statement-diagnostics';


/** The checked text: a SQL file (its findings converted statement by statement) or any other text (finding by finding). */
export interface CheckedText {
  readonly text: string;
  readonly lines: LineIndex;
}

export interface CheckToPublish {
  result: { readonly findings: readonly Finding[]; readonly file: SqlFile | CheckedText };
  /** Notices published before and after the findings (a skipped part of the file, a shadow database error); they count against the cap. */
  leading: Diagnostic[];
  trailing: Diagnostic[];
  /** ledgerlint.maxDiagnosticsPerFile: 0 publishes everything. */
  cap: number;
  /** How the notice names the file for `npx ledgerlint check <file>`. */
  displayPath: string;
}

export interface Published {
  /** Every diagnostic of the check (what fix-all reads); for a capped file made on first read. */
  diagnostics: Diagnostic[];
  /** The finding behind a diagnostic's `data.key`, published or not. */
  findingOf: (key: number) => Finding | undefined;
}

interface CappedState {
  version: number;
  check: CheckToPublish;
  covered: Span[];
  /** The check's units and their counts, kept for republishing the same version on a scroll. */
  units: FindingUnit[];
  counts: SeverityCounts;
  keys: Map<number, { f: Finding; delta: number }>;
}

/** Diagnostics published by capped publishes and by republishes on scrolls: for tests and benches. */
export const publishStats = { capped: 0, republished: 0 };

/**
 * A list whose items are made on first access (fix-all on a capped file): a keystroke's check must
 * not convert the ~18,000 findings it does not publish, but fix-all must still see them.
 */
function lazyList<T>(make: () => T[]): T[] {
  let made: T[] | undefined;
  const list = () => (made ??= make());
  return new Proxy([] as T[], {
    get: (_t, p) => Reflect.get(list(), p),
    has: (_t, p) => Reflect.has(list(), p),
    ownKeys: () => Reflect.ownKeys(list()),
    getOwnPropertyDescriptor: (_t, p) => {
      const d = Reflect.getOwnPropertyDescriptor(list(), p);
      // A proxy may report a property as configurable only when its target has it so.
      return d && p !== 'length' ? { ...d, configurable: true } : d;
    },
  });
}

export class CappedPublisher {
  private visible = new Map<string, Range[]>();
  private readonly states = new WeakMap<TextDocument, CappedState>();
  /** Per document, what the editor was sent last (a scroll's republish included): what a quick look starts from. */
  private readonly sent = new WeakMap<TextDocument, { version: number; diagnostics: readonly Diagnostic[] }>();
  private readonly send: (uri: string, version: number, diagnostics: Diagnostic[]) => void;

  constructor(
    send: (uri: string, version: number, diagnostics: Diagnostic[]) => void,
    private readonly documentOf: (uri: string) => TextDocument | undefined,
  ) {
    this.send = (uri, version, diagnostics) => {
      const doc = this.documentOf(uri);
      if (doc) this.sent.set(doc, { version, diagnostics });
      send(uri, version, diagnostics);
    };
  }

  /** The diagnostics last sent for the document at `version`; undefined when the last send was for another version. */
  lastSent(doc: TextDocument, version: number): readonly Diagnostic[] | undefined {
    const last = this.sent.get(doc);
    return last?.version === version ? last.diagnostics : undefined;
  }

  /** Sends diagnostics made elsewhere (a quick look), in place of the document's last publish. */
  sendAsIs(doc: TextDocument, diagnostics: readonly Diagnostic[]): void {
    this.states.delete(doc);
    this.send(doc.uri, doc.version, [...diagnostics]);
  }

  publish(doc: TextDocument, check: CheckToPublish): Published {
    this.states.delete(doc);
    const { result, leading, trailing, cap } = check;
    const units = findingUnits(result);
    const counts = totalCounts(units);
    const total = counts.error + counts.warning + counts.info + counts.hint;
    if (cap === 0 || total + leading.length + trailing.length <= cap) {
      const converted = lintDiagnostics(result);
      const diagnostics = [...leading, ...converted.diagnostics, ...trailing];
      this.send(doc.uri, doc.version, diagnostics);
      return { diagnostics, findingOf: converted.findingOf };
    }
    let full: ConvertedLint | undefined;
    const all = () => (full ??= lintDiagnostics(result));
    const state: CappedState = { version: doc.version, check, covered: [], units, counts, keys: new Map() };
    this.states.set(doc, state);
    this.sendSelection(doc, state);
    publishStats.capped++;
    return {
      diagnostics: lazyList(() => [...leading, ...all().diagnostics, ...trailing]),
      findingOf: (key) => {
        const hit = state.keys.get(key);
        return hit ? shiftFinding(hit.f, hit.delta) : all().findingOf(key);
      },
    };
  }

  /** The client's visible editors changed or scrolled: republish a capped file whose view left what was published. */
  setVisible(params: VisibleRangesParams): void {
    const editors = Array.isArray(params?.editors) ? params.editors.filter((e) => typeof e?.uri === 'string' && Array.isArray(e.ranges)) : [];
    const visible = new Map<string, Range[]>();
    for (const e of editors) visible.set(e.uri, [...(visible.get(e.uri) ?? []), ...e.ranges.filter(isRange)]);
    this.visible = visible;
    for (const [uri, ranges] of visible) {
      const doc = this.documentOf(uri);
      const state = doc && this.states.get(doc);
      if (!doc || !state || state.version !== doc.version || ranges.length === 0) continue;
      const file = state.check.result.file;
      const { visible: spans } = windowOf(file.lines, ranges, file.text.length);
      if (spans.every(([s, e]) => state.covered.some(([cs, ce]) => s >= cs && e <= ce))) continue;
      this.sendSelection(doc, state);
      publishStats.republished++;
    }
  }

  private sendSelection(doc: TextDocument, state: CappedState): void {
    const { result, leading, trailing, cap, displayPath } = state.check;
    const file = result.file;
    const budget = Math.max(0, cap - 1 - leading.length - trailing.length);
    const ranges = this.visible.get(doc.uri);
    const view = ranges?.length ? windowOf(file.lines, ranges, file.text.length) : undefined;
    let selection = selectFindings(state.units, budget, view);
    if (!selection) {
      // A statement that cannot be converted on its own: finding by finding, from now on for this version.
      state.units = findingUnits(result, undefined, true);
      selection = selectFindings(state.units, budget, view)!;
    }
    state.covered = selection.covered;
    for (const m of selection.made) remember(state.keys, m);
    const notice = notShownNotice(state.counts, selection.made, cap, displayPath);
    this.send(doc.uri, doc.version, [...leading, notice, ...selection.made.map((m) => m.diagnostic), ...trailing]);
  }
}

function remember(keys: CappedState['keys'], m: MadeDiagnostic): void {
  const data = m.diagnostic.data as DiagnosticData | undefined;
  if (data && 'key' in data) keys.set(data.key, { f: m.finding, delta: m.delta });
}

function isRange(r: unknown): r is Range {
  const x = r as Range;
  return !!x && typeof x.start?.line === 'number' && typeof x.end?.line === 'number' && x.start.line >= 0 && x.end.line >= 0;
}
