// What "the same diagnostics" means: rule id, range, message, severity (and tags, related
// information, docs link), compared as sets per file; and the same fixes: fix-all's edits for the
// whole file, and the quick fixes of a sample of diagnostics, resolved as VS Code resolves them.
import type { Diagnostic } from 'vscode-languageserver';
import type { LspSession } from './lsp-session';

export interface Divergence {
  path: string;
  kind: 'missing' | 'extra' | 'fix-all' | 'quick-fix';
  /** The diagnostic (or fix) as the fresh server has it and as the edited one has it. */
  fresh?: unknown;
  edited?: unknown;
  /** Set by a classifying run: the edited server was right once the file was checked again. */
  stale?: boolean;
}

/** A diagnostic without its `data` (a key or fix payload that differs between servers by design). */
export function comparable(d: Diagnostic): string {
  const { code, severity, message, range, tags, relatedInformation, codeDescription, source } = d;
  return JSON.stringify({ code, severity, range, message, tags, relatedInformation, codeDescription, source });
}

function multiset(ds: Diagnostic[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const d of ds) m.set(comparable(d), (m.get(comparable(d)) ?? 0) + 1);
  return m;
}

/** Differences between the two servers' diagnostics of one file. */
export function diffDiagnostics(path: string, fresh: Diagnostic[], edited: Diagnostic[]): Divergence[] {
  const a = multiset(fresh);
  const b = multiset(edited);
  const out: Divergence[] = [];
  for (const [k, n] of a) for (let i = b.get(k) ?? 0; i < n; i++) out.push({ path, kind: 'missing', fresh: JSON.parse(k) });
  for (const [k, n] of b) for (let i = a.get(k) ?? 0; i < n; i++) out.push({ path, kind: 'extra', edited: JSON.parse(k) });
  return out;
}

/** Compares the fixes of one open file: all of fix-all's edits, and the quick fixes of `sample` diagnostics. */
export async function diffFixes(path: string, uri: string, fresh: LspSession, edited: LspSession, sample: (ds: Diagnostic[]) => Diagnostic[]): Promise<Divergence[]> {
  const out: Divergence[] = [];
  const [fa, fb] = await Promise.all([fresh.fixAll(uri), edited.fixAll(uri)]);
  if (JSON.stringify(fa) !== JSON.stringify(fb)) out.push({ path, kind: 'fix-all', ...editDifference(fa, fb) });
  const editedByKey = new Map(edited.diagnostics(uri).map((d) => [comparable(d), d]));
  for (const d of sample(fresh.diagnostics(uri))) {
    const twin = editedByKey.get(comparable(d));
    if (!twin) continue; // already reported as missing
    const [qa, qb] = await Promise.all([fresh.quickFixes(uri, d), edited.quickFixes(uri, twin)]);
    if (JSON.stringify(qa) !== JSON.stringify(qb)) out.push({ path, kind: 'quick-fix', fresh: { diagnostic: JSON.parse(comparable(d)), fixes: qa }, edited: qb });
  }
  return out;
}

/** The edits only one side has (or, when they hold the same edits, both lists: then only the order differs). */
function editDifference(fresh: unknown[], edited: unknown[]): { fresh: unknown; edited: unknown } {
  const count = (xs: unknown[]) => {
    const m = new Map<string, number>();
    for (const x of xs) m.set(JSON.stringify(x), (m.get(JSON.stringify(x)) ?? 0) + 1);
    return m;
  };
  const a = count(fresh);
  const b = count(edited);
  const only = (x: Map<string, number>, y: Map<string, number>) => [...x].flatMap(([k, n]) => Array.from({ length: Math.max(0, n - (y.get(k) ?? 0)) }, () => JSON.parse(k)));
  const onlyFresh = only(a, b);
  const onlyEdited = only(b, a);
  if (onlyFresh.length || onlyEdited.length) return { fresh: onlyFresh, edited: onlyEdited };
  return { fresh: { order: fresh }, edited: { order: edited } };
}
