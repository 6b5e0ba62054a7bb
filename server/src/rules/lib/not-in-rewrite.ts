// The mechanical rewrite of `x NOT IN (SELECT col FROM ... [WHERE ...])` into
// `NOT EXISTS (SELECT 1 FROM ... WHERE (...) AND col = x)`. Offered only when it keeps the meaning
// for non-NULL values: one column, one plain target column, and a subquery with only FROM/WHERE.
import type { Span } from '../../engine/types';
import type { NodeRef } from '../../sql/node-index';
import { nameSpanAt } from '../../sql/sql-decls';
import type { SqlStatement } from '../../sql/statement';
import { tokenIndexAt } from '../../sql/tokens';
import { nodeSpan } from './ast';

/** Clauses after which a trailing `WHERE ... AND` could not simply be appended. */
const BLOCKING_CLAUSES = [
  'distinctClause', 'groupClause', 'havingClause', 'windowClause', 'sortClause', 'limitCount', 'limitOffset',
  'lockingClause', 'withClause', 'valuesLists', 'intoClause', 'larg', 'rarg',
];

const RESERVED = new Set(['user', 'order', 'group', 'table', 'select', 'from', 'where', 'end', 'default', 'check', 'limit', 'offset', 'all', 'any', 'desc', 'asc', 'to', 'do', 'primary', 'references', 'column', 'window', 'case', 'when', 'to', 'only']);

function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) && !RESERVED.has(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/** A subquery the rewrite understands, with its single target column. */
export function simpleSubquery(select: any): any | undefined {
  if (!select || (select.op && select.op !== 'SETOP_NONE')) return undefined;
  if (BLOCKING_CLAUSES.some((k) => select[k] !== undefined && select[k] !== null && !(Array.isArray(select[k]) && select[k].length === 0))) return undefined;
  const targets: any[] = select.targetList ?? [];
  if (targets.length !== 1 || !select.fromClause?.length) return undefined;
  const target = targets[0]?.ResTarget;
  const fields: any[] | undefined = target?.val?.ColumnRef?.fields;
  if (target?.name || !fields || fields.some((f) => !f?.String)) return undefined;
  return target.val;
}

/** Every relation name and alias the subquery's FROM introduces (they shadow outer names). */
function innerNames(value: unknown, out: Set<string>, depth = 0): Set<string> {
  if (depth > 200 || value === null || typeof value !== 'object') return out;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if ((k === 'relname' || k === 'aliasname') && typeof v === 'string') out.add(v.toLowerCase());
    else innerNames(v, out, depth + 1);
  }
  return out;
}

/** The relation an unqualified outer column must belong to: the only one of the enclosing query. */
function soleOuterRelation(ref: NodeRef): string | undefined {
  let p = ref.parent;
  while (p && !['SelectStmt', 'UpdateStmt', 'DeleteStmt'].includes(p.type)) p = p.parent;
  const n = p?.node;
  if (!n) return undefined;
  let rv: any;
  if (p!.type === 'SelectStmt') rv = n.fromClause?.length === 1 ? n.fromClause[0]?.RangeVar : undefined;
  else if (p!.type === 'UpdateStmt') rv = n.fromClause?.length ? undefined : n.relation;
  else rv = n.usingClause?.length ? undefined : n.relation;
  return rv ? rv.alias?.aliasname ?? rv.relname : undefined;
}

/**
 * The NOT EXISTS text replacing `span`, or undefined when the rewrite is not mechanical.
 * `ref` is the node whose enclosing query owns the outer expression.
 */
export function notExistsRewrite(ref: NodeRef, stmt: SqlStatement, text: string, span: Span, outer: any, select: any): string | undefined {
  const subColumn = simpleSubquery(select);
  if (!subColumn) return undefined;
  const tokens = stmt.tokens();
  let outerText: string;
  let qualifier: string | undefined;
  if (outer?.ColumnRef) {
    const fields: any[] = outer.ColumnRef.fields ?? [];
    if (fields.some((f) => !f?.String)) return undefined;
    const s = nameSpanAt(tokens, stmt.at(outer.ColumnRef.location ?? 0));
    outerText = text.slice(s.start, s.end);
    if (fields.length >= 2) qualifier = fields[fields.length - 2].String.sval;
    else {
      qualifier = soleOuterRelation(ref);
      if (!qualifier) return undefined;
      outerText = `${quoteIdent(qualifier)}.${outerText}`;
    }
  } else if (outer?.ParamRef || (outer?.A_Const && !outer.A_Const.isnull)) {
    const s = nodeSpan(stmt, outer);
    outerText = text.slice(s.start, s.end);
  } else return undefined;
  if (qualifier && innerNames(select.fromClause, new Set()).has(qualifier.toLowerCase())) return undefined;

  // Locate `( SELECT target FROM ... [WHERE ...] )` in the tokens of the span.
  const first = tokenIndexAt(tokens, span.start);
  let open = -1;
  for (let i = first; i < tokens.length && tokens[i].start < span.end; i++) {
    if (tokens[i].text === '(' && tokens[i + 1]?.keyword === 'select') {
      open = i;
      break;
    }
  }
  if (open < 0) return undefined;
  let depth = 0;
  let from = -1;
  let where = -1;
  let close = -1;
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.text === '(') depth++;
    else if (t.text === ')' && --depth === 0) {
      close = i;
      break;
    } else if (depth === 1 && t.keyword === 'from' && from < 0) from = i;
    else if (depth === 1 && t.keyword === 'where' && where < 0) where = i;
  }
  if (close < 0 || from < 0 || tokens[close].end > span.end) return undefined;
  const target = text.slice(tokens[open + 1].end, tokens[from].start).trim();
  const fromText = text.slice(tokens[from].end, tokens[where >= 0 ? where : close].start).trim();
  const whereText = where >= 0 ? text.slice(tokens[where].end, tokens[close].start).trim() : '';
  if (!target || !fromText || (where >= 0 && !whereText)) return undefined;
  const condition = `${target} = ${outerText}`;
  return `NOT EXISTS (SELECT 1 FROM ${fromText} WHERE ${whereText ? `(${whereText}) AND ` : ''}${condition})`;
}
