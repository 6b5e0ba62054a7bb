// A mutable SchemaModel and the naming rules shared by every front-end that fills one.
// Tables in `public` (or unqualified) are keyed by their bare name, others by `schema.name`,
// so `public.accounts` and `accounts` are the same table, as with the default search_path.
import type { ColumnModel, EnumModel, FunctionModel, SchemaModel, TableModel } from './schema';

export function tableKey(name: string, schema?: string): string {
  return schema && schema !== 'public' ? `${schema}.${name}` : name;
}

/** Key of a RangeVar node (unwrapped): `{ schemaname, relname }`. */
export function rangeVarKey(rv: any): string {
  return tableKey(String(rv?.relname ?? ''), rv?.schemaname ? String(rv.schemaname) : undefined);
}

/** Key of a dotted name list (`[{String:{sval:'public'}}, {String:{sval:'t'}}]`). */
export function nameListKey(items: any[] | undefined): string {
  const names = (items ?? []).map((n: any) => String(n?.String?.sval ?? ''));
  if (names.length === 0) return '';
  const name = names[names.length - 1];
  return tableKey(name, names.length > 1 ? names[names.length - 2] : undefined);
}

/** A Map that counts its changes, so lookups derived from it know when to rebuild. */
class VersionedMap<K, V> extends Map<K, V> {
  version = 0;
  override set(key: K, value: V): this {
    this.version++;
    return super.set(key, value);
  }
  override delete(key: K): boolean {
    this.version++;
    return super.delete(key);
  }
  override clear(): void {
    this.version++;
    super.clear();
  }
}

/**
 * A SchemaModel being built. Forks share table objects with their parent until they change them
 * (copy on write), so the workspace can keep cheap checkpoints of the schema between migration
 * files and replay only from the edited file onward. Code that changes a table must get it from
 * `mutable`/`ensureTable` (never mutate what `tables.get` or `table` return) and add tables with
 * `setTable`.
 */
export class MutableSchema implements SchemaModel {
  tables: Map<string, TableModel> = new VersionedMap<string, TableModel>();
  functions = new Map<string, FunctionModel>();
  enums: Map<string, EnumModel> = new VersionedMap<string, EnumModel>();
  revokedExecute = new Set<string>();
  private owned = new Set<object>();
  /** Bare table name -> first table with that name, for lookups that miss the key (rules look up unknown tables often). */
  private byName?: { map: Map<string, TableModel>; of: Map<string, TableModel>; version: number };
  /** Lower-cased enum key -> enum, for type names (always lower-cased) that miss the exact key. */
  private enumsLower?: { map: Map<string, EnumModel>; of: Map<string, EnumModel>; version: number };

  /** A copy that shares unchanged tables and functions with this schema, which must not change afterwards. */
  fork(): MutableSchema {
    const f = new MutableSchema();
    f.tables = new VersionedMap(this.tables);
    f.functions = new Map(this.functions);
    f.enums = new VersionedMap(this.enums);
    f.revokedExecute = new Set(this.revokedExecute);
    return f;
  }

  /** The table under `key`, safe to change in this schema. */
  mutable(key: string): TableModel | undefined {
    const t = this.tables.get(key);
    if (!t || this.owned.has(t)) return t;
    const copy = cloneTable(t);
    this.setTable(key, copy);
    return copy;
  }

  setTable(key: string, table: TableModel): void {
    this.tables.set(key, table);
    this.owned.add(table);
  }

  mutableFunction(name: string): FunctionModel | undefined {
    const f = this.functions.get(name);
    if (!f || this.owned.has(f)) return f;
    const copy = { ...f };
    this.setFunction(name, copy);
    return copy;
  }

  setFunction(name: string, fn: FunctionModel): void {
    this.functions.set(name, fn);
    this.owned.add(fn);
  }

  /** The enum under `key`, safe to change in this schema. */
  mutableEnum(key: string): EnumModel | undefined {
    const e = this.enums.get(key);
    if (!e || this.owned.has(e)) return e;
    const copy = { ...e, values: e.values.map((v) => ({ ...v })) };
    this.setEnum(key, copy);
    return copy;
  }

  setEnum(key: string, e: EnumModel): void {
    this.enums.set(key, e);
    this.owned.add(e);
  }

  enumType(name: string): EnumModel | undefined {
    if (this.enums.size === 0 || !name) return undefined;
    const key = name.startsWith('public.') ? name.slice(7) : name;
    const exact = this.enums.get(key);
    if (exact) return exact;
    // TypeRef names are lower-cased; an enum created with a quoted mixed-case name still matches.
    const version = this.enums instanceof VersionedMap ? this.enums.version : -1;
    let cached = this.enumsLower;
    if (!cached || cached.of !== this.enums || version < 0 || cached.version !== version) {
      const map = new Map<string, EnumModel>();
      for (const [k, e] of this.enums) if (!map.has(k.toLowerCase())) map.set(k.toLowerCase(), e);
      cached = this.enumsLower = { map, of: this.enums, version };
    }
    return cached.map.get(key.toLowerCase());
  }

  table(name: string): TableModel | undefined {
    const exact = this.tables.get(name);
    if (exact) return exact;
    const dot = name.indexOf('.');
    if (dot >= 0) return name.slice(0, dot) === 'public' ? this.tables.get(name.slice(dot + 1)) : undefined;
    return this.nameIndex().get(name);
  }

  private nameIndex(): Map<string, TableModel> {
    const version = this.tables instanceof VersionedMap ? this.tables.version : -1;
    const cached = this.byName;
    if (cached && cached.of === this.tables && version >= 0 && cached.version === version) return cached.map;
    const map = new Map<string, TableModel>();
    for (const t of this.tables.values()) if (!map.has(t.name)) map.set(t.name, t);
    this.byName = { map, of: this.tables, version };
    return map;
  }

  /** The table, created as an "only altered here" placeholder when the workspace never created it. */
  ensureTable(key: string): TableModel {
    let t = this.mutable(key);
    if (!t) {
      const dot = key.indexOf('.');
      t = emptyTable(dot >= 0 ? key.slice(dot + 1) : key, dot >= 0 ? key.slice(0, dot) : undefined);
      this.setTable(key, t);
    }
    return t;
  }
}

export function emptyTable(name: string, schema?: string): TableModel {
  return {
    name,
    schema,
    columns: new Map(),
    uniques: [],
    foreignKeys: [],
    indexes: [],
    checks: [],
    policies: [],
    triggers: [],
    grants: [],
    rlsEnabled: false,
    rlsForced: false,
    temporary: false,
  };
}

/** A copy of `t` whose every nested object and array can be changed without touching `t`. */
export function cloneTable(t: TableModel): TableModel {
  const cols = <T extends { columns: string[] }>(x: T): T => ({ ...x, columns: [...x.columns] });
  const columns = new Map<string, ColumnModel>();
  for (const [k, c] of t.columns) columns.set(k, { ...c, type: { ...c.type, mods: [...c.type.mods] } });
  return {
    ...t,
    columns,
    primaryKey: t.primaryKey && cols(t.primaryKey),
    uniques: t.uniques.map(cols),
    foreignKeys: t.foreignKeys.map((f) => ({ ...cols(f), refColumns: [...f.refColumns] })),
    indexes: t.indexes.map(cols),
    checks: t.checks.map(cols),
    policies: t.policies.map((p) => ({ ...p })),
    triggers: t.triggers.map((x) => ({ ...x, events: [...x.events] })),
    grants: [...t.grants],
    partitionBy: t.partitionBy && { ...t.partitionBy, columns: [...t.partitionBy.columns] },
  };
}
