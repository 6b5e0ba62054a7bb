// The workspace schema as file rules should see it when only a few tables of a file are checked
// again: the same tables, but those few are declared in another (made-up) file. Schema-wide rules
// report on the tables the linted file declares (rules/lib/schema-workspace.ts, ownTables), so
// linting that made-up file visits the changed tables alone, while every lookup of another table,
// index name or naming style still sees the whole schema.
import type { SchemaModel, SourceRef, TableModel } from '../model/schema';

const relabel = (ref: SourceRef | undefined, from: string, to: string): SourceRef | undefined => (ref && ref.file === from ? { ...ref, file: to } : ref);

function withSource<T extends { source: SourceRef }>(items: readonly T[], from: string, to: string): T[] {
  return items.map((x) => (x.source.file === from ? { ...x, source: relabel(x.source, from, to)! } : x));
}

function relabelTable(t: TableModel, from: string, to: string): TableModel {
  const columns = new Map([...t.columns].map(([k, c]) => [k, c.source.file === from ? { ...c, source: relabel(c.source, from, to)! } : c]));
  return {
    ...t,
    columns,
    created: relabel(t.created, from, to),
    nameSpan: relabel(t.nameSpan, from, to),
    primaryKey: t.primaryKey && { ...t.primaryKey, source: relabel(t.primaryKey.source, from, to)! },
    uniques: withSource(t.uniques, from, to),
    foreignKeys: withSource(t.foreignKeys, from, to),
    indexes: withSource(t.indexes, from, to),
    checks: withSource(t.checks, from, to),
    policies: withSource(t.policies, from, to),
    triggers: withSource(t.triggers, from, to),
    grants: withSource(t.grants, from, to),
  };
}

/** Whether anything reachable from `value` still names `file`: a field the relabelling does not know. */
function mentions(value: unknown, file: string, depth = 0): boolean {
  if (depth > 8 || value === null || typeof value !== 'object') return false;
  if ((value as { file?: unknown }).file === file) return true;
  const children = value instanceof Map ? value.values() : Array.isArray(value) ? value : Object.values(value);
  for (const v of children) if (mentions(v, file, depth + 1)) return true;
  return false;
}

/**
 * `schema` with the tables of `path` named in `names` moved to `to`; undefined when such a table
 * cannot be moved whole (a field holding `path` that the relabelling does not know).
 */
export function changedTablesView(schema: SchemaModel, path: string, names: ReadonlySet<string>, to: string): SchemaModel | undefined {
  const tables = new Map(schema.tables);
  const moved = new Map<TableModel, TableModel>();
  for (const [key, t] of schema.tables) {
    if (!names.has(t.name) || !(t.created?.file === path || t.nameSpan?.file === path)) continue;
    const copy = relabelTable(t, path, to);
    if (mentions(copy, path)) return undefined;
    tables.set(key, copy);
    moved.set(t, copy);
  }
  return {
    tables,
    functions: schema.functions,
    enums: schema.enums,
    revokedExecute: schema.revokedExecute,
    enumType: (name) => schema.enumType(name),
    table: (name) => {
      const t = schema.table(name);
      return (t && moved.get(t)) ?? t;
    },
  };
}
