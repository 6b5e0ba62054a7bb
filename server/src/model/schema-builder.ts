// A mutable SchemaModel and the naming rules shared by every front-end that fills one.
// Tables in `public` (or unqualified) are keyed by their bare name, others by `schema.name`,
// so `public.accounts` and `accounts` are the same table, as with the default search_path.
import type { FunctionModel, SchemaModel, TableModel } from './schema';

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

export class MutableSchema implements SchemaModel {
  tables = new Map<string, TableModel>();
  functions = new Map<string, FunctionModel>();
  revokedExecute = new Set<string>();

  table(name: string): TableModel | undefined {
    const exact = this.tables.get(name);
    if (exact) return exact;
    const dot = name.indexOf('.');
    if (dot >= 0) return name.slice(0, dot) === 'public' ? this.tables.get(name.slice(dot + 1)) : undefined;
    for (const t of this.tables.values()) if (t.name === name) return t;
    return undefined;
  }

  /** The table, created as an "only altered here" placeholder when the workspace never created it. */
  ensureTable(key: string): TableModel {
    let t = this.tables.get(key);
    if (!t) {
      const dot = key.indexOf('.');
      t = emptyTable(dot >= 0 ? key.slice(dot + 1) : key, dot >= 0 ? key.slice(0, dot) : undefined);
      this.tables.set(key, t);
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
