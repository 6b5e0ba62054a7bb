// When batching would change what the code does, whatever the query looks like: per-item error
// handling, writes or other awaited work in the loop (a later iteration may read what an earlier
// one wrote), state carried from one iteration to the next, a handle opened per iteration.
import ts from 'typescript';
import type { TsAnalysis } from '../analysis';
import type { NPlusOne } from './detect';
import { assignments, declaredNames, readNames } from './names';
import { dbQueryAt, isWrite, queriesIn, queryLabel } from './queries';

const lineOf = (n: ts.Node, sf: ts.SourceFile) => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;

function short(n: ts.Node, sf: ts.SourceFile): string {
  const t = n.getText(sf).replace(/\s+/g, ' ');
  return t.length > 50 ? `${t.slice(0, 47)}...` : t;
}

/** Why the loop's shape rules batching out, before looking at the query. */
export function loopReason(f: NPlusOne): string | undefined {
  const it = f.iteration;
  if (f.helper) return `the query runs inside ${f.helper.name}(...); give the helper a batched variant that takes all keys`;
  if (it.kind === 'for-await') return 'for await...of receives its elements one at a time';
  if (it.kind === 'for-in') return 'it iterates object keys with for...in; loop over an array of keys with for...of first';
  if (it.kind === 'while') return "a while loop's elements are not known before it runs";
  if (it.method === 'forEach') return '.forEach does not wait for async callbacks (the queries race and their errors are lost); switch to for...of first';
  if (it.method === 'reduce' || it.method === 'reduceRight') return `each .${it.method} step waits for the previous one; switch to for...of first`;
  if (it.kind === 'callback' && it.method !== 'map') return `only .map callbacks are batched, not .${it.method}`;
  return undefined;
}

/** Why running all iterations' queries up front could change results or error handling. */
export function bodyReason(f: NPlusOne, a: TsAnalysis): string | undefined {
  const { sf } = a;
  const body = f.iteration.body;
  let reason: string | undefined;
  const visit = (n: ts.Node) => {
    if (reason) return;
    if (ts.isTryStatement(n) && n.catchClause) reason = `the loop catches errors per item (try/catch on line ${lineOf(n, sf)}): one batched query succeeds or fails for all items at once`;
    else if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'catch') {
      reason = `the loop handles each item's errors (.catch on line ${lineOf(n, sf)}): one batched query succeeds or fails for all items at once`;
    }
    ts.forEachChild(n, visit);
  };
  visit(body);
  if (reason) return reason;
  const kindOf = (id: ts.Identifier) => a.handles.kindOf(id);
  const others = queriesIn(body, kindOf).filter((q) => q.head !== f.query.head);
  const write = others.find(isWrite) ?? (isWrite(f.query) ? others[0] : undefined);
  if (write) {
    return `the loop also runs ${queryLabel(write, sf)} (line ${lineOf(write.head, sf)}), so a later iteration may read what an earlier one wrote`;
  }
  const otherAwait = findAwait(body, (e) => e !== f.executed && !isDbRead(e, kindOf));
  if (otherAwait) return `the loop also awaits ${short(otherAwait.expression, sf)} (line ${lineOf(otherAwait, sf)}), which may change what the query reads`;
  const reassigned = assignments(body).find((x) => f.iteration.elements.has(x.name));
  if (reassigned) return `the loop reassigns \`${reassigned.name}\` in its body`;
  const declared = declaredNames(body);
  const carried = assignments(body).map((x) => x.name).filter((x) => !declared.has(x));
  const reads = readNames(f.query.outer);
  const dependsOnEarlier = carried.find((x) => reads.has(x)) ?? (f.iteration.accumulator && reads.has(f.iteration.accumulator) ? f.iteration.accumulator : undefined);
  if (dependsOnEarlier) return `the query reads \`${dependsOnEarlier}\`, which an earlier iteration set`;
  if (declared.has(f.query.handle.text)) return `the handle \`${f.query.handle.text}\` is opened per iteration`;
  return undefined;
}

function findAwait(body: ts.Node, pred: (e: ts.AwaitExpression) => boolean): ts.AwaitExpression | undefined {
  let found: ts.AwaitExpression | undefined;
  const visit = (n: ts.Node) => {
    if (found) return;
    if (ts.isAwaitExpression(n) && pred(n)) found = n;
    else ts.forEachChild(n, visit);
  };
  visit(body);
  return found;
}

function isDbRead(e: ts.AwaitExpression, kindOf: (id: ts.Identifier) => 'drizzle' | 'pg' | undefined): boolean {
  let head: ts.Expression = e.expression;
  while (ts.isCallExpression(head) || ts.isPropertyAccessExpression(head) || ts.isParenthesizedExpression(head)) {
    if (ts.isCallExpression(head)) {
      const q = dbQueryAt(head, kindOf);
      if (q) return !isWrite(q);
    }
    head = ts.isCallExpression(head) ? head.expression : (head as ts.PropertyAccessExpression | ts.ParenthesizedExpression).expression;
  }
  return false;
}

/** The loop changes the rows it read (`rows.push(...)`, `rows[0] = ...`): batched, duplicates would share one array. */
export function mutatedResult(f: NPlusOne, sf: ts.SourceFile): string | undefined {
  const decl = f.executed.parent;
  if (!ts.isVariableDeclaration(decl) || !ts.isIdentifier(decl.name)) return undefined;
  const name = decl.name.text;
  let hit: ts.Node | undefined;
  const visit = (n: ts.Node) => {
    if (hit) return;
    if (ts.isPropertyAccessExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === name && /^(?:push|pop|shift|unshift|splice|sort|reverse|fill|copyWithin)$/.test(n.name.text)) hit = n.parent;
    else if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && (ts.isElementAccessExpression(n.left) || ts.isPropertyAccessExpression(n.left)) && n.left.expression.getText(sf) === name) hit = n;
    ts.forEachChild(n, visit);
  };
  visit(f.iteration.body);
  return hit ? `the loop changes the rows it read (${short(hit, sf)}); batched, items with the same key would share them` : undefined;
}
