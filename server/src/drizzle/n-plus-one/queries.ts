// Database calls as the N+1 check sees them: the whole chain (`db.select().from(t).where(...)`),
// the handle it starts from, the operation, and whether the code runs it here (awaits or returns
// it) rather than keeping a builder for later.
import ts from 'typescript';
import { chainAfter } from '../handles';
import { unwrap } from '../imports';

export type QueryOp = 'select' | 'insert' | 'update' | 'delete' | 'findFirst' | 'findMany' | 'execute' | 'query' | 'other';

export interface DbQuery {
  /** The first call of the chain (`db.select()`, `db.query.t.findFirst(...)`, `client.query(...)`). */
  head: ts.CallExpression;
  /** The outermost call of the chain: what is awaited. */
  outer: ts.Expression;
  handle: ts.Identifier;
  op: QueryOp;
  /** Method names after the head (`from`, `where`, `orderBy`). */
  chain: string[];
}

const DRIZZLE_OPS: Record<string, QueryOp> = {
  select: 'select',
  selectDistinct: 'select',
  selectDistinctOn: 'select',
  insert: 'insert',
  update: 'update',
  delete: 'delete',
  execute: 'execute',
  $count: 'other',
  with: 'other',
};

export const isWrite = (q: DbQuery) => q.op === 'insert' || q.op === 'update' || q.op === 'delete' || q.op === 'execute' || q.op === 'query' || q.op === 'other';

/** A database call whose chain starts at `call`; `isHandle` says which identifiers are handles here. */
export function dbQueryAt(call: ts.CallExpression, isHandle: (id: ts.Identifier) => 'drizzle' | 'pg' | undefined): DbQuery | undefined {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const method = callee.name.text;
  const owner = unwrap(callee.expression);
  let handle: ts.Identifier | undefined;
  let op: QueryOp | undefined;
  if (ts.isIdentifier(owner)) {
    const kind = isHandle(owner);
    if (kind === 'drizzle' && DRIZZLE_OPS[method]) op = DRIZZLE_OPS[method];
    else if (kind === 'pg' && method === 'query') op = 'query';
    handle = op ? owner : undefined;
  } else if ((method === 'findFirst' || method === 'findMany') && ts.isPropertyAccessExpression(owner)) {
    // db.query.<table>.findFirst(...)
    const q = unwrap(owner.expression);
    if (ts.isPropertyAccessExpression(q) && q.name.text === 'query') {
      const root = unwrap(q.expression);
      if (ts.isIdentifier(root) && isHandle(root) === 'drizzle') {
        handle = root;
        op = method;
      }
    }
  }
  if (!handle || !op) return undefined;
  const { names, outer } = chainAfter(call);
  return { head: call, outer, handle, op, chain: names };
}

/** The call of method `name` later in the chain that starts at `head` (`from`, `where`, `orderBy`). */
export function chainCall(head: ts.CallExpression, name: string): ts.CallExpression | undefined {
  let cur: ts.Node = head;
  while (ts.isPropertyAccessExpression(cur.parent) && ts.isCallExpression(cur.parent.parent)) {
    cur = cur.parent.parent;
    if (((cur as ts.CallExpression).expression as ts.PropertyAccessExpression).name.text === name) return cur as ts.CallExpression;
  }
  return undefined;
}

/** The node that stands for running the query: `await q`, or `q` itself when it is returned / handed on. */
export function executedAs(q: DbQuery): ts.Expression | undefined {
  let node: ts.Expression = q.outer;
  while (ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent) || ts.isNonNullExpression(node.parent)) node = node.parent;
  const p = node.parent;
  if (ts.isAwaitExpression(p)) return p;
  if (ts.isReturnStatement(p) || (ts.isArrowFunction(p) && p.body === node)) return node;
  if (ts.isPropertyAccessExpression(p) && (p.name.text === 'then' || p.name.text === 'catch')) return node;
  // promises.push(q), Promise.all([q, ...]); not a builder handed to another query as a subquery.
  if (ts.isCallExpression(p) && p.arguments.includes(node) && collectsPromises(p)) return node;
  if (ts.isArrayLiteralExpression(p) && ts.isCallExpression(p.parent) && collectsPromises(p.parent)) return node;
  return undefined;
}

function collectsPromises(call: ts.CallExpression): boolean {
  const e = call.expression;
  if (!ts.isPropertyAccessExpression(e)) return false;
  if (ts.isIdentifier(e.expression) && e.expression.text === 'Promise') return /^(?:all|allSettled|race|any)$/.test(e.name.text);
  return e.name.text === 'push' || e.name.text === 'unshift';
}

/** Every database call in `root` (helpers walk their own body with their own handles). */
export function queriesIn(root: ts.Node, isHandle: (id: ts.Identifier) => 'drizzle' | 'pg' | undefined): DbQuery[] {
  const out: DbQuery[] = [];
  const visit = (n: ts.Node) => {
    if (ts.isCallExpression(n)) {
      const q = dbQueryAt(n, isHandle);
      if (q) out.push(q);
    }
    ts.forEachChild(n, visit);
  };
  visit(root);
  return out;
}

/** A short name for the query in messages: `db.select().from(payments)`, `tx.query.accounts.findFirst(...)`. */
export function queryLabel(q: DbQuery, sf: ts.SourceFile): string {
  let node: ts.Expression = q.head;
  if (q.chain[0] === 'from' || q.chain[0] === 'values' || q.chain[0] === 'set') node = (node.parent as ts.PropertyAccessExpression).parent as ts.CallExpression;
  const text = node.getText(sf).replace(/\s*\n\s*/g, '').replace(/\s+/g, ' ');
  const call = node as ts.CallExpression;
  const headText = text.length > 70 && call.arguments?.length ? `${call.expression.getText(sf).replace(/\s*\n\s*/g, '')}(...)` : text;
  return headText.length > 70 ? `${headText.slice(0, 67)}...` : headText;
}
