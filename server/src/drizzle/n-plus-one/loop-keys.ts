// The loop seen from outside: an expression that computes every iteration's key before the loop
// runs (`Array.from(invoices, (inv) => inv.id)`), and the statement the batch goes in front of.
import ts from 'typescript';
import type { TextEdit } from '../../engine/types';
import { unwrap } from '../imports';
import type { NPlusOne } from './detect';
import { anchorStatement, isPlainReference, spanEdit } from './edits';
import { declaredNames, readNames, uniqueName } from './names';

export interface LoopKeys {
  /** Builds the per-iteration expression (`Array.from(items, (item) => <expr>)`) for an expression of the element. */
  perElement(expr: string, returnType?: string): string;
  /** Where the prelude goes. */
  anchor: ts.Statement;
  /** Edits the loop header needs (a hoisted collection). */
  edits: TextEdit[];
  prelude: string[];
}

const ret = (type: string | undefined) => (type ? `: ${type}` : '');

/** `for (let i = 0; i < xs.length; i++)` exactly: the only classic for loop whose elements are known up front. */
function countsOverArray(loop: ts.ForStatement, counter: string): boolean {
  const init = loop.initializer;
  const d = init && ts.isVariableDeclarationList(init) && init.declarations.length === 1 ? init.declarations[0] : undefined;
  if (!d || !d.initializer || d.initializer.getText() !== '0') return false;
  const cond = loop.condition && unwrap(loop.condition);
  const inc = loop.incrementor;
  const stepsByOne = !!inc && ((ts.isPostfixUnaryExpression(inc) || ts.isPrefixUnaryExpression(inc)) && inc.operator === ts.SyntaxKind.PlusPlusToken) && inc.operand.getText() === counter;
  return !!cond && ts.isBinaryExpression(cond) && cond.operatorToken.kind === ts.SyntaxKind.LessThanToken && cond.left.getText() === counter && stepsByOne;
}

/** How to compute keys up front for this loop, or why that is not possible. */
export function loopKeys(f: NPlusOne, sf: ts.SourceFile, used: Set<string>, reiterates = true): LoopKeys | string {
  const it = f.iteration;
  const coll = it.collection && unwrap(it.collection);
  const anchorNode = it.kind === 'callback' ? it.node : ts.isLabeledStatement(it.node.parent) ? it.node.parent : it.node;
  const anchor = anchorStatement(anchorNode);
  if (!anchor) return 'there is no statement before the loop to put the batched query in';
  if (!coll) return 'the collection it iterates is not known';
  const mutated = collectionChanged(coll, it.body, sf);
  if (mutated) return `the loop changes \`${coll.getText(sf)}\` while iterating it (${mutated})`;
  if (it.kind === 'for-of') {
    const decl = (it.node as ts.ForOfStatement).initializer;
    const binding = ts.isVariableDeclarationList(decl) && decl.declarations.length === 1 ? decl.declarations[0].name.getText(sf) : undefined;
    if (!binding) return 'its loop variable is declared outside the loop';
    // The keys and the loop both iterate the collection: only an array is sure to give the same elements twice.
    if (isPlainReference(coll) && (!reiterates || declaredAsArray(coll))) {
      return { perElement: (e, t) => (e === binding && !t ? coll.getText(sf) : `Array.from(${coll.getText(sf)}, (${binding})${ret(t)} => ${e})`), anchor, edits: [], prelude: [] };
    }
    // `for (const x of load())`, an iterable that may be an iterator: read it once, for the keys and for the loop.
    const hoisted = uniqueName(ts.isIdentifier(coll) ? `${coll.text}List` : 'items', used);
    return {
      perElement: (e, t) => (e === binding && !t ? hoisted : `${hoisted}.map((${binding})${ret(t)} => ${e})`),
      anchor,
      edits: [spanEdit(it.collection!, sf, hoisted)],
      prelude: [`const ${hoisted} = [...${it.collection!.getText(sf)}];`],
    };
  }
  if (it.kind === 'for') {
    const counter = [...it.elements][0];
    if (it.elements.size !== 1 || !countsOverArray(it.node as ts.ForStatement, counter) || !isPlainReference(coll)) return 'only for loops of the form for (let i = 0; i < items.length; i++) are batched';
    const ignored = uniqueName('_', used);
    return { perElement: (e, t) => `Array.from({ length: ${coll.getText(sf)}.length }, (${ignored}, ${counter})${ret(t)} => ${e})`, anchor, edits: [], prelude: [] };
  }
  if (it.kind === 'callback' && it.method === 'map' && it.callback) {
    if (!isPlainReference(coll)) return `the collection \`${coll.getText(sf)}\` is computed in the same expression; assign it to a variable first`;
    const params = it.callback.parameters.map((p) => p.getText(sf)).join(', ');
    const first = it.callback.parameters[0]?.name;
    const isElement = (e: string) => !!first && ts.isIdentifier(first) && e === first.text;
    return { perElement: (e, t) => (isElement(e) && !t ? coll.getText(sf) : `${coll.getText(sf)}.map((${params})${ret(t)} => ${e})`), anchor, edits: [], prelude: [] };
  }
  return 'this kind of loop is not batched automatically';
}

const ARRAY_RESULT = /(?:^Array\.from|^Object\.(?:keys|values|entries)|\.(?:map|filter|slice|concat|flat|flatMap|toSorted|toReversed))$/;

function arrayish(d: ts.ParameterDeclaration | ts.VariableDeclaration): boolean {
  const t = d.type && ts.isTypeOperatorNode(d.type) ? d.type.type : d.type;
  if (t && (ts.isArrayTypeNode(t) || ts.isTupleTypeNode(t))) return true;
  if (t && ts.isTypeReferenceNode(t) && /^(?:Array|ReadonlyArray)$/.test(t.typeName.getText())) return true;
  const init = !t && d.initializer ? unwrap(d.initializer) : undefined;
  return !!init && (ts.isArrayLiteralExpression(init) || (ts.isCallExpression(init) && ARRAY_RESULT.test(init.expression.getText())));
}

/** `items` is declared (nearest scope first) as an array: `items: T[]`, `Array<T>`, `= [...]`, `= xs.map(...)`. */
function declaredAsArray(coll: ts.Expression): boolean {
  if (!ts.isIdentifier(coll)) return false;
  for (let p: ts.Node | undefined = coll.parent; p; p = p.parent) {
    const decls: Array<ts.ParameterDeclaration | ts.VariableDeclaration> = [];
    if (ts.isFunctionLike(p)) decls.push(...p.parameters);
    if (ts.isBlock(p) || ts.isSourceFile(p)) for (const st of p.statements) if (ts.isVariableStatement(st)) decls.push(...st.declarationList.declarations);
    const d = decls.find((x) => ts.isIdentifier(x.name) && x.name.text === coll.text);
    if (d) return arrayish(d);
  }
  return false;
}

function collectionChanged(coll: ts.Expression, body: ts.Node, sf: ts.SourceFile): string | undefined {
  const text = coll.getText(sf);
  let hit: string | undefined;
  const visit = (n: ts.Node) => {
    if (hit) return;
    if (ts.isPropertyAccessExpression(n) && n.expression.getText(sf) === text && /^(?:push|pop|shift|unshift|splice|sort|reverse|fill)$/.test(n.name.text)) hit = `.${n.name.text}()`;
    else if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && n.left.getText(sf) === text) hit = 'reassigned';
    ts.forEachChild(n, visit);
  };
  visit(body);
  return hit;
}

/**
 * The key as an expression of the element alone: a body-local `const key = inv.id` is inlined;
 * anything else the loop declares or assigns cannot be computed before the loop.
 */
export function keyBeforeLoop(key: ts.Expression, f: NPlusOne, sf: ts.SourceFile): string | undefined {
  const body = f.iteration.body;
  const local = declaredNames(body);
  let text = key.getText(sf);
  let reads = readNames(key);
  if (ts.isIdentifier(key) && local.has(key.text) && !f.iteration.elements.has(key.text)) {
    const decl = findConst(body, key.text);
    if (!decl?.initializer) return undefined;
    text = `(${decl.initializer.getText(sf)})`;
    if (ts.isIdentifier(decl.initializer) || ts.isPropertyAccessExpression(decl.initializer) || ts.isElementAccessExpression(decl.initializer)) text = decl.initializer.getText(sf);
    reads = readNames(decl.initializer);
  }
  for (const r of reads) if (local.has(r) && !f.iteration.elements.has(r)) return undefined;
  return hasEffects(ts.isIdentifier(key) && local.has(key.text) && !f.iteration.elements.has(key.text) ? findConst(body, key.text)!.initializer! : key) ? undefined : text;
}

/** Conversions that only read their argument; any other call may have effects, and the key is evaluated once more up front. */
const PURE_CALLS = /^(?:String|Number|BigInt|Boolean)$|\.(?:toString|toLowerCase|toUpperCase|trim)$/;

function hasEffects(e: ts.Node): boolean {
  let found = false;
  const visit = (n: ts.Node) => {
    if (found) return;
    if (ts.isAwaitExpression(n) || ts.isNewExpression(n) || ts.isTaggedTemplateExpression(n) || ts.isDeleteExpression(n) || ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken) found = true;
    else if (ts.isPostfixUnaryExpression(n) || (ts.isPrefixUnaryExpression(n) && (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken))) found = true;
    else if (ts.isCallExpression(n) && !PURE_CALLS.test(n.expression.getText())) found = true;
    else ts.forEachChild(n, visit);
  };
  visit(e);
  return found;
}

function findConst(body: ts.Node, name: string): ts.VariableDeclaration | undefined {
  let found: ts.VariableDeclaration | undefined;
  const visit = (n: ts.Node) => {
    if (found) return;
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === name && ts.isVariableDeclarationList(n.parent) && n.parent.flags & ts.NodeFlags.Const) found = n;
    ts.forEachChild(n, visit);
  };
  visit(body);
  return found;
}
