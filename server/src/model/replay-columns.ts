// Columns and constraints, shared by CREATE TABLE and ALTER TABLE ... ADD.
// Constraint nodes carry a start location only; their extent comes from the token range of
// the element (or ALTER command) they sit in, which is also where ON DELETE is looked for:
// the AST says 'a' (no action) whether or not ON DELETE NO ACTION was written.
import type { ColumnModel, ForeignKeyModel, TableModel } from './schema';
import { rangeVarKey } from './schema-builder';
import type { ReplayContext } from './replay-context';
import { columnTypeTouchKey } from './replay-enum';
import { closingParen, expressionEnd, spanOf, tokenAt } from './tokens-util';
import { typeRefOf } from './types';

const ON_DELETE: Record<string, ForeignKeyModel['onDelete']> = {
  a: 'no action',
  r: 'restrict',
  c: 'cascade',
  n: 'set null',
  d: 'set default',
};

export function strings(items: any[] | undefined): string[] {
  return (items ?? []).map((n: any) => String(n?.String?.sval ?? '')).filter((s: string) => s !== '');
}

/** Names of the columns an expression reads (last field of each ColumnRef). */
export function columnRefs(expr: unknown): string[] {
  const out = new Set<string>();
  const visit = (v: any, depth: number): void => {
    if (!v || typeof v !== 'object' || depth > 200) return;
    if (Array.isArray(v)) return v.forEach((x) => visit(x, depth + 1));
    if (v.ColumnRef) {
      const f = strings(v.ColumnRef.fields);
      if (f.length) out.add(f[f.length - 1]);
      return;
    }
    for (const k in v) visit(v[k], depth + 1);
  };
  visit(expr, 0);
  return [...out];
}

/** A column from a ColumnDef; its source spans the name through the end of the type. */
export function columnFrom(ctx: ReplayContext, def: any): ColumnModel {
  const { tokens } = ctx;
  const nameStart = ctx.at(def.location);
  const typeStart = ctx.at(def.typeName?.location ?? def.location);
  const { type, span } = typeRefOf(def.typeName, tokens, typeStart, ctx.text);
  ctx.touch(columnTypeTouchKey(type) ?? '');
  const column: ColumnModel = {
    name: String(def.colname ?? ''),
    type,
    notNull: !!def.is_not_null,
    source: ctx.ref({ start: nameStart, end: Math.max(span.end, nameStart) }),
  };
  return column;
}

/** Applies the inline constraints of a ColumnDef whose tokens end at index `last`. */
export function applyColumnConstraints(ctx: ReplayContext, table: TableModel, column: ColumnModel, def: any, last: number): void {
  const cons: any[] = (def.constraints ?? []).map((c: any) => c.Constraint).filter(Boolean);
  cons.forEach((con, i) => {
    const first = tokenAt(ctx.tokens, ctx.at(con.location));
    const next = cons[i + 1];
    const end = next ? tokenAt(ctx.tokens, ctx.at(next.location)) - 1 : last;
    applyConstraint(ctx, table, con, first, Math.max(first, end), column);
  });
}

/** Applies one Constraint node spanning tokens [first, last]; `column` is set for inline ones. */
export function applyConstraint(ctx: ReplayContext, table: TableModel, con: any, first: number, last: number, column?: ColumnModel): void {
  const { tokens } = ctx;
  const source = ctx.ref(spanOf(tokens, first, last));
  const keys = strings(con.keys);
  const cols = keys.length ? keys : column ? [column.name] : [];
  switch (con.contype) {
    case 'CONSTR_NOTNULL':
      if (column) column.notNull = true;
      break;
    case 'CONSTR_NULL':
      if (column) column.notNull = false;
      break;
    case 'CONSTR_DEFAULT':
      if (column) column.defaultExpr = expressionAfterKeyword(ctx, first, last);
      break;
    case 'CONSTR_IDENTITY':
      if (column) {
        column.identity = true;
        column.notNull = true;
      }
      break;
    case 'CONSTR_GENERATED':
      if (column) column.generated = true;
      break;
    case 'CONSTR_PRIMARY': {
      const viaIndex = con.indexname ? table.indexes.find((i) => i.name === con.indexname)?.columns.slice() : undefined;
      table.primaryKey = { name: con.conname ?? con.indexname, columns: viaIndex ?? cols, source };
      for (const c of table.primaryKey.columns) {
        const col = table.columns.get(c);
        if (col) col.notNull = true;
      }
      if (column) column.notNull = true;
      break;
    }
    case 'CONSTR_UNIQUE': {
      // ADD CONSTRAINT ... UNIQUE USING INDEX takes its columns from the existing index.
      const viaIndex = con.indexname ? table.indexes.find((i) => i.name === con.indexname)?.columns.slice() : undefined;
      table.uniques.push({ name: con.conname ?? con.indexname, columns: viaIndex ?? cols, source });
      break;
    }
      break;
    case 'CONSTR_FOREIGN':
      table.foreignKeys.push(foreignKeyFrom(ctx, con, first, last, column));
      break;
    case 'CONSTR_CHECK':
      table.checks.push({
        name: con.conname,
        expr: parenthesized(ctx, first, last),
        columns: columnRefs(con.raw_expr),
        validated: !con.skip_validation,
        source,
      });
      break;
    default:
      break;
  }
}

function foreignKeyFrom(ctx: ReplayContext, con: any, first: number, last: number, column?: ColumnModel): ForeignKeyModel {
  const { tokens } = ctx;
  const refTable = rangeVarKey(con.pktable);
  ctx.touch(refTable);
  let refColumns = strings(con.pk_attrs);
  if (refColumns.length === 0) refColumns = ctx.schema.table(refTable)?.primaryKey?.columns.slice() ?? [];
  let explicit = false;
  for (let i = first; i < last; i++) {
    if (tokens[i].keyword === 'on' && tokens[i + 1]?.keyword === 'delete') explicit = true;
  }
  const fkCols = strings(con.fk_attrs);
  return {
    name: con.conname,
    columns: fkCols.length ? fkCols : column ? [column.name] : [],
    refTable,
    refColumns,
    onDelete: ON_DELETE[String(con.fk_del_action ?? 'a')] ?? 'no action',
    onDeleteExplicit: explicit,
    validated: !con.skip_validation,
    source: ctx.ref(spanOf(tokens, first, last)),
  };
}

/** The expression after the keyword at token `first` (DEFAULT x), as written. */
function expressionAfterKeyword(ctx: ReplayContext, first: number, last: number): string {
  const start = first + 1;
  if (start > last) return '';
  return ctx.slice(spanOf(ctx.tokens, start, expressionEnd(ctx.tokens, start, last)));
}

/** The text inside the first parenthesised group in [first, last] (CHECK (...)). */
export function parenthesized(ctx: ReplayContext, first: number, last: number): string {
  const { tokens } = ctx;
  for (let i = first; i <= last && i < tokens.length; i++) {
    if (tokens[i].text !== '(') continue;
    const close = closingParen(tokens, i);
    if (close <= i + 1) return '';
    return ctx.slice({ start: tokens[i + 1].start, end: tokens[close - 1].end });
  }
  return '';
}
