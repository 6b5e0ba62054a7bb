// "Batch into one query" for updates whose SET value differs per item:
//   for (const c of changes) await db.update(t).set({ status: c.status }).where(eq(t.id, c.id));
// becomes one `UPDATE t SET status = v.status FROM (VALUES ...) AS v(id, status) WHERE t.id = v.id`
// per chunk of keys. The keys are de-duplicated in a Map first, keeping the last item per key (the
// loop's last write wins), so each row is changed once, by one VALUES row, and the rows changed are
// the rows the loop changed. VALUES parameters are cast to the columns' types and encoded by the
// columns (`sql.param(value, column)`), as set() would encode them.
import ts from 'typescript';
import { unwrap } from '../imports';
import { ormAccess, spanEdit, spliceText, sqlIdent } from './edits';
import { columnSql, type ColumnSql } from './column-sql';
import { columnFacts, keyedCondition } from './keyed';
import { keyBeforeLoop } from './loop-keys';
import { readNames, uniqueName } from './names';
import { chainCall } from './queries';
import type { Rewrite } from './rewrite-read';
import { computed, fixWith, idempotentValue, type WriteJob } from './write-site';

/** PostgreSQL allows 65,535 bind parameters per statement; the rest of the statement needs a few. */
const PARAMETER_BUDGET = 65_000;
/** Keys per UPDATE, as for the other batched writes. */
const MAX_ROWS = 5_000;

interface PerItem {
  name: string;
  /** The value as an expression of the element alone. */
  text: string;
  col: ColumnSql;
}

export function rewriteUpdateValues(job: WriteJob): Rewrite {
  const { f, a, schema, site, tableText, base, used, start } = job;
  const { sf } = a;
  const q = f.query;
  if (site.concurrent) return { reason: 'its SET value differs per item and Promise.all runs the items at once, so which of two items with the same key wins is a race; loop with for...of first' };
  const setCall = chainCall(q.head, 'set')!;
  const setObj = unwrap(setCall.arguments[0]);
  if (!ts.isObjectLiteralExpression(setObj)) return { reason: 'its SET value differs per item and is not an object literal' };
  const cond = keyedCondition(chainCall(q.head, 'where')!.arguments[0], f.names, a);
  if (typeof cond === 'string') return { reason: cond };
  if (cond.table.getText(sf) !== tableText) return { reason: `its condition is on ${cond.table.getText(sf)}, not on ${tableText}` };
  const keyName = cond.column.name.text;
  const keyCol = columnSql(a, cond.table, keyName, schema);
  const facts = columnFacts(a, cond.table, keyName, schema);
  if (!keyCol || !facts) return { reason: `the type of ${tableText}.${keyName} is not in the workspace model, so the VALUES list cannot be typed` };
  // The last item per key is picked in JS: JS equality must be PostgreSQL's (not uuid: 'A' and 'a' are one uuid).
  if (!facts.comparable || !keyCol.cast || keyCol.type.name === 'uuid') return { reason: `${tableText}.${keyName} is ${facts.sqlType}, whose JS values do not compare like PostgreSQL's =, so the last item per key cannot be picked before the UPDATE` };
  const key = keyBeforeLoop(cond.key, f, sf);
  if (key === undefined) return { reason: 'its key comes from other work done in the loop or from a call that may have effects (computing it up front would run that call again)' };

  const perItem: PerItem[] = [];
  const setText: string[] = [];
  const fixed: string[] = [];
  const sqlTag = ormAccess(a, 'sql');
  for (const p of setObj.properties) {
    const name = ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : ts.isShorthandPropertyAssignment(p) ? p.name.text : undefined;
    const value = ts.isPropertyAssignment(p) ? p.initializer : ts.isShorthandPropertyAssignment(p) ? p.name : undefined;
    if (!name || !value) return { reason: 'its SET object has spreads, methods or computed keys' };
    if (![...readNames(value)].some((x) => f.names.has(x))) {
      if (!idempotentValue(value, a, f.names)) return { reason: `its SET value for ${name} is computed per run (a call or a SQL expression), so one UPDATE would not give each item its own result` };
      setText.push(p.getText(sf));
      fixed.push(name);
      continue;
    }
    if (name === keyName) return { reason: `it changes the key column ${tableText}.${keyName} itself, so a later item may match a row an earlier one renamed` };
    if (computed(value)) return { reason: `its SET value for ${name} is computed per item (a call or a SQL expression such as an increment): the loop applies it once per item, so repeated keys add up, where one UPDATE applies it once per row` };
    const text = keyBeforeLoop(value, f, sf);
    if (text === undefined) return { reason: `its SET value for ${name} comes from other work done in the loop or from a call that may have effects` };
    const col = columnSql(a, cond.table, name, schema);
    if (!col) return { reason: `${tableText}.${name} is not in the workspace model, so its type for the VALUES list is unknown` };
    if (!col.cast) return { reason: `${tableText}.${name} is ${col.type.written}, a type the VALUES list is not cast to automatically` };
    perItem.push({ name, text, col });
    setText.push(`${ts.isPropertyAssignment(p) && !ts.isIdentifier(p.name) ? p.name.getText(sf) : name}: ${sqlTag.name}\`v.${sqlIdent(col.dbName)}\``);
  }
  if (!perItem.length) return { reason: 'its SET value differs per item in a way that is not a plain property of the SET object' };
  const changed = new Set([...perItem.map((x) => x.name), ...fixed]);
  // `and(eq(t.id, c.id), eq(t.status, 'open'))` with status set (per item or fixed): a repeated key
  // stops matching once its first item changed the status, so the loop keeps the first item, not the last.
  const where = chainCall(q.head, 'where')!.arguments[0];
  let tested: string | undefined;
  const visit = (n: ts.Node) => {
    if (ts.isPropertyAccessExpression(n) && n.expression.getText(sf) === tableText && changed.has(n.name.text) && n !== cond.column) tested ??= n.name.text;
    ts.forEachChild(n, visit);
  };
  visit(where);
  // Raw SQL in the condition may name columns unqualified, which the VALUES list's columns would make ambiguous.
  if (containsRawSql(where)) return { reason: 'its condition has raw SQL, whose column names could clash with the columns of the VALUES list' };
  if (tested) return { reason: `its condition also tests ${tableText}.${tested}, which the update changes: a repeated key would stop matching after its first item` };
  const valueReads = readNames(cond.key);
  const other = [...readNames(q.outer)].find((x) => f.names.has(x) && !valueReads.has(x) && !perItemReads(setObj, x, f.names));
  if (other) return { reason: `the statement also reads \`${other}\`, which changes per item` };

  const chunk = Math.min(MAX_ROWS, Math.floor(PARAMETER_BUDGET / (1 + perItem.length)));
  const changes = uniqueName(`${base}Changes`, used);
  const rows = uniqueName(`${base}Rows`, used);
  const k = uniqueName('key', used);
  const r = uniqueName('row', used);
  const t = job.tableText;
  const rowType = `[(typeof ${t}.$inferSelect)['${keyName}'], Pick<typeof ${t}.$inferSelect, ${perItem.map((x) => `'${x.name}'`).join(' | ')}>]`;
  const tuple = `[${key}, { ${perItem.map((x) => (x.text === x.name ? x.name : `${x.name}: ${x.text}`)).join(', ')} }]`;
  const s = sqlTag.name;
  const param = (value: string, column: string, cast: string) => '${' + `${s}.param(${value}, ${column})}::${cast}`;
  const valuesRow = [param(k, cond.column.getText(sf), keyCol.cast), ...perItem.map((x) => param(`${r}.${x.name}`, `${t}.${x.name}`, x.col.cast!))].join(', ');
  const aliases = [keyCol.dbName, ...perItem.map((x) => x.col.dbName)].map(sqlIdent).join(', ');
  const list = uniqueName('values', used);
  const from = `.from(${s}\`(values \${${list}}) as v(${aliases})\`)`;
  // A chain written one call per line gets .from(...) on a line of its own.
  const chainBreak = /^[ \t]*\r?\n([ \t]*)\./.exec(sf.text.slice(setCall.end));
  const statement = spliceText(q.outer, sf, [
    spanEdit(setObj, sf, `{ ${setText.join(', ')} }`),
    { start: setCall.end, end: setCall.end, newText: chainBreak ? `\n${chainBreak[1]}${from}` : from },
    spanEdit(cond.eqCall, sf, `${cond.eqCall.expression.getText(sf)}(${cond.column.getText(sf)}, ${s}\`v.${sqlIdent(keyCol.dbName)}\`)`),
  ]);
  const fix = fixWith([
    ...(sqlTag.edit ? [sqlTag.edit] : []),
    site.replace([
      `// One row per ${keyName}, the last item's values (as the loop left it): each row is updated once.`,
      `const ${changes} = new Map(${site.loop.perElement(tuple, rowType)});`,
      `const ${rows} = [...${changes}];`,
      `for (let ${start} = 0; ${start} < ${rows}.length; ${start} += ${chunk}) {`,
      `  const ${list} = ${s}.join(${rows}.slice(${start}, ${start} + ${chunk}).map(([${k}, ${r}]) => ${s}\`(${valuesRow})\`), ${s}\`, \`);`,
      ...job.awaitLines(statement),
      `}`,
    ]),
  ]);
  return { ...fix, batch: `one UPDATE ... FROM (VALUES ...) per ${chunk.toLocaleString('en-US')} keys, cast to the columns' types, the last item per key winning as in the loop` };
}

/** Whether `name` is read only inside SET values that go through the VALUES list. */
function perItemReads(setObj: ts.ObjectLiteralExpression, name: string, names: Set<string>): boolean {
  return setObj.properties.some((p) => {
    const value = ts.isPropertyAssignment(p) ? p.initializer : ts.isShorthandPropertyAssignment(p) ? p.name : undefined;
    return !!value && names.has(name) && readNames(value).has(name);
  });
}

function containsRawSql(n: ts.Node): boolean {
  return ts.isTaggedTemplateExpression(n) || !!ts.forEachChild(n, (c) => containsRawSql(c) || undefined);
}
