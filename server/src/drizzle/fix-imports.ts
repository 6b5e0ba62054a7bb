// A quick fix that writes `numeric(...)` in a file importing only `real` must also import
// `numeric`, or the fixed file does not compile: fixes are given the missing named imports.
// Every fix of the Drizzle declarations passes here, so this is also where fixes that "fix all"
// cannot apply together are told apart.
import ts from 'typescript';
import type { Finding, Fix, TextEdit } from '../engine/types';
import type { TsAnalysis } from './analysis';
import { isBuiltinBuilder } from './builders';

const UNQUALIFIED_CALL = /(?<![.\w$])([A-Za-z_$][\w$]*)\(/g;
/** pg-core exports that fixes write besides column builders (indexes and checks added to an extra config). */
const FIX_EXPORTS = new Set(['index', 'uniqueIndex', 'check']);
/** The `sql` tag a written check uses, when no import names it (`sqlTag` in table-edits otherwise writes the local name). */
const SQL_TAG = /(?<![.\w$])sql`/;

function pgCoreImport(sf: ts.SourceFile): ts.NamedImports | undefined {
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier) && st.moduleSpecifier.text === 'drizzle-orm/pg-core') {
      const nb = st.importClause?.namedBindings;
      if (nb && ts.isNamedImports(nb) && !st.importClause?.isTypeOnly) return nb;
    }
  }
  return undefined;
}

function namedImportOf(sf: ts.SourceFile, module: string): ts.NamedImports | undefined {
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier) && st.moduleSpecifier.text === module) {
      const nb = st.importClause?.namedBindings;
      if (nb && ts.isNamedImports(nb) && !st.importClause?.isTypeOnly && nb.elements.length) return nb;
    }
  }
  return undefined;
}

function importEdit(analysis: TsAnalysis, names: string[]): TextEdit | undefined {
  const named = pgCoreImport(analysis.sf);
  if (!named) return undefined;
  const last = named.elements.at(-1);
  if (!last) return undefined;
  return { start: last.end, end: last.end, newText: names.map((n) => `, ${n}`).join('') };
}

/** `sql` added to the file's named import from 'drizzle-orm', or a new import line before the pg-core one. */
function sqlImportEdit(analysis: TsAnalysis): TextEdit | undefined {
  // A `sql` of the file's own (imported from elsewhere, or declared) would be shadowed or clash.
  if (analysis.imports.local.has('sql') || analysis.scope.helpers.has('sql')) return undefined;
  const existing = namedImportOf(analysis.sf, 'drizzle-orm');
  const last = existing?.elements.at(-1);
  if (last) return { start: last.end, end: last.end, newText: ', sql' };
  const pgCore = pgCoreImport(analysis.sf)?.parent.parent;
  if (!pgCore) return undefined;
  const nl = analysis.text.includes('\r\n') ? '\r\n' : '\n';
  const at = pgCore.getStart(analysis.sf);
  return { start: at, end: at, newText: `import { sql } from 'drizzle-orm';${nl}` };
}

interface Written {
  /** Builders and pg-core exports the text calls unqualified. */
  calls: string[];
  sqlTag: boolean;
}

// A big schema's fixes write the same few texts on every keystroke's re-check: scan each text once.
const writtenByText = new Map<string, Written>();
const MAX_TEXTS = 5000;

function written(text: string): Written {
  let w = writtenByText.get(text);
  if (!w) {
    const calls = new Set<string>();
    for (const m of text.matchAll(UNQUALIFIED_CALL)) if (isBuiltinBuilder(m[1]) || FIX_EXPORTS.has(m[1])) calls.add(m[1]);
    w = { calls: [...calls], sqlTag: SQL_TAG.test(text) };
    if (writtenByText.size >= MAX_TEXTS) writtenByText.clear();
    writtenByText.set(text, w);
  }
  return w;
}

function withImport(fix: Fix, analysis: TsAnalysis): Fix | undefined {
  const missing = new Set<string>();
  let needsSql = false;
  for (const e of fix.edits) {
    const w = written(e.newText);
    for (const name of w.calls) if (!analysis.imports.named.has(name)) missing.add(name);
    if (w.sqlTag && !analysis.imports.named.has('sql')) needsSql = true;
  }
  if (!missing.size && !needsSql) return fix;
  const edits: TextEdit[] = [];
  if (needsSql) {
    const edit = sqlImportEdit(analysis);
    if (!edit) return undefined;
    edits.push(edit);
  }
  if (missing.size) {
    const edit = importEdit(analysis, [...missing].sort());
    // Without a named pg-core import to extend, the fix would not compile: drop it.
    if (!edit) return undefined;
    edits.push(edit);
  }
  return { ...fix, edits: [...edits, ...fix.edits] };
}

/**
 * "Fix all" applies every preferred fix at once, and two different insertions at the same offset do
 * not count as overlapping there: two checks on one table without an extra config would both add a
 * third argument, one fix imports `check` where another imports `numeric`. The later one stays
 * offered, not preferred. The same insertion (every money fix importing `numeric`) is sent once by
 * fix-all, so those fixes all stay preferred.
 */
function oneInsertPerOffset(findings: Finding[]): Finding[] {
  const used = new Map<number, string>();
  return findings.map((f) => {
    if (!f.fixes?.some((x) => x.preferred)) return f;
    const fixes = f.fixes.map((x) => {
      if (!x.preferred) return x;
      const inserts = x.edits.filter((e) => e.start === e.end);
      if (inserts.some((e) => used.has(e.start) && used.get(e.start) !== e.newText)) return { ...x, preferred: false };
      for (const e of inserts) used.set(e.start, e.newText);
      return x;
    });
    return sameItems(fixes, f.fixes) ? f : { ...f, fixes };
  });
}

const sameItems = <T>(a: readonly T[], b: readonly T[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Everything withImport reads besides the fixes: the names the file imports, where the import edits
 * go, and the file's line breaks. Under the same context a finding gets the same fixes.
 */
function importContext(analysis: TsAnalysis): string {
  let key = contexts.get(analysis);
  if (key === undefined) {
    const named = [...analysis.imports.named].map(([local, v]) => `${local}=${v.name}`).join(',');
    const pgCore = pgCoreImport(analysis.sf);
    const drizzle = namedImportOf(analysis.sf, 'drizzle-orm');
    const sqlTaken = analysis.imports.local.has('sql') || analysis.scope.helpers.has('sql');
    key = [named, pgCore?.elements.at(-1)?.end, pgCore?.parent.parent.getStart(analysis.sf), drizzle?.elements.at(-1)?.end, sqlTaken, analysis.text.includes('\r\n')].join('\u0000');
    contexts.set(analysis, key);
  }
  return key;
}

const contexts = new WeakMap<TsAnalysis, string>();

/**
 * A finding handed in again (the statement rules keep an unmoved table's findings as the same
 * objects) under the same import context: the finding handed out last time, which the language
 * server's converted diagnostic is kept for, instead of new fixes and a new copy.
 */
const withImports = new WeakMap<Finding, { context: string; finding: Finding }>();

export function addMissingImports(findings: Finding[], analysis: TsAnalysis): Finding[] {
  const context = importContext(analysis);
  return oneInsertPerOffset(
    findings.map((f) => {
      if (!f.fixes?.length) return f;
      const hit = withImports.get(f);
      if (hit && hit.context === context) return hit.finding;
      const fixes = f.fixes.map((x) => withImport(x, analysis)).filter((x): x is Fix => x !== undefined);
      // A finding whose fixes need no import stays the same object.
      const finding = sameItems(fixes, f.fixes) ? f : { ...f, fixes: fixes.length ? fixes : undefined };
      withImports.set(f, { context, finding });
      return finding;
    }),
  );
}
