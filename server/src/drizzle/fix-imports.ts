// A quick fix that writes `numeric(...)` in a file importing only `real` must also import
// `numeric`, or the fixed file does not compile: fixes are given the missing named imports.
import ts from 'typescript';
import type { Finding, Fix, TextEdit } from '../engine/types';
import type { TsAnalysis } from './analysis';
import { isBuiltinBuilder } from './builders';

const UNQUALIFIED_CALL = /(?<![.\w$])([A-Za-z_$][\w$]*)\(/g;
/** pg-core exports that fixes write besides column builders (indexes added to an extra config). */
const FIX_EXPORTS = new Set(['index', 'uniqueIndex']);

function pgCoreImport(sf: ts.SourceFile): ts.NamedImports | undefined {
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier) && st.moduleSpecifier.text === 'drizzle-orm/pg-core') {
      const nb = st.importClause?.namedBindings;
      if (nb && ts.isNamedImports(nb) && !st.importClause?.isTypeOnly) return nb;
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

function withImport(fix: Fix, analysis: TsAnalysis): Fix | undefined {
  const missing = new Set<string>();
  for (const e of fix.edits) {
    for (const m of e.newText.matchAll(UNQUALIFIED_CALL)) {
      const name = m[1];
      if ((isBuiltinBuilder(name) || FIX_EXPORTS.has(name)) && !analysis.imports.named.has(name)) missing.add(name);
    }
  }
  if (!missing.size) return fix;
  const edit = importEdit(analysis, [...missing].sort());
  // Without a named pg-core import to extend, the fix would not compile: drop it.
  return edit ? { ...fix, edits: [edit, ...fix.edits] } : undefined;
}

export function addMissingImports(findings: Finding[], analysis: TsAnalysis): Finding[] {
  return findings.map((f) => {
    if (!f.fixes?.length) return f;
    const fixes = f.fixes.map((x) => withImport(x, analysis)).filter((x): x is Fix => x !== undefined);
    return { ...f, fixes: fixes.length ? fixes : undefined };
  });
}
