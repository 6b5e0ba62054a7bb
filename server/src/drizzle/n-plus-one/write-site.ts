// Where a batched write goes: a loop whose only statement is the write, or an awaited
// `Promise.all(items.map(cb))` statement whose callback only runs the write (its result unused).
// The whole loop or statement is replaced, after the keys or rows are computed from the collection.
import ts from 'typescript';
import type { Fix, TextEdit } from '../../engine/types';
import type { SchemaModel } from '../../model/schema';
import type { TsAnalysis } from '../analysis';
import { unwrap } from '../imports';
import type { NPlusOne } from './detect';
import { loopKeys, type LoopKeys } from './loop-keys';

/** The loop body is exactly `await <write>;`: nothing else in the loop depends on the order. */
function onlyStatement(f: NPlusOne): boolean {
  let body = f.iteration.body;
  if (ts.isBlock(body)) {
    if (body.statements.length !== 1) return false;
    body = body.statements[0];
  }
  return ts.isExpressionStatement(body) && unwrap(body.expression) === unwrap(f.executed) && ts.isAwaitExpression(f.executed);
}

/** The callback only runs the write: `(x) => q`, `async (x) => await q`, `async (x) => { await q; }`, `{ return q; }`. */
function callbackOnlyWrites(f: NPlusOne): boolean {
  const fn = f.iteration.callback;
  if (!fn) return false;
  // unwrap() also looks through `await`.
  const isQuery = (e: ts.Expression) => unwrap(e) === unwrap(f.query.outer);
  if (!ts.isBlock(fn.body)) return isQuery(fn.body);
  if (fn.body.statements.length !== 1) return false;
  const st = fn.body.statements[0];
  return (ts.isExpressionStatement(st) && ts.isAwaitExpression(st.expression) && isQuery(st.expression)) || (ts.isReturnStatement(st) && !!st.expression && isQuery(st.expression));
}

/** `await Promise.all(items.map(cb));` as a statement of its own: its result (the drivers' query results) is not used. */
function awaitedAllStatement(f: NPlusOne): ts.ExpressionStatement | undefined {
  let all: ts.Node = f.iteration.node.parent;
  while (ts.isParenthesizedExpression(all)) all = all.parent;
  if (!ts.isCallExpression(all) || all.arguments.length !== 1 || unwrap(all.arguments[0]) !== f.iteration.node) return undefined;
  const callee = all.expression;
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'all') return undefined;
  let aw: ts.Node = all.parent;
  while (ts.isParenthesizedExpression(aw)) aw = aw.parent;
  const st = ts.isAwaitExpression(aw) ? aw.parent : undefined;
  return st && ts.isExpressionStatement(st) ? st : undefined;
}

function allSettled(f: NPlusOne): boolean {
  let p: ts.Node = f.iteration.node.parent;
  while (ts.isParenthesizedExpression(p)) p = p.parent;
  return ts.isCallExpression(p) && ts.isPropertyAccessExpression(p.expression) && p.expression.name.text === 'allSettled';
}

export interface WriteSite {
  loop: LoopKeys;
  /** Items run at once (Promise.all): which of two items with the same key wins is a race. */
  concurrent: boolean;
  /** Replaces the loop (or the awaited Promise.all) with these lines. */
  replace(lines: string[]): TextEdit;
}

/** Where a write loop can be replaced as a whole, or why not. */
export function writeSite(f: NPlusOne, sf: ts.SourceFile, used: Set<string>): WriteSite | string {
  const it = f.iteration;
  let statement: ts.Node | undefined;
  if (it.kind === 'for-of' || it.kind === 'for') {
    if (!onlyStatement(f)) return 'the loop does more than this one write per item';
  } else if (it.kind === 'callback' && it.underAll && it.method === 'map') {
    if (!callbackOnlyWrites(f)) return 'the callback does more than this one write per item';
    statement = awaitedAllStatement(f);
    if (!statement) return allSettled(f) ? 'Promise.allSettled goes on past failed items and reports each one, where one batched statement succeeds or fails for all items' : 'the result of Promise.all(...) is used (or it is not awaited as a statement of its own), and one batched statement would return something else';
  } else return 'only for and for...of loops and await Promise.all(items.map(...)) of writes are batched automatically';
  const loop = loopKeys(f, sf, used, false);
  if (typeof loop === 'string') return loop;
  // The loop itself is replaced: not when it hangs off an `if` without braces or the like.
  const ok = statement ? loop.anchor === statement : loop.anchor === it.node || loop.anchor === it.node.parent;
  if (!ok) return 'the loop is not a statement of its own block';
  return {
    loop,
    concurrent: !!statement,
    replace: (lines: string[]) => {
      const indent = /^[ \t]*/.exec(sf.text.slice(sf.text.lastIndexOf('\n', loop.anchor.getStart(sf) - 1) + 1))![0];
      return { start: loop.anchor.getStart(sf), end: loop.anchor.end, newText: [...loop.prelude, ...lines].map((l, i) => (i ? indent + l : l)).join('\n') };
    },
  };
}

/** What the write rewrites share once the site is known. */
export interface WriteJob {
  f: NPlusOne;
  a: TsAnalysis;
  schema?: SchemaModel;
  site: WriteSite;
  table: ts.Expression;
  tableText: string;
  /** A name stem for generated variables (`invoices`). */
  base: string;
  used: Set<string>;
  /** The chunk loop's counter. */
  start: string;
  /** `await <statement>;` at the chunk loop body's indentation. */
  awaitLines(text: string): string[];
}

/** A SET value that gives the same result however often it runs: literals and values fixed before the loop. */
export function idempotentValue(e: ts.Node, a: TsAnalysis, loopNames: Set<string>): boolean {
  let ok = true;
  const tables = new Set(a.tables.map((t) => t.varName).filter(Boolean));
  const visit = (n: ts.Node) => {
    if (!ok) return;
    if (ts.isCallExpression(n) || ts.isNewExpression(n) || ts.isTaggedTemplateExpression(n) || ts.isAwaitExpression(n)) ok = false;
    else if (ts.isIdentifier(n) && (loopNames.has(n.text) || tables.has(n.text)) && !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n) && !(ts.isPropertyAssignment(n.parent) && n.parent.name === n)) ok = false;
    else ts.forEachChild(n, visit);
  };
  visit(e);
  return ok;
}

export const fixWith = (edits: TextEdit[]): { fix: Fix } => ({ fix: { title: 'Batch into one query', edits, preferred: true } });

/** A call or SQL expression (`sql`${t.balance} + ${x}``): evaluated per item, not a plain value. */
export function computed(e: ts.Node): boolean {
  let hit = false;
  const visit = (n: ts.Node) => {
    if (hit) return;
    if (ts.isTaggedTemplateExpression(n) || ts.isCallExpression(n) || ts.isNewExpression(n) || ts.isAwaitExpression(n)) hit = true;
    else ts.forEachChild(n, visit);
  };
  visit(e);
  return hit;
}
