// Which names an expression reads, which a loop declares or assigns, and which follow from the
// loop element: the facts that tell a per-element query from a retry of the same query.
import ts from 'typescript';

/** Identifiers read in `node` (not property names, not object-literal keys, not declared names). */
export function readNames(node: ts.Node, skip?: (n: ts.Node) => boolean): Set<string> {
  const out = new Set<string>();
  const visit = (n: ts.Node) => {
    if (skip?.(n)) return;
    if (ts.isIdentifier(n)) {
      const p = n.parent;
      const isName =
        (ts.isPropertyAccessExpression(p) && p.name === n) ||
        (ts.isPropertyAssignment(p) && p.name === n) ||
        ((ts.isVariableDeclaration(p) || ts.isParameter(p) || ts.isBindingElement(p) || ts.isFunctionLike(p)) && (p as { name?: ts.Node }).name === n) ||
        (ts.isBindingElement(p) && p.propertyName === n);
      if (!isName) out.add(n.text);
      return;
    }
    if (ts.isShorthandPropertyAssignment(n)) {
      out.add(n.name.text);
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(node);
  return out;
}

/** The names a binding (`x`, `{ id, amount }`, `[a, b]`) introduces. */
export function bindingNames(name: ts.BindingName | undefined, out = new Set<string>()): Set<string> {
  if (!name) return out;
  if (ts.isIdentifier(name)) out.add(name.text);
  else for (const el of name.elements) if (!ts.isOmittedExpression(el)) bindingNames(el.name, out);
  return out;
}

/** Names declared anywhere inside `node` (variables, parameters, functions, catch clauses). */
export function declaredNames(node: ts.Node): Set<string> {
  const out = new Set<string>();
  const visit = (n: ts.Node) => {
    if (ts.isVariableDeclaration(n) || ts.isParameter(n) || ts.isBindingElement(n)) bindingNames(n.name as ts.BindingName, out);
    else if ((ts.isFunctionDeclaration(n) || ts.isClassDeclaration(n)) && n.name) out.add(n.name.text);
    ts.forEachChild(n, visit);
  };
  visit(node);
  return out;
}

// Built on first use: reading ts.SyntaxKind while the bundle loads would load the compiler at server start-up.
let assigning: Set<ts.SyntaxKind> | undefined;
const isAssigning = (kind: ts.SyntaxKind) =>
  (assigning ??= new Set([
    ts.SyntaxKind.EqualsToken,
    ts.SyntaxKind.PlusEqualsToken,
    ts.SyntaxKind.MinusEqualsToken,
    ts.SyntaxKind.AsteriskEqualsToken,
    ts.SyntaxKind.SlashEqualsToken,
    ts.SyntaxKind.BarBarEqualsToken,
    ts.SyntaxKind.QuestionQuestionEqualsToken,
    ts.SyntaxKind.AmpersandAmpersandEqualsToken,
  ])).has(kind);

/** Identifiers assigned (`x = ...`, `x += ...`, `x++`) anywhere inside `node`, with the assigned value when there is one. */
export function assignments(node: ts.Node): Array<{ name: string; value?: ts.Expression }> {
  const out: Array<{ name: string; value?: ts.Expression }> = [];
  const visit = (n: ts.Node) => {
    if (ts.isBinaryExpression(n) && isAssigning(n.operatorToken.kind) && ts.isIdentifier(n.left)) out.push({ name: n.left.text, value: n.right });
    else if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && ts.isIdentifier(n.operand) && (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken)) {
      out.push({ name: n.operand.text });
    }
    ts.forEachChild(n, visit);
  };
  visit(node);
  return out;
}

/**
 * The element names plus every variable of `body` computed from them (`const key = inv.id`,
 * `total = row.amount`), to a fixed point: a query reading any of them runs per element. `skip`
 * leaves out parts that do not make a value per element (the bounds of `keys.slice(start, start + n)`).
 */
export function derivedNames(elements: ReadonlySet<string>, body: ts.Node, skip?: (n: ts.Node) => boolean): Set<string> {
  const out = new Set(elements);
  const decls: Array<{ names: Set<string>; init: ts.Expression }> = [];
  const visit = (n: ts.Node) => {
    if (ts.isVariableDeclaration(n) && n.initializer) decls.push({ names: bindingNames(n.name), init: n.initializer });
    ts.forEachChild(n, visit);
  };
  visit(body);
  const assigned = assignments(body).filter((x) => x.value);
  const hits = (e: ts.Expression) => [...readNames(e, skip)].some((x) => out.has(x));
  for (let changed = true, rounds = 0; changed && rounds < 8; rounds++) {
    changed = false;
    for (const d of decls) {
      if ([...d.names].every((x) => out.has(x)) || !hits(d.init)) continue;
      for (const x of d.names) out.add(x);
      changed = true;
    }
    for (const a of assigned) {
      if (out.has(a.name) || !hits(a.value!)) continue;
      out.add(a.name);
      changed = true;
    }
  }
  return out;
}

const identifiersByFile = new WeakMap<ts.SourceFile, ReadonlySet<string>>();

/** Every identifier text of the file, so generated names never shadow or collide (a fresh copy: callers add to it). */
export function usedIdentifiers(sf: ts.SourceFile): Set<string> {
  const known = identifiersByFile.get(sf);
  if (known) return new Set(known);
  const out = new Set<string>();
  const visit = (n: ts.Node) => {
    if (ts.isIdentifier(n)) out.add(n.text);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  identifiersByFile.set(sf, new Set(out));
  return out;
}

export function uniqueName(base: string, used: Set<string>): string {
  let name = base;
  for (let i = 2; used.has(name); i++) name = `${base}${i}`;
  used.add(name);
  return name;
}

export const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
