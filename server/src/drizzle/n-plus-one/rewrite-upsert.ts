// "Batch into one query" for upserts in a loop:
//   for (const c of incoming) await db.insert(t).values({ ... } or c).onConflictDoUpdate({ target: t.id, set: { name: c.name } });
// becomes `insert(t).values(rows).onConflictDoUpdate({ target: t.id, set: { name: sql`excluded.name` } })`
// per chunk. One INSERT may not touch a row twice (21000 "ON CONFLICT DO UPDATE command cannot affect
// row a second time"), so the rows are first merged per key the way the loop leaves them: the first
// item's row (the loop inserted it), with the SET columns of the last item (each later item updated
// them). Only when each SET value is the inserted value (so `excluded` holds it) or a literal.
import ts from 'typescript';
import { objectProps, propValue, unwrap } from '../imports';
import { ormAccess, spanEdit, spliceText, sqlIdent } from './edits';
import { columnSql } from './column-sql';
import { columnFacts } from './keyed';
import { readNames, uniqueName } from './names';
import { chainCall } from './queries';
import type { Rewrite } from './rewrite-read';
import { fixWith, type WriteJob } from './write-site';

const sameText = (x: string, y: string) => x.replace(/\s+/g, '') === y.replace(/\s+/g, '');

function props(obj: ts.ObjectLiteralExpression): Map<string, { prop: ts.ObjectLiteralElementLike; value: ts.Expression }> | undefined {
  const out = new Map<string, { prop: ts.ObjectLiteralElementLike; value: ts.Expression }>();
  for (const p of obj.properties) {
    if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) out.set(p.name.text, { prop: p, value: p.initializer });
    else if (ts.isShorthandPropertyAssignment(p)) out.set(p.name.text, { prop: p, value: p.name });
    else return undefined;
  }
  return out;
}

export function rewriteUpsert(job: WriteJob): Rewrite {
  const { f, a, schema, site, tableText, base, used, start } = job;
  const { sf } = a;
  const q = f.query;
  if (site.concurrent) return { reason: 'Promise.all runs the upserts at once, so which of two items with the same key wins is a race; loop with for...of first' };
  if (q.chain.join() !== 'values,onConflictDoUpdate') return { reason: `.${q.chain.find((m) => m !== 'values' && m !== 'onConflictDoUpdate') ?? 'values'}() per item is not batched automatically` };
  const valuesCall = chainCall(q.head, 'values')!;
  const conflictCall = chainCall(q.head, 'onConflictDoUpdate')!;
  const value = valuesCall.arguments[0] && unwrap(valuesCall.arguments[0]);
  const options = conflictCall.arguments[0] && unwrap(conflictCall.arguments[0]);
  // `values(c)` with the loop element itself: drizzle inserts c.<column key> for each column.
  const element = value && ts.isIdentifier(value) && f.iteration.elements.has(value.text) && f.iteration.kind === 'for-of' ? value.text : undefined;
  if (!value || valuesCall.arguments.length !== 1 || (!ts.isObjectLiteralExpression(value) && !element)) return { reason: 'its values are neither one object literal nor the loop element, so the row cannot be merged per key' };
  if (!options || !ts.isObjectLiteralExpression(options) || options.properties.some((p) => !ts.isPropertyAssignment(p))) return { reason: 'its onConflictDoUpdate options are not an object literal' };
  const extra = [...objectProps(options).keys()].find((k) => k !== 'target' && k !== 'set');
  if (extra) return { reason: `its onConflictDoUpdate \`${extra}\` option decides per row whether to update, which merging the items first does not reproduce` };
  let target = propValue(options, 'target') && unwrap(propValue(options, 'target')!);
  if (target && ts.isArrayLiteralExpression(target) && target.elements.length === 1) target = unwrap(target.elements[0]);
  if (!target || !ts.isPropertyAccessExpression(target) || target.expression.getText(sf) !== tableText) return { reason: 'its conflict target is not one column of the table (several columns are not merged automatically)' };
  const keyName = target.name.text;
  const keyCol = columnSql(a, job.table, keyName, schema);
  const facts = columnFacts(a, job.table, keyName, schema);
  if (!keyCol || !facts) return { reason: `the type of ${tableText}.${keyName} is not in the workspace model, so items cannot be merged per key` };
  if (!facts.comparable || keyCol.type.name === 'uuid') return { reason: `${tableText}.${keyName} is ${facts.sqlType}, whose JS values do not compare like PostgreSQL's =, so items cannot be merged per key before the INSERT` };
  // NULLs never conflict: items with a NULL key are separate rows, which a merge by key would join.
  if (!keyCol.notNull) return { reason: `${tableText}.${keyName} may be NULL, and NULL keys never conflict, so merging items by key could join rows the loop kept apart` };
  const values = ts.isObjectLiteralExpression(value) ? props(value) : undefined;
  const setExpr = propValue(options, 'set') && unwrap(propValue(options, 'set')!);
  const set = setExpr && ts.isObjectLiteralExpression(setExpr) ? props(setExpr) : undefined;
  if ((!values && !element) || !set || !setExpr) return { reason: 'its values or SET are not plain object literals' };
  if (values && !values.has(keyName)) return { reason: `its values do not set ${keyName}, the conflict target` };
  const insertedText = (name: string) => (values ? values.get(name)?.value.getText(sf) : `${element}.${name}`);

  const sqlTag = ormAccess(a, 'sql');
  const row = uniqueName('row', used);
  const merged: string[] = [];
  /** SET columns taken from the inserted row: their values must not be undefined (see rowType). */
  const excluded: string[] = [keyName];
  const batchedSet: string[] = [];
  for (const [name, s] of set) {
    const inserted = insertedText(name);
    if (inserted !== undefined && sameText(inserted, s.value.getText(sf))) {
      const col = columnSql(a, job.table, name, schema);
      if (!col) return { reason: `${tableText}.${name} is not in the workspace model, so its excluded value cannot be named` };
      merged.push(`${name}: ${row}.${name}`);
      excluded.push(name);
      batchedSet.push(`${name}: ${sqlTag.name}\`excluded.${sqlIdent(col.dbName)}\``);
    } else if (isLiteral(s.value)) {
      merged.push(s.prop.getText(sf));
      batchedSet.push(s.prop.getText(sf));
    } else if (ts.isTaggedTemplateExpression(unwrap(s.value)) && [...readNames(s.value)].some((x) => f.names.has(x))) {
      return { reason: `its SET value for ${name} is computed per item (a SQL expression such as an increment): the loop applies it once per item, so repeated keys add up, where one merged row applies it once` };
    } else {
      return { reason: `its SET value for ${name} is neither the inserted value (excluded.${name}) nor a literal, so items with the same key would not combine the way the loop combines them` };
    }
  }
  if (set.has(keyName)) return { reason: `it changes the conflict target ${tableText}.${keyName} itself` };

  const local = a.tables.find((t) => t.varName === base);
  const chunk = local ? Math.max(1, Math.min(1000, Math.floor(65_535 / Math.max(1, local.columns.length)))) : 500;
  const byKey = uniqueName(`${base}By${keyName.charAt(0).toUpperCase()}${keyName.slice(1)}`, used);
  const rows = uniqueName(`${base}Rows`, used);
  const earlier = uniqueName('earlier', used);
  const t = tableText;
  // set() skips an undefined value and the loop's update keeps the column, where excluded.<col> would be
  // the column default: the row type makes such values a type error (a $inferSelect value is never undefined).
  const rowType = `typeof ${t}.$inferInsert & Pick<typeof ${t}.$inferSelect, ${excluded.map((x) => `'${x}'`).join(' | ')}>`;
  const statement = spliceText(q.outer, sf, [spanEdit(value, sf, `${rows}.slice(${start}, ${start} + ${chunk})`), spanEdit(setExpr, sf, `{ ${batchedSet.join(', ')} }`)]);
  const fix = fixWith([
    ...(sqlTag.edit ? [sqlTag.edit] : []),
    site.replace([
      `// One row per ${keyName} (one INSERT cannot update a row twice): the first item's row, SET columns from the last.`,
      `const ${byKey} = new Map<(typeof ${t}.$inferSelect)['${keyName}'], typeof ${t}.$inferInsert>();`,
      `for (const ${row} of ${site.loop.perElement(element ?? `(${value.getText(sf)})`, rowType)}) {`,
      `  const ${earlier} = ${byKey}.get(${row}.${keyName});`,
      `  ${byKey}.set(${row}.${keyName}, ${earlier} ? { ...${earlier}, ${merged.join(', ')} } : ${row});`,
      `}`,
      `const ${rows} = [...${byKey}.values()];`,
      `for (let ${start} = 0; ${start} < ${rows}.length; ${start} += ${chunk}) {`,
      ...job.awaitLines(statement),
      `}`,
    ]),
  ]);
  return { ...fix, batch: `one insert().values([...]).onConflictDoUpdate(...) per ${chunk.toLocaleString('en-US')} rows, SET from excluded, the items merged per ${keyName} first (one INSERT cannot update a row twice)` };
}

/** A literal (`'revised'`, `0`, `true`, `null`): the same on every item and never undefined. */
function isLiteral(e: ts.Expression): boolean {
  const u = unwrap(e);
  if (ts.isPrefixUnaryExpression(u) && u.operator === ts.SyntaxKind.MinusToken) return ts.isNumericLiteral(u.operand);
  return ts.isStringLiteral(u) || ts.isNumericLiteral(u) || ts.isNoSubstitutionTemplateLiteral(u) || u.kind === ts.SyntaxKind.TrueKeyword || u.kind === ts.SyntaxKind.FalseKeyword || u.kind === ts.SyntaxKind.NullKeyword;
}
