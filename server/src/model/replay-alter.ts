// ALTER TABLE commands, renames and drops. Each command of a multi-command ALTER TABLE gets
// the token range of its own comma-separated clause, so spans point at that clause only.
import type { TableModel } from './schema';
import { nameListKey, rangeVarKey, tableKey } from './schema-builder';
import type { ReplayContext } from './replay-context';
import { addColumn } from './replay-table';
import { applyConstraint, strings } from './replay-columns';
import { columnTypeTouchKey } from './replay-enum';
import { expressionEnd, findKeywords, qualifiedNameEnd, spanOf, splitAtCommas, tokenAt } from './tokens-util';
import { typeRefOf } from './types';

/** Token ranges of the commands after `ALTER TABLE [IF EXISTS] [ONLY] name [*]`. */
function commandRanges(ctx: ReplayContext, nameLocation: number | undefined): Array<[number, number]> {
  const { tokens } = ctx;
  let i = qualifiedNameEnd(tokens, tokenAt(tokens, ctx.at(nameLocation))) + 1;
  if (tokens[i]?.text === '*') i++;
  return splitAtCommas(tokens, i, tokens.length);
}

export function replayAlterTable(ctx: ReplayContext, node: any): void {
  if (node.objtype && node.objtype !== 'OBJECT_TABLE') return;
  const key = rangeVarKey(node.relation);
  if (!key) return;
  ctx.touch(key);
  const table = ctx.schema.ensureTable(key);
  const ranges = commandRanges(ctx, node.relation?.location);
  (node.cmds ?? []).forEach((c: any, i: number) => {
    const cmd = c.AlterTableCmd;
    if (!cmd) return;
    const range = ranges[i] ?? [0, ctx.tokens.length - 1];
    alterCommand(ctx, key, table, cmd, range);
  });
}

function alterCommand(ctx: ReplayContext, key: string, table: TableModel, cmd: any, range: [number, number]): void {
  const col = cmd.name ? table.columns.get(String(cmd.name)) : undefined;
  switch (cmd.subtype) {
    case 'AT_AddColumn': {
      const def = cmd.def?.ColumnDef;
      if (def && !(cmd.missing_ok && table.columns.has(String(def.colname)))) addColumn(ctx, table, def, [range]);
      break;
    }
    case 'AT_DropColumn':
      if (cmd.name) dropColumn(table, String(cmd.name));
      break;
    case 'AT_AlterColumnType': {
      const typeName = cmd.def?.ColumnDef?.typeName;
      if (col && typeName) {
        col.type = typeRefOf(typeName, ctx.tokens, ctx.at(typeName.location), ctx.text).type;
        ctx.touch(columnTypeTouchKey(col.type) ?? '');
      }
      break;
    }
    case 'AT_SetNotNull':
      if (col) col.notNull = true;
      break;
    case 'AT_DropNotNull':
      if (col) col.notNull = false;
      break;
    case 'AT_ColumnDefault': {
      if (!col) break;
      const kw = findKeywords(ctx.tokens, range[0], range[1], 'default');
      if (cmd.def && kw >= 0 && kw < range[1]) {
        col.defaultExpr = ctx.slice(spanOf(ctx.tokens, kw + 1, expressionEnd(ctx.tokens, kw + 1, range[1])));
      } else delete col.defaultExpr;
      break;
    }
    case 'AT_AddConstraint': {
      const con = cmd.def?.Constraint;
      if (!con) break;
      const first = Math.max(range[0], tokenAt(ctx.tokens, ctx.at(con.location)));
      applyConstraint(ctx, table, con, first, range[1]);
      break;
    }
    case 'AT_DropConstraint':
      if (cmd.name) dropConstraint(table, String(cmd.name));
      break;
    case 'AT_ValidateConstraint':
      for (const c of [...table.foreignKeys, ...table.checks]) if (c.name === cmd.name) c.validated = true;
      break;
    case 'AT_EnableRowSecurity':
      table.rlsEnabled = true;
      break;
    case 'AT_DisableRowSecurity':
      table.rlsEnabled = false;
      break;
    case 'AT_ForceRowSecurity':
      table.rlsForced = true;
      break;
    case 'AT_NoForceRowSecurity':
      table.rlsForced = false;
      break;
    case 'AT_AttachPartition': {
      const part = rangeVarKey(cmd.def?.PartitionCmd?.name);
      if (!part) break;
      ctx.touch(part);
      ctx.schema.ensureTable(part).partitionOf = key;
      break;
    }
    case 'AT_DetachPartition': {
      const part = ctx.schema.mutable(rangeVarKey(cmd.def?.PartitionCmd?.name));
      if (part) delete part.partitionOf;
      break;
    }
    default:
      break;
  }
}

/** PostgreSQL drops the indexes and constraints that use a dropped column; so does the model. */
function dropColumn(table: TableModel, name: string): void {
  table.columns.delete(name);
  const uses = (cols: string[]) => cols.includes(name);
  table.indexes = table.indexes.filter((i) => !uses(i.columns));
  table.foreignKeys = table.foreignKeys.filter((f) => !uses(f.columns));
  table.uniques = table.uniques.filter((u) => !uses(u.columns));
  table.checks = table.checks.filter((c) => !uses(c.columns));
  if (table.primaryKey && uses(table.primaryKey.columns)) delete table.primaryKey;
}

function dropConstraint(table: TableModel, name: string): void {
  table.foreignKeys = table.foreignKeys.filter((f) => f.name !== name);
  table.checks = table.checks.filter((c) => c.name !== name);
  table.uniques = table.uniques.filter((u) => u.name !== name);
  if (table.primaryKey?.name === name) delete table.primaryKey;
}

export function replayRename(ctx: ReplayContext, node: any): void {
  const key = node.relation ? rangeVarKey(node.relation) : '';
  const newName = String(node.newname ?? '');
  const old = String(node.subname ?? '');
  switch (node.renameType) {
    case 'OBJECT_TABLE':
      return renameTable(ctx, key, tableKey(newName, node.relation?.schemaname || undefined), newName);
    case 'OBJECT_COLUMN':
      return renameColumn(ctx, key, old, newName);
    case 'OBJECT_INDEX': {
      const name = String(node.relation?.relname ?? '');
      forEachTable(ctx, (t) => [...t.indexes, ...t.uniques].some((ix) => ix.name === name), (t) => {
        for (const ix of [...t.indexes, ...t.uniques]) if (ix.name === name) ix.name = newName;
      });
      return;
    }
    case 'OBJECT_TABCONSTRAINT': {
      const t = ctx.schema.mutable(key);
      ctx.touch(key);
      if (!t) return;
      for (const c of [...t.foreignKeys, ...t.checks, ...t.uniques]) if (c.name === old) c.name = newName;
      if (t.primaryKey?.name === old) t.primaryKey.name = newName;
      return;
    }
    case 'OBJECT_POLICY':
    case 'OBJECT_TRIGGER': {
      const t = ctx.schema.mutable(key);
      ctx.touch(key);
      const list = node.renameType === 'OBJECT_POLICY' ? t?.policies : t?.triggers;
      for (const p of list ?? []) if (p.name === old) p.name = newName;
      return;
    }
    default:
      return;
  }
}

function renameTable(ctx: ReplayContext, from: string, to: string, newName: string): void {
  ctx.touch(from);
  ctx.touch(to);
  const table = ctx.schema.mutable(from);
  if (!table) return;
  ctx.schema.tables.delete(from);
  table.name = newName;
  ctx.schema.setTable(to, table);
  const refersTo = (t: TableModel) => t.partitionOf === from || t.foreignKeys.some((f) => f.refTable === from) || t.indexes.some((i) => i.table === from);
  forEachTable(ctx, refersTo, (t) => {
    for (const fk of t.foreignKeys) if (fk.refTable === from) fk.refTable = to;
    for (const ix of t.indexes) if (ix.table === from) ix.table = to;
    if (t.partitionOf === from) t.partitionOf = to;
  });
  // A table created earlier in this file stays "new" under its new name.
  if (ctx.out.newTables.has(from)) ctx.out.newTables.set(to, ctx.out.newTables.get(from)!);
}

function renameColumn(ctx: ReplayContext, key: string, from: string, to: string): void {
  ctx.touch(key);
  const table = ctx.schema.mutable(key);
  const col = table?.columns.get(from);
  if (!table || !col) return;
  table.columns.delete(from);
  col.name = to;
  table.columns.set(to, col);
  const swap = (cols: string[]) => cols.forEach((c, i) => c === from && (cols[i] = to));
  if (table.primaryKey) swap(table.primaryKey.columns);
  table.uniques.forEach((u) => swap(u.columns));
  table.indexes.forEach((i) => swap(i.columns));
  table.foreignKeys.forEach((f) => swap(f.columns));
  table.checks.forEach((c) => swap(c.columns));
  const refers = (t: TableModel) => t.foreignKeys.some((f) => f.refTable === key && f.refColumns.includes(from));
  forEachTable(ctx, refers, (t) => t.foreignKeys.forEach((f) => f.refTable === key && swap(f.refColumns)));
}

export function replayDrop(ctx: ReplayContext, node: any): void {
  for (const obj of node.objects ?? []) {
    const names = strings(obj.List?.items ?? (obj.String ? [obj] : []));
    if (names.length === 0) continue;
    const last = names[names.length - 1];
    const key = tableKey(last, names.length > 1 ? names[names.length - 2] : undefined);
    switch (node.removeType) {
      case 'OBJECT_TABLE':
        ctx.touch(key);
        ctx.schema.tables.delete(key);
        ctx.out.newTables.delete(key);
        break;
      case 'OBJECT_INDEX':
        forEachTable(ctx, (t) => t.indexes.some((ix) => ix.name === last), (t, k) => {
          t.indexes = t.indexes.filter((ix) => ix.name !== last);
          t.uniques = t.uniques.filter((u) => u.name !== last);
          ctx.touch(k);
        });
        break;
      case 'OBJECT_POLICY':
      case 'OBJECT_TRIGGER': {
        const tk = tableKey(names[names.length - 2] ?? '', names.length > 2 ? names[names.length - 3] : undefined);
        const t = ctx.schema.mutable(tk);
        ctx.touch(tk);
        if (!t) break;
        if (node.removeType === 'OBJECT_POLICY') t.policies = t.policies.filter((p) => p.name !== last);
        else t.triggers = t.triggers.filter((p) => p.name !== last);
        break;
      }
      default:
        break;
    }
  }
  if (node.removeType === 'OBJECT_FUNCTION') {
    for (const obj of node.objects ?? []) {
      const name = nameListKey(obj.ObjectWithArgs?.objname);
      if (name) ctx.schema.functions.delete(name);
    }
  }
}

/** Changes, copy on write, every table that `matches`. */
function forEachTable(ctx: ReplayContext, matches: (t: TableModel) => boolean, change: (t: TableModel, key: string) => void): void {
  for (const [key, t] of [...ctx.schema.tables]) {
    if (!matches(t)) continue;
    const own = ctx.schema.mutable(key);
    if (own) change(own, key);
  }
}
