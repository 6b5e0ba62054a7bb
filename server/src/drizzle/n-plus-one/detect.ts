// Finds queries that run once per element of a collection: directly in a loop body or callback,
// or one level down in a local helper that the loop calls with the database handle. A query that
// does not read the element (a retry loop running the same query) is not one.
import ts from 'typescript';
import type { TsAnalysis } from '../analysis';
import type { HandleKind } from '../handles';
import { unwrap } from '../imports';
import { iterationsAround, type Iteration } from './iterations';
import { derivedNames, readNames } from './names';
import { dbQueryAt, executedAs, queriesIn, type DbQuery } from './queries';

export interface NPlusOne {
  query: DbQuery;
  /** `await q` (or `q` when returned from a callback): what a rewrite replaces. */
  executed: ts.Expression;
  iteration: Iteration;
  /** The element names and the body's variables computed from them. */
  names: Set<string>;
  /** Through a helper: the call in the loop and the helper's name. */
  helper?: { call: ts.CallExpression; name: string };
}

type HelperFn = ts.FunctionDeclaration | ts.ArrowFunction | ts.FunctionExpression;

/** Named functions by name, the later one winning a repeated name (from the analysis' node lists, in document order). */
function localFunctions(a: TsAnalysis): Map<string, HelperFn> {
  const found: Array<{ name: string; fn: HelperFn; pos: number }> = [];
  for (const n of a.functions) if (n.name && n.body) found.push({ name: n.name.text, fn: n, pos: n.pos });
  for (const n of a.variables) {
    if (!ts.isIdentifier(n.name) || !n.initializer) continue;
    const init = unwrap(n.initializer);
    if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) found.push({ name: n.name.text, fn: init, pos: n.pos });
  }
  found.sort((x, y) => x.pos - y.pos);
  return new Map(found.map((f) => [f.name, f.fn]));
}

/** `keys.slice(start, start + 1000)`: a loop over chunks of keys is the batched form, not N+1. */
function isChunkBound(n: ts.Node): boolean {
  const call = n.parent;
  return !!call && ts.isCallExpression(call) && call.arguments.includes(n as ts.Expression) && ts.isPropertyAccessExpression(call.expression) && call.expression.name.text === 'slice';
}

const intersects = (a: Set<string>, b: Set<string>) => [...a].some((x) => b.has(x));

function leavesFunction(node: ts.Node, iteration: Iteration): boolean {
  for (let p = node.parent; p && p !== iteration.node; p = p.parent) {
    if (ts.isFunctionLike(p)) return false;
    if (ts.isReturnStatement(p) || ts.isThrowStatement(p)) return true;
  }
  return false;
}

/** Element-derived names per loop body, computed once per file run (many queries share a loop). */
type NamesCache = Map<ts.Node, Set<string>>;

/** The innermost loop around `node` whose element `reads` depends on. */
function perElementLoop(node: ts.Node, reads: Set<string>, cache: NamesCache): { iteration: Iteration; names: Set<string> } | undefined {
  for (const iteration of iterationsAround(node)) {
    // `return await q(item)` inside a for loop runs once and leaves the function: not per element.
    if (iteration.kind !== 'callback' && leavesFunction(node, iteration)) return undefined;
    let names = cache.get(iteration.body);
    // A chunk taken in the body (`const batch = keys.slice(start, start + n)`) is the batched form, not an element.
    if (!names) cache.set(iteration.body, (names = derivedNames(iteration.elements, iteration.body, isChunkBound)));
    if (intersects(reads, names)) return { iteration, names };
  }
  return undefined;
}

function executedCall(call: ts.CallExpression): ts.Expression | undefined {
  return executedAs({ head: call, outer: call, handle: undefined as never, op: 'other', chain: [] });
}

export function findNPlusOne(a: TsAnalysis): NPlusOne[] {
  const out: NPlusOne[] = [];
  // Every query starts at a handle (directly or passed to a helper): a file with none (a schema) has no queries.
  if (!a.handles.kinds.size) return out;
  const kindOf = (id: ts.Identifier) => a.handles.kindOf(id);
  const cache: NamesCache = new Map();
  for (const call of a.calls) {
    const query = dbQueryAt(call, kindOf);
    const executed = query && executedAs(query);
    if (!query || !executed) continue;
    const hit = perElementLoop(executed, readNames(query.outer, isChunkBound), cache);
    if (hit) out.push({ query, executed, ...hit });
  }
  out.push(...viaHelpers(a, localFunctions(a), cache));
  return out;
}

/** `await loadPayments(db, inv.id)` in a loop, where `loadPayments` queries through the handle it is given. */
function viaHelpers(a: TsAnalysis, helpers: Map<string, HelperFn>, cache: NamesCache): NPlusOne[] {
  const out: NPlusOne[] = [];
  for (const call of a.calls) {
    const callee = unwrap(call.expression);
    const fn = ts.isIdentifier(callee) ? helpers.get(callee.text) : undefined;
    if (!fn?.body || !ts.isIdentifier(callee)) continue;
    const handleParams = new Map<string, HandleKind>();
    call.arguments.forEach((arg, i) => {
      const u = unwrap(arg);
      const kind = ts.isIdentifier(u) ? a.handles.kindOf(u) : undefined;
      const p = fn.parameters[i]?.name;
      if (kind && p && ts.isIdentifier(p)) handleParams.set(p.text, kind);
    });
    if (!handleParams.size) continue;
    const executed = executedCall(call);
    const hit = executed && perElementLoop(executed, new Set(call.arguments.flatMap((x) => [...readNames(x)])), cache);
    if (!executed || !hit) continue;
    // Which helper parameters receive the element, and which of its queries read them.
    const elementParams = new Set<string>();
    call.arguments.forEach((arg, i) => {
      const p = fn.parameters[i]?.name;
      if (p && ts.isIdentifier(p) && intersects(readNames(arg), hit.names)) elementParams.add(p.text);
    });
    const inner = derivedNames(elementParams, fn.body);
    const isHandle = (id: ts.Identifier) => handleParams.get(id.text) ?? a.handles.kindOf(id);
    const query = queriesIn(fn.body, isHandle).find((q) => executedAs(q) && intersects(readNames(q.outer), inner));
    if (query) out.push({ query, executed, iteration: hit.iteration, names: hit.names, helper: { call, name: callee.text } });
  }
  return out;
}
