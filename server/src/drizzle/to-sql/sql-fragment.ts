// Plain sql`` templates inside a chain (`sql\`${t.amount} + 1\``): the literal text as written, a
// column for `${table.column}`, a nested plain template inline, and a `$n` parameter for any other
// `${value}` — what drizzle-orm renders. sql.raw / sql.join / sql.identifier and a table interpolated
// whole change the text at run time, so they are refused.
import ts from 'typescript';
import { importedName, unwrap } from '../imports';
import { columnRef, fromDrizzle, param, qualifiedColumn, type RenderContext } from './conditions';
import { fail, quoteIdent } from './types';

/** `sql\`...\`` or `sql<T>\`...\`` with `sql` imported from drizzle-orm. */
export function isSqlTemplate(e: ts.Expression, ctx: RenderContext): e is ts.TaggedTemplateExpression {
  return ts.isTaggedTemplateExpression(e) && importedName(e.tag, ctx.imports) === 'sql';
}

/**
 * The template's SQL. `qualify` is false in a single-table select list, where Drizzle writes a
 * column without its table (`select "amount" + 1 from "payments"`), and true everywhere else.
 */
export function sqlFragment(e: ts.TaggedTemplateExpression, ctx: RenderContext, qualify = true): string {
  const t = e.template;
  if (ts.isNoSubstitutionTemplateLiteral(t)) return t.text;
  let out = t.head.text;
  for (const span of t.templateSpans) {
    const x = unwrap(span.expression);
    const col = columnRef(x, ctx);
    if (col) out += qualify ? qualifiedColumn(col, ctx) : quoteIdent(col.column);
    else if (isSqlTemplate(x, ctx)) out += sqlFragment(x, ctx, qualify);
    else if (ts.isIdentifier(x) && ctx.tables.byVar(x.text)) fail('a whole table inside sql`` is not translated', x, ctx.sf);
    else if (ts.isCallExpression(x) && fromDrizzle(x.expression, ctx)) fail('a drizzle-orm helper inside sql`` (sql.raw, sql.join, an operator) is not translated', x, ctx.sf);
    else if (ts.isTaggedTemplateExpression(x)) fail('a tagged template inside sql`` that is not drizzle-orm sql``', x, ctx.sf);
    else out += param(x, ctx);
    out += span.literal.text;
  }
  return out;
}
