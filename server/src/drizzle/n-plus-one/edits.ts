// Text-level helpers for the batching rewrites: where the batched query goes (before the statement
// holding the loop), its indentation, the `inArray` import, and splicing a node's text.
import ts from 'typescript';
import type { TextEdit } from '../../engine/types';
import type { TsAnalysis } from '../analysis';

/** The statement holding `node` that sits directly in a block, without leaving the function. */
export function anchorStatement(node: ts.Node): ts.Statement | undefined {
  for (let p: ts.Node = node; p.parent; p = p.parent) {
    if (ts.isFunctionLike(p) && p !== node) return undefined;
    const parent = p.parent;
    if (ts.isBlock(parent) || ts.isSourceFile(parent) || ts.isModuleBlock(parent) || ts.isCaseClause(parent) || ts.isDefaultClause(parent)) {
      return ts.isStatement(p) ? p : undefined;
    }
  }
  return undefined;
}

/** The function a statement runs in; the batched query is awaited there, so it must be async. */
export function inAsyncFunction(node: ts.Node): boolean {
  for (let p = node.parent; p; p = p.parent) {
    if (ts.isFunctionLike(p)) return ts.canHaveModifiers(p) && !!ts.getModifiers(p)?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
  }
  return false; // top-level await depends on the module format: not assumed
}

export function indentAt(sf: ts.SourceFile, pos: number): string {
  const lineStart = sf.text.lastIndexOf('\n', pos - 1) + 1;
  return /^[ \t]*/.exec(sf.text.slice(lineStart, pos))![0];
}

/** Lines inserted before `statement`, at its indentation. */
export function insertBefore(statement: ts.Statement, sf: ts.SourceFile, lines: string[]): TextEdit {
  const start = statement.getStart(sf);
  const indent = indentAt(sf, start);
  return { start, end: start, newText: lines.map((l, i) => (i === 0 ? l : indent + l)).join('\n') + '\n' + indent };
}

/** How this file can call drizzle-orm's `name` (`inArray`, `sql`), and the import edit that makes it callable. */
export function ormAccess(a: TsAnalysis, name: string): { name: string; edit?: TextEdit } {
  for (const [local, v] of a.imports.named) if (v.name === name && v.module === 'drizzle-orm') return { name: local };
  for (const [local, module] of a.imports.namespaces) if (module === 'drizzle-orm') return { name: `${local}.${name}` };
  for (const st of a.sf.statements) {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier) || st.moduleSpecifier.text !== 'drizzle-orm') continue;
    const nb = st.importClause?.namedBindings;
    const last = nb && ts.isNamedImports(nb) && !st.importClause?.isTypeOnly ? nb.elements.at(-1) : undefined;
    if (last && !last.isTypeOnly) return { name, edit: { start: last.end, end: last.end, newText: `, ${name}` } };
  }
  const imports = a.sf.statements.filter(ts.isImportDeclaration);
  const at = imports.length ? imports[imports.length - 1].end : 0;
  return { name, edit: { start: at, end: at, newText: at ? `\nimport { ${name} } from 'drizzle-orm';` : `import { ${name} } from 'drizzle-orm';\n` } };
}

export const inArrayAccess = (a: TsAnalysis) => ormAccess(a, 'inArray');

/** A column name as SQL: quoted unless it is a plain lower-case word that is not reserved. */
export function sqlIdent(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) && !RESERVED.has(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

const RESERVED = new Set('all and any as asc both case cast check collate column constraint create current_date current_time current_timestamp current_user default desc distinct do else end except false fetch for foreign from grant group having in initially intersect into lateral leading limit localtime localtimestamp not null offset on only or order placing primary references returning select session_user some symmetric table then to trailing true union unique user using variadic when where window with'.split(' '));

/** `node`'s text with some of its parts replaced (spans in file offsets, inside the node). */
export function spliceText(node: ts.Node, sf: ts.SourceFile, replacements: TextEdit[]): string {
  const base = node.getStart(sf);
  let text = node.getText(sf);
  for (const r of [...replacements].sort((x, y) => y.start - x.start)) text = text.slice(0, r.start - base) + r.newText + text.slice(r.end - base);
  return text;
}

export const spanEdit = (node: ts.Node, sf: ts.SourceFile, newText: string): TextEdit => ({ start: node.getStart(sf), end: node.end, newText });

/** A plain reference (`items`, `input.items`, `this.items`): safe to evaluate again before the loop. */
export function isPlainReference(e: ts.Expression): boolean {
  if (ts.isIdentifier(e) || e.kind === ts.SyntaxKind.ThisKeyword) return true;
  return ts.isPropertyAccessExpression(e) && !e.questionDotToken && isPlainReference(e.expression);
}

/** A multi-line expression moved to another indentation: its lines, with `suffix` after the last. */
export function reindent(text: string, fromIndent: string, toIndent: string, suffix = ''): string[] {
  const lines = text.split('\n').map((l, i) => (i === 0 ? toIndent + l : toIndent + (l.startsWith(fromIndent) ? l.slice(fromIndent.length) : l.trimStart())));
  lines[lines.length - 1] += suffix;
  return lines;
}
