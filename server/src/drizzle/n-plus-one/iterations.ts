// The loops around a node, innermost first: statement loops and the array methods that call an
// (async) callback once per element. Each knows its element names and collection, so a query can
// be tested for depending on the element.
import ts from 'typescript';
import { unwrap } from '../imports';
import { assignments, bindingNames } from './names';

export type IterationKind = 'for-of' | 'for-await' | 'for-in' | 'for' | 'while' | 'callback';

export interface Iteration {
  kind: IterationKind;
  /** The loop statement, or the `items.map(cb)` call. */
  node: ts.Node;
  /** What runs once per element: the loop body or the callback. */
  body: ts.Node;
  elements: Set<string>;
  collection?: ts.Expression;
  /** `for...of`, `.map(async ...)`, `Promise.all(items.map(...))`, ... */
  label: string;
  /** For callbacks: the array method (`map`, `forEach`, `reduce`) and the callback. */
  method?: string;
  callback?: ts.ArrowFunction | ts.FunctionExpression;
  /** For `.reduce`: the accumulator, which carries one iteration's result into the next. */
  accumulator?: string;
  /** `Promise.all(items.map(...))`: the callbacks' results are only awaited together. */
  underAll?: boolean;
}

const PER_ELEMENT_METHODS = new Set(['forEach', 'map', 'flatMap', 'filter', 'some', 'every', 'find', 'findIndex', 'reduce', 'reduceRight']);

function isPromiseAll(call: ts.Node): boolean {
  if (!ts.isCallExpression(call)) return false;
  const e = call.expression;
  return ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'Promise' && /^all(?:Settled)?$/.test(e.name.text);
}

function callbackIteration(fn: ts.ArrowFunction | ts.FunctionExpression): Iteration | undefined {
  const call = fn.parent;
  if (!ts.isCallExpression(call) || call.arguments[0] !== fn || !ts.isPropertyAccessExpression(call.expression)) return undefined;
  const method = call.expression.name.text;
  if (!PER_ELEMENT_METHODS.has(method)) return undefined;
  const isReduce = method === 'reduce' || method === 'reduceRight';
  const params = fn.parameters.slice(isReduce ? 1 : 0);
  const elements = new Set<string>();
  for (const p of params) bindingNames(p.name, elements);
  const collection = call.expression.expression;
  let outer: ts.Node = call.parent;
  while (ts.isParenthesizedExpression(outer)) outer = outer.parent;
  const underAll = ts.isCallExpression(outer) && isPromiseAll(outer) && outer.arguments[0] === (call.parent === outer ? call : call.parent);
  const label = underAll ? `Promise.all(${shortText(collection)}.${method}(...))` : `.${method}(${fn.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword) ? 'async ' : ''}...)`;
  const acc = isReduce ? fn.parameters[0]?.name : undefined;
  return { kind: 'callback', node: call, body: fn, elements, collection, label, method, callback: fn, accumulator: acc && ts.isIdentifier(acc) ? acc.text : undefined, underAll };
}

function shortText(e: ts.Node): string {
  const t = e.getText().replace(/\s+/g, ' ');
  return t.length > 40 ? `${t.slice(0, 37)}...` : t;
}

/** `for (let i = 0; ...; i++)`: the counters are the elements; the collection is what they index. */
function forIteration(loop: ts.ForStatement): Iteration {
  const elements = new Set<string>();
  if (loop.initializer && ts.isVariableDeclarationList(loop.initializer)) for (const d of loop.initializer.declarations) bindingNames(d.name, elements);
  if (loop.incrementor) for (const a of assignments(loop.incrementor)) elements.add(a.name);
  const cond = loop.condition && unwrap(loop.condition);
  let collection: ts.Expression | undefined;
  if (cond && ts.isBinaryExpression(cond) && ts.isPropertyAccessExpression(cond.right) && cond.right.name.text === 'length') collection = cond.right.expression;
  return { kind: 'for', node: loop, body: loop.statement, elements, collection, label: 'for loop' };
}

/** A `while` loop's elements: counters it steps and items it takes (`queue.shift()`, `items[i]`). */
function whileIteration(loop: ts.WhileStatement | ts.DoStatement): Iteration {
  const elements = new Set<string>();
  let collection: ts.Expression | undefined;
  for (const a of assignments(loop)) if (!a.value || ts.isNumericLiteral(a.value)) elements.add(a.name);
  const visit = (n: ts.Node) => {
    if (ts.isVariableDeclaration(n) && n.initializer) {
      const init = unwrap(n.initializer);
      const taken = ts.isCallExpression(init) && ts.isPropertyAccessExpression(init.expression) && /^(?:shift|pop|next)$/.test(init.expression.name.text);
      if (taken || ts.isElementAccessExpression(init)) {
        bindingNames(n.name, elements);
        collection ??= ts.isCallExpression(init) ? (init.expression as ts.PropertyAccessExpression).expression : (init as ts.ElementAccessExpression).expression;
      }
    }
    if (!ts.isFunctionLike(n)) ts.forEachChild(n, visit);
  };
  visit(loop.statement);
  return { kind: 'while', node: loop, body: loop.statement, elements, collection, label: ts.isDoStatement(loop) ? 'do...while loop' : 'while loop' };
}

/** Functions a query inside still runs in per iteration: callbacks handed to a call (`tx` callbacks, array methods). */
function isInlineCallback(fn: ts.Node): fn is ts.ArrowFunction | ts.FunctionExpression {
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return false;
  let p = fn.parent;
  while (ts.isParenthesizedExpression(p)) p = p.parent;
  return ts.isCallExpression(p) && p.arguments.some((a) => unwrap(a) === fn);
}

const within = (node: ts.Node, container: ts.Node) => node.pos >= container.pos && node.end <= container.end;

/** Loops that run `node` once per element, innermost first, up to the enclosing named function. */
export function iterationsAround(node: ts.Node): Iteration[] {
  const out: Iteration[] = [];
  for (let p: ts.Node | undefined = node.parent, child: ts.Node = node; p && !ts.isSourceFile(p); child = p, p = p.parent) {
    if (ts.isFunctionLike(p)) {
      if (!isInlineCallback(p)) break;
      const it = callbackIteration(p);
      if (it) out.push(it);
      continue;
    }
    if (ts.isForOfStatement(p) && child === p.statement) {
      out.push({ kind: p.awaitModifier ? 'for-await' : 'for-of', node: p, body: p.statement, elements: declaredIn(p.initializer), collection: p.expression, label: p.awaitModifier ? 'for await...of' : 'for...of' });
    } else if (ts.isForInStatement(p) && child === p.statement) {
      out.push({ kind: 'for-in', node: p, body: p.statement, elements: declaredIn(p.initializer), collection: p.expression, label: 'for...in' });
    } else if (ts.isForStatement(p) && within(node, p.statement)) out.push(forIteration(p));
    else if ((ts.isWhileStatement(p) || ts.isDoStatement(p)) && within(node, p.statement)) out.push(whileIteration(p));
  }
  return out;
}

function declaredIn(init: ts.ForInitializer): Set<string> {
  const out = new Set<string>();
  if (ts.isVariableDeclarationList(init)) for (const d of init.declarations) bindingNames(d.name, out);
  else if (ts.isIdentifier(init)) out.add(init.text);
  return out;
}
