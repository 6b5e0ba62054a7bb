// A Drizzle schema file's tables as a workspace-model contribution (`WorkspaceModel.setContribution`):
// they join the SQL migrations' tables, with TypeScript source ranges.
import { tableKey, emptyTable, type MutableSchema } from '../model/schema-builder';
import type { ContributionFn } from '../model/workspace-model';
import type { DrizzleTable } from './schema-types';

export function drizzleContribution(tables: readonly DrizzleTable[]): ContributionFn {
  return (schema: MutableSchema, out, ref) => {
    tables.forEach((t, i) => {
      const key = tableKey(t.name, t.schema);
      const model = emptyTable(t.name, t.schema);
      model.created = ref(t.span);
      model.nameSpan = ref(t.nameSpan);
      for (const c of t.columns) {
        model.columns.set(c.dbName, { name: c.dbName, type: c.type, notNull: c.notNull, defaultExpr: c.defaultExpr, identity: c.identity, generated: c.generated, source: ref(c.span) });
        if (c.primaryKey) model.primaryKey = { columns: [c.dbName], source: ref(c.span) };
        if (c.unique) model.uniques.push({ columns: [c.dbName], source: ref(c.span) });
      }
      if (t.primaryKey) model.primaryKey = { columns: t.primaryKey.columns, source: ref(t.primaryKey.span) };
      for (const u of t.uniques) model.uniques.push({ name: u.name, columns: u.columns, source: ref(u.span) });
      for (const f of t.foreignKeys) {
        model.foreignKeys.push({ columns: f.columns, refTable: f.refTable, refColumns: f.refColumns, onDelete: f.onDelete, onDeleteExplicit: f.onDeleteExplicit, validated: true, source: ref(f.span) });
        if (f.refTable) out.touched.add(tableKey(f.refTable));
      }
      for (const x of t.indexes) model.indexes.push({ name: x.name, table: t.name, columns: x.columns, method: x.method, unique: x.unique, where: x.where, concurrently: x.concurrently, source: ref(x.span) });
      for (const c of t.checks) model.checks.push({ name: c.name, expr: c.expr, columns: [], validated: true, source: ref(c.span) });
      for (const p of t.policies) model.policies.push({ ...p, source: ref(p.span) });
      model.rlsEnabled = t.rlsEnabled;
      schema.setTable(key, model);
      out.newTables.set(key, i);
      out.touched.add(key);
    });
  };
}
