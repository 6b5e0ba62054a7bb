// Cached findings are tied to their statement's start: the copy handed out is remembered with the
// offset it was made for, so a keystroke re-creates only the findings of statements that moved
// since the last lint (not, as before, every finding after the first edit ever made, on every
// keystroke), and a finding handed out is never changed afterwards.
import type { Finding, Fix, TextEdit } from './types';

// Edits are written out too (a TextEdit is these three fields); a fix keeps its spread, as its
// optional fields are absent rather than undefined on the finding it was made from.
function shiftFix(fix: Fix, delta: number): Fix {
  const edits: TextEdit[] = new Array(fix.edits.length);
  for (let i = 0; i < edits.length; i++) {
    const e = fix.edits[i];
    edits[i] = { start: e.start + delta, end: e.end + delta, newText: e.newText };
  }
  return { ...fix, edits };
}

function shiftFixes(fixes: readonly Fix[], delta: number): Fix[] {
  const out: Fix[] = new Array(fixes.length);
  for (let i = 0; i < fixes.length; i++) out[i] = shiftFix(fixes[i], delta);
  return out;
}

// Written out field by field, in the order Collector.finding makes them: every moved finding then
// has the hidden class of a new one (moving 10,000 findings took 1.3-1.9x as long with a spread copy,
// and a keystroke near the top of a 10,000-statement file moves ~19,000 of them).
/**
 * Told of each finding moved (`to` is `from` at another offset, same rule, message and fixes): the
 * language server reuses `from`'s diagnostic for `to` while its lines moved with it.
 */
let onMoved: ((from: Finding, to: Finding) => void) | undefined;

export function watchMovedFindings(fn: (from: Finding, to: Finding) => void): void {
  onMoved = fn;
}

export function shiftFinding(f: Finding, delta: number): Finding {
  if (delta === 0) return f;
  const moved = movedCopy(f, delta);
  onMoved?.(f, moved);
  return moved;
}

function movedCopy(f: Finding, delta: number): Finding {
  const span = f.span;
  const fixes = f.fixes;
  return {
    ruleId: f.ruleId,
    messageId: f.messageId,
    message: f.message,
    severity: f.severity,
    span: { start: span.start + delta, end: span.end + delta },
    data: f.data,
    fixes: fixes && shiftFixes(fixes, delta),
  };
}

/**
 * Findings of one statement with the offset of the statement they were made for. Moving them
 * makes new objects from the last copy; no copy handed out is ever changed, and no second copy
 * at offset 0 is kept (a 10,000-statement file caches ~19,000 findings).
 */
export class AnchoredFindings {
  constructor(
    private findings: readonly Finding[],
    private base: number,
  ) {}

  /** How many findings there are, wherever the statement is. */
  get size(): number {
    return this.findings.length;
  }

  /**
   * Whether `list`, made for the statement at `base`, is these findings moved there: equal in every
   * field (keys in the same order, as JSON writes them) but for offsets, which differ by the move.
   */
  sameAs(list: readonly Finding[], base: number): boolean {
    const mine = this.findings;
    if (mine.length !== list.length) return false;
    const delta = base - this.base;
    for (let i = 0; i < mine.length; i++) if (!movedBy(mine[i], list[i], delta)) return false;
    return true;
  }

  /** The findings for the statement now starting at `base`. */
  at(base: number): readonly Finding[] {
    if (base !== this.base) {
      const delta = base - this.base;
      if (this.findings.length) this.findings = this.findings.map((f) => shiftFinding(f, delta));
      this.base = base;
    }
    return this.findings;
  }
}

/** `b` is `a` moved by `delta`. */
function movedBy(a: Finding, b: Finding, delta: number): boolean {
  if (a === b) return delta === 0;
  if (a.ruleId !== b.ruleId || a.messageId !== b.messageId || a.message !== b.message || a.severity !== b.severity) return false;
  if (a.span.start + delta !== b.span.start || a.span.end + delta !== b.span.end || !sameFields(a, b) || !sameFields(a.data, b.data)) return false;
  const fa = a.fixes;
  const fb = b.fixes;
  if (!fa || !fb) return fa === fb;
  if (fa.length !== fb.length) return false;
  for (let i = 0; i < fa.length; i++) {
    const x = fa[i];
    const y = fb[i];
    if (x.title !== y.title || x.preferred !== y.preferred || x.newFiles !== y.newFiles || !sameFields(x, y) || x.edits.length !== y.edits.length) return false;
    for (let k = 0; k < x.edits.length; k++) {
      const e = x.edits[k];
      const f = y.edits[k];
      if (e.start + delta !== f.start || e.end + delta !== f.end || e.newText !== f.newText || !sameFields(e, f)) return false;
    }
  }
  return true;
}

/** The same keys in the same order, and the same values but for objects (compared by the caller). */
function sameFields(a: object | undefined, b: object | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    if (ka[i] !== kb[i]) return false;
    const va = (a as Record<string, unknown>)[ka[i]];
    if (typeof va !== 'object' && va !== (b as Record<string, unknown>)[kb[i]]) return false;
  }
  return true;
}
