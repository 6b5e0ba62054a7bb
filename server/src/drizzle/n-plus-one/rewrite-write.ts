// "Batch into one query" for writes: a loop (or `await Promise.all(items.map(...))`) whose only
// work is one insert per element becomes `insert().values(rows)`, and one that updates (with the
// same value) or deletes by the element's key becomes one `update/delete ... where inArray`, in
// chunks under PostgreSQL's 65,535 bind parameters. Per-item SET values and upserts have their own
// modules. An empty collection still runs no statement.
import ts from 'typescript';
import type { TsAnalysis } from '../analysis';
import { unwrap } from '../imports';
import type { NPlusOne } from './detect';
import { inArrayAccess, indentAt, isPlainReference, reindent, spanEdit, spliceText } from './edits';
import { keyedCondition } from './keyed';
import { keyBeforeLoop } from './loop-keys';
import { fixWith, idempotentValue, writeSite, type WriteJob } from './write-site';
import { rewriteUpdateValues } from './rewrite-update-values';
import { rewriteUpsert } from './rewrite-upsert';
import type { SchemaModel } from '../../model/schema';
import { readNames, uniqueName, usedIdentifiers } from './names';
import { chainCall } from './queries';
import type { Rewrite } from './rewrite-read';

/** Keys per UPDATE/DELETE statement. */
export const WRITE_KEY_CHUNK = 5_000;
/** Rows per INSERT when the table's width is unknown: 500 rows x 131 columns still fits 65,535 parameters. */
const DEFAULT_INSERT_CHUNK = 500;

export function rewriteWrite(f: NPlusOne, a: TsAnalysis, schema?: SchemaModel): Rewrite {
  const { sf } = a;
  const q = f.query;
  const table = q.head.arguments[0] && unwrap(q.head.arguments[0]);
  if (!table || !isPlainReference(table)) return { reason: 'its table is not a plain reference' };
  const used = usedIdentifiers(sf);
  const site = writeSite(f, sf, used);
  if (typeof site === 'string') return { reason: site };
  const { loop } = site;
  const start = uniqueName('start', used);
  const replaceLoop = site.replace;
  const tableText = table.getText(sf);
  const awaitLines = (text: string) => reindent(`await ${text}`, indentAt(sf, q.outer.getStart(sf)), '  ', ';');
  const base = ts.isIdentifier(table) ? table.text : tableText.replace(/\W+/g, '_');
  const job: WriteJob = { f, a, schema, site, table, tableText, base, used, start, awaitLines };

  if (q.op === 'insert') {
    // ON CONFLICT DO NOTHING skips a row that conflicts with an earlier row of the same INSERT too,
    // so one statement skips exactly what the loop skipped; DO UPDATE needs its rows merged per key.
    if (q.chain.includes('onConflictDoUpdate')) return rewriteUpsert(job);
    const tail = q.chain.slice(1);
    if (q.chain[0] !== 'values' || tail.length > 1 || (tail.length === 1 && tail[0] !== 'onConflictDoNothing')) {
      return { reason: `.${q.chain.find((m) => m !== 'values') ?? 'values'}() per item is not batched automatically (its rows would need matching back to the items)` };
    }
    const valuesCall = chainCall(q.head, 'values')!;
    const value = valuesCall.arguments[0];
    if (!value || valuesCall.arguments.length !== 1 || ts.isArrayLiteralExpression(unwrap(value))) return { reason: 'it inserts several rows per item' };
    const local = a.tables.find((t) => t.varName === base);
    const chunk = local ? Math.max(1, Math.min(1000, Math.floor(65_535 / Math.max(1, local.columns.length)))) : DEFAULT_INSERT_CHUNK;
    const rows = uniqueName(`${base}Values`, used);
    const u = unwrap(value);
    const valueText = ts.isObjectLiteralExpression(u) ? `(${u.getText(sf)})` : value.getText(sf);
    const insert = spliceText(q.outer, sf, [spanEdit(value, sf, `${rows}.slice(${start}, ${start} + ${chunk})`)]);
    return fixWith([
      replaceLoop([
        `const ${rows} = ${loop.perElement(valueText, `typeof ${tableText}.$inferInsert`)};`,
        `for (let ${start} = 0; ${start} < ${rows}.length; ${start} += ${chunk}) {`,
        ...awaitLines(insert),
        `}`,
      ]),
    ]);
  }

  if (q.op === 'update' || q.op === 'delete') {
    const expected = q.op === 'update' ? ['set', 'where'] : ['where'];
    if (q.chain.join() !== expected.join()) return { reason: `.${q.chain.find((m) => !expected.includes(m)) ?? 'where'}() per item is not batched automatically` };
    if (q.op === 'update') {
      const set = chainCall(q.head, 'set')!.arguments[0];
      if (!set || !idempotentValue(set, a, f.names)) return rewriteUpdateValues(job);
    }
    const cond = keyedCondition(chainCall(q.head, 'where')!.arguments[0], f.names, a);
    if (typeof cond === 'string') return { reason: cond };
    if (cond.table.getText(sf) !== tableText) return { reason: `its condition is on ${cond.table.getText(sf)}, not on ${tableText}` };
    const key = keyBeforeLoop(cond.key, f, sf);
    if (key === undefined) return { reason: 'its key comes from other work done in the loop or from a call that may have effects (computing it up front would run that call again)' };
    const keyReads = readNames(cond.key);
    const other = [...readNames(q.outer)].find((x) => f.names.has(x) && !keyReads.has(x));
    if (other) return { reason: `the statement also reads \`${other}\`, which changes per item` };
    const inArray = inArrayAccess(a);
    const keys = uniqueName(`${cond.column.name.text}Keys`, used);
    const statement = spliceText(q.outer, sf, [spanEdit(cond.eqCall, sf, `${inArray.name}(${cond.column.getText(sf)}, ${keys}.slice(${start}, ${start} + ${WRITE_KEY_CHUNK}))`)]);
    return fixWith([
      ...(inArray.edit ? [inArray.edit] : []),
      replaceLoop([
        `const ${keys} = [...new Set(${loop.perElement(key)})];`,
        `for (let ${start} = 0; ${start} < ${keys}.length; ${start} += ${WRITE_KEY_CHUNK}) {`,
        ...awaitLines(statement),
        `}`,
      ]),
    ]);
  }
  return { reason: 'only inserts, updates and deletes are batched automatically' };
}
