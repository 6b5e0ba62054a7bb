// CREATE TABLE (columns, constraints, partitioning, inheritance, LIKE) and CREATE TABLE AS.
import type { ColumnModel, TableModel } from './schema';
import { emptyTable, rangeVarKey } from './schema-builder';
import type { ReplayContext } from './replay-context';
import { applyColumnConstraints, applyConstraint, columnFrom, strings } from './replay-columns';
import { closingParen, qualifiedNameEnd, rangeContaining, spanOf, splitAtCommas, tokenAt } from './tokens-util';

function copyColumns(from: TableModel | undefined, to: TableModel): void {
  if (!from) return;
  for (const [name, col] of from.columns) if (!to.columns.has(name)) to.columns.set(name, { ...col, type: { ...col.type } });
}

/** Registers `table` under `key` as created by the current statement. */
function declare(ctx: ReplayContext, key: string, table: TableModel, nameLocation: number | undefined): void {
  const { tokens } = ctx;
  const nameTok = tokenAt(tokens, ctx.at(nameLocation));
  table.created = ctx.statementRef();
  table.nameSpan = ctx.ref(spanOf(tokens, nameTok, qualifiedNameEnd(tokens, nameTok)));
  ctx.schema.setTable(key, table);
  if (!ctx.out.newTables.has(key)) ctx.out.newTables.set(key, ctx.stmt.index);
  ctx.touch(key);
}

export function replayCreateTable(ctx: ReplayContext, node: any): void {
  const rel = node.relation ?? {};
  const key = rangeVarKey(rel);
  if (!key) return;
  if (node.if_not_exists && ctx.schema.tables.get(key)?.created) {
    ctx.touch(key);
    return;
  }
  const table = emptyTable(String(rel.relname), rel.schemaname || undefined);
  table.temporary = rel.relpersistence === 't';
  declare(ctx, key, table, rel.location);

  const parents: string[] = (node.inhRelations ?? []).map((r: any) => rangeVarKey(r.RangeVar ?? r)).filter(Boolean);
  for (const p of parents) {
    ctx.touch(p);
    const parent = ctx.schema.table(p);
    copyColumns(parent, table);
    // Children and partitions inherit the parent's CHECK constraints (PostgreSQL copies them).
    for (const c of parent?.checks ?? []) table.checks.push({ ...c, columns: [...c.columns] });
  }
  if (node.partbound && parents.length) table.partitionOf = parents[0];

  const elements = elementRanges(ctx, rel.location);
  for (const elt of node.tableElts ?? []) {
    if (elt.ColumnDef) addColumn(ctx, table, elt.ColumnDef, elements);
    else if (elt.Constraint) {
      const con = elt.Constraint;
      const first = tokenAt(ctx.tokens, ctx.at(con.location));
      const range = rangeContaining(elements, first) ?? [first, first];
      applyConstraint(ctx, table, con, first, range[1]);
    } else if (elt.TableLikeClause) {
      const src = rangeVarKey(elt.TableLikeClause.relation);
      ctx.touch(src);
      copyColumns(ctx.schema.table(src), table);
    }
  }
  if (node.partspec) {
    const strategy = String(node.partspec.strategy ?? '').replace('PARTITION_STRATEGY_', '').toLowerCase();
    const columns = (node.partspec.partParams ?? []).map((p: any) => String(p.PartitionElem?.name ?? '')).filter(Boolean);
    table.partitionBy = { strategy, columns };
  }
}

/** Adds a ColumnDef (CREATE TABLE element or ALTER TABLE ADD COLUMN) to `table`. */
export function addColumn(ctx: ReplayContext, table: TableModel, def: any, ranges: Array<[number, number]>): ColumnModel {
  const column = columnFrom(ctx, def);
  const first = tokenAt(ctx.tokens, column.source.span.start);
  const range = rangeContaining(ranges, first) ?? [first, ctx.tokens.length - 1];
  table.columns.set(column.name, column);
  applyColumnConstraints(ctx, table, column, def, range[1]);
  return column;
}

/** Token ranges of the table elements: the depth-0 items inside the parentheses after the name. */
function elementRanges(ctx: ReplayContext, nameLocation: number | undefined): Array<[number, number]> {
  const { tokens } = ctx;
  const nameEnd = qualifiedNameEnd(tokens, tokenAt(tokens, ctx.at(nameLocation)));
  const open = nameEnd + 1;
  if (tokens[open]?.text !== '(') return [];
  return splitAtCommas(tokens, open + 1, closingParen(tokens, open));
}

export function replayCreateTableAs(ctx: ReplayContext, node: any): void {
  if (node.objtype && node.objtype !== 'OBJECT_TABLE') return;
  const rel = node.into?.rel ?? {};
  const key = rangeVarKey(rel);
  if (!key) return;
  if (node.if_not_exists && ctx.schema.tables.get(key)?.created) return;
  const table = emptyTable(String(rel.relname), rel.schemaname || undefined);
  table.temporary = rel.relpersistence === 't';
  declare(ctx, key, table, rel.location);
  // Column types of a query are unknown without a catalogue; names are still useful to rules.
  const named = strings(node.into?.colNames);
  const targets: any[] = node.query?.SelectStmt?.targetList ?? [];
  const count = Math.max(named.length, targets.length);
  for (let i = 0; i < count; i++) {
    const rt = targets[i]?.ResTarget ?? {};
    const fields = strings(rt.val?.ColumnRef?.fields);
    const name = named[i] ?? rt.name ?? fields[fields.length - 1];
    if (!name || name === '*') continue;
    const start = ctx.at(rt.location ?? node.into?.rel?.location);
    table.columns.set(name, {
      name,
      type: { name: 'unknown', mods: [], array: false, written: '' },
      notNull: false,
      source: ctx.ref({ start, end: start }),
    });
  }
}
