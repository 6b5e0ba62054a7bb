// "Batch into one query" for reads: `select().from(t).where(eq(t.fk, item.key))` and
// `db.query.t.findFirst/findMany({ where: eq(t.key, item.key) })` per element become one query
// over the de-duplicated keys (in chunks that stay far below PostgreSQL's 65,535 parameters),
// grouped into a Map before the loop; the loop reads its rows from the Map, so the output keeps
// the input's order, duplicates and misses.
import ts from 'typescript';
import type { Fix, TextEdit } from '../../engine/types';
import type { SchemaModel } from '../../model/schema';
import type { TsAnalysis } from '../analysis';
import { objectProps, propValue, unwrap } from '../imports';
import type { NPlusOne } from './detect';
import { inAsyncFunction, inArrayAccess, indentAt, insertBefore, reindent, spanEdit, spliceText } from './edits';
import { findFirstPlan, selectFirstPlan, type DistinctOnPlan } from './distinct-on';
import { columnFacts, keyedCondition } from './keyed';
import { keyBeforeLoop, loopKeys } from './loop-keys';
import { chainCall } from './queries';
import { capitalize, declaredNames, readNames, uniqueName, usedIdentifiers } from './names';

/** Keys per query: with the loop's other conditions, well under the 65,535 bind parameters of one statement. */
export const READ_CHUNK = 5_000;

interface ReadShape {
  where: ts.Expression | undefined;
  /** The table the rows come from (`from(payments)`, `db.query.payments`). */
  source: string;
  /** Many rows per key (grouped into arrays) or at most one (findFirst on a unique key). */
  many: boolean;
  /** `findFirst` -> `findMany`. */
  renameHead?: TextEdit;
  /** Options that would hide the key column from the rows. */
  columnsOption?: ts.Expression;
  /** `.orderBy(..).limit(1)`: the first row per item (DISTINCT ON). */
  limitOne?: boolean;
  options?: ts.ObjectLiteralExpression;
}

function readShape(f: NPlusOne, sf: ts.SourceFile): ReadShape | string {
  const q = f.query;
  const headName = (q.head.expression as ts.PropertyAccessExpression).name;
  if (q.op === 'select') {
    if (!/^select(?:Distinct)?$/.test(headName.text) || q.head.arguments.length) return 'it selects chosen fields; batching needs select() of whole rows to group them by key';
    const allowed = ['from', 'where', 'orderBy'];
    const extra = q.chain.find((m) => !allowed.includes(m));
    const limitOne = q.chain.join() === 'from,where,orderBy,limit';
    if ((extra === 'limit' && !limitOne) || extra === 'offset') return `its .${extra}() applies per item, which one inArray query cannot express`;
    if (extra && !limitOne) return `.${extra}() is not batched automatically`;
    if (q.chain[0] !== 'from' || q.chain[1] !== 'where') return 'it is not select().from(table).where(...)';
    const call = (name: string) => chainCall(q.head, name);
    const from = call('from')?.arguments[0];
    return { where: call('where')?.arguments[0], source: from ? unwrap(from).getText(sf) : '', many: true, limitOne };
  }
  if (q.op === 'findFirst' || q.op === 'findMany') {
    if (q.chain.length) return `.${q.chain[0]}() after ${q.op} is not batched automatically`;
    const options = q.head.arguments[0] && unwrap(q.head.arguments[0]);
    if (!options || !ts.isObjectLiteralExpression(options)) return 'its options are not an object literal';
    const props = objectProps(options);
    for (const k of props.keys()) if (!['where', 'with', 'columns', 'orderBy', 'extras'].includes(k)) return `its \`${k}\` option applies per item`;
    if (options.properties.some((p) => ts.isSpreadAssignment(p))) return 'its options are spread from another object';
    const table = ((headName.parent as ts.PropertyAccessExpression).expression as ts.PropertyAccessExpression).name.text;
    return {
      where: propValue(options, 'where'),
      source: table,
      many: q.op === 'findMany',
      renameHead: q.op === 'findFirst' ? spanEdit(headName, sf, 'findMany') : undefined,
      columnsOption: propValue(options, 'columns'),
      options,
    };
  }
  return 'only select().from(t).where(eq(...)), findFirst and findMany reads are batched automatically';
}

export type Rewrite = { fix: Fix; batch?: string } | { reason: string };

export function rewriteRead(f: NPlusOne, a: TsAnalysis, schema?: SchemaModel): Rewrite {
  const { sf } = a;
  // A value in place of the query works where its promise is awaited: `await q`, or a callback's result under Promise.all.
  const returnedToAll = f.iteration.underAll && (ts.isArrowFunction(f.executed.parent) || ts.isReturnStatement(f.executed.parent)) && enclosingFunction(f.executed) === f.iteration.callback;
  if (!ts.isAwaitExpression(f.executed) && !returnedToAll) return { reason: 'its promise is used directly (.then, stored or pushed) rather than awaited' };
  const shape = readShape(f, sf);
  if (typeof shape === 'string') return { reason: shape };
  const cond = keyedCondition(shape.where, f.names, a);
  if (typeof cond === 'string') return { reason: cond };
  const col = cond.column.name.text;
  const tableText = cond.table.getText(sf);
  if (tableText !== shape.source) return { reason: `its condition is on ${tableText}, not on the table it reads (${shape.source})` };
  if (shape.columnsOption) {
    const c = unwrap(shape.columnsOption);
    const keep = ts.isObjectLiteralExpression(c) ? propValue(c, col) : undefined;
    if (keep?.kind !== ts.SyntaxKind.TrueKeyword) return { reason: `its \`columns\` option must include ${col} to group the rows by it` };
  }
  const facts = columnFacts(a, cond.table, col, schema);
  if (!facts) return { reason: `the type of ${tableText}.${col} is not in the workspace model, so grouping by it cannot be shown to match PostgreSQL's =` };
  if (!facts.comparable) return { reason: `${tableText}.${col} is ${facts.sqlType}, whose JS values do not compare like PostgreSQL's = (grouping by them could miss rows)` };
  let plan: DistinctOnPlan | string | undefined;
  if (shape.limitOne) plan = selectFirstPlan(f.query, cond, a, schema);
  else if (!shape.many && !facts.unique) plan = shape.options ? findFirstPlan(f.query, shape.options, cond, a, schema) : 'its options are not an object literal';
  if (typeof plan === 'string') return { reason: plan };
  const key = keyBeforeLoop(cond.key, f, sf);
  if (key === undefined) return { reason: 'its key comes from other work done in the loop or from a call that may have effects (computing it up front would run that call again)' };
  const loopLocal = new Set([...f.names, ...declaredNames(f.iteration.body)]);
  const keyReads = readNames(cond.key);
  const bodyLocal = new Set([...readNames(f.query.outer)].filter((x) => !keyReads.has(x) && loopLocal.has(x)));
  if (bodyLocal.size) return { reason: `the query also reads \`${[...bodyLocal][0]}\`, computed in the loop` };
  if (f.query.handle.text && f.iteration.kind === 'callback' && f.iteration.callback?.parameters.some((p) => p.name.getText(sf) === f.query.handle.text)) {
    return { reason: 'its handle is a callback parameter' };
  }

  const used = usedIdentifiers(sf);
  const loop = loopKeys(f, sf, used);
  if (typeof loop === 'string') return { reason: loop };
  if (!inAsyncFunction(loop.anchor)) return { reason: 'the function around the loop is not async, so it cannot await the batched query first' };
  const inArray = inArrayAccess(a);
  const base = ts.isIdentifier(cond.table) ? cond.table.text : shape.source.replace(/\W+/g, '_');
  const keys = uniqueName(`${col}Keys`, used);
  const rows = uniqueName(`${base}Rows`, used);
  const byKey = uniqueName(`${base}By${capitalize(col)}`, used);
  const chunk = uniqueName('chunk', used);
  const ignored = uniqueName('_', used);
  const row = uniqueName('row', used);
  const group = uniqueName('group', used);
  const slice = `${keys}.slice(${chunk} * ${READ_CHUNK}, (${chunk} + 1) * ${READ_CHUNK})`;
  const inArrayEdit = spanEdit(cond.eqCall, sf, `${inArray.name}(${cond.column.getText(sf)}, ${slice})`);
  const batched = plan ? plan.build(spliceText(shape.where!, sf, [inArrayEdit])) : spliceText(f.query.outer, sf, [inArrayEdit, ...(shape.renameHead ? [shape.renameHead] : [])]);
  const prelude = [
    ...loop.prelude,
    `const ${keys} = [...new Set(${loop.perElement(key)})];`,
    `const ${rows} = (`,
    `  await Promise.all(`,
    `    Array.from({ length: Math.ceil(${keys}.length / ${READ_CHUNK}) }, (${ignored}, ${chunk}) =>`,
    ...reindent(batched, indentAt(sf, f.query.outer.getStart(sf)), '      ', ','),
    `    ),`,
    `  )`,
    `).flat();`,
    ...(shape.many
      ? [
          `const ${byKey} = new Map<(typeof ${rows})[number]['${col}'], typeof ${rows}>();`,
          `for (const ${row} of ${rows}) {`,
          `  const ${group} = ${byKey}.get(${row}.${col});`,
          `  if (${group}) ${group}.push(${row});`,
          `  else ${byKey}.set(${row}.${col}, [${row}]);`,
          `}`,
        ]
      : [`const ${byKey} = new Map(${rows}.map((${row}) => [${row}.${col}, ${row}] as const));`]),
  ];
  const bare = ts.isVariableDeclaration(f.executed.parent) || ts.isReturnStatement(f.executed.parent) || ts.isArrowFunction(f.executed.parent) || ts.isPropertyAssignment(f.executed.parent) || ts.isCallExpression(f.executed.parent);
  const lookup = shape.many ? (bare ? `${byKey}.get(${cond.key.getText(sf)}) ?? []` : `(${byKey}.get(${cond.key.getText(sf)}) ?? [])`) : `${byKey}.get(${cond.key.getText(sf)})`;
  const edits: TextEdit[] = [...(inArray.edit ? [inArray.edit] : []), insertBefore(loop.anchor, sf, prelude), ...loop.edits, spanEdit(f.executed, sf, lookup)];
  return { fix: { title: 'Batch into one query', edits, preferred: true }, batch: plan ? 'one selectDistinctOn query before the loop (the first row per key, same ordering), rows in a Map' : undefined };
}

function enclosingFunction(node: ts.Node): ts.Node | undefined {
  for (let p = node.parent; p; p = p.parent) if (ts.isFunctionLike(p)) return p;
  return undefined;
}
