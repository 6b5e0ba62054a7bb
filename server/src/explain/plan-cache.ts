/**
 * Plans per (statement text, parameters, connection), so moving the mouse back over a statement does not
 * run EXPLAIN again. A migration or a change to a table's model invalidates the plans that read it.
 */

export interface PlanCacheKey {
  sql: string;
  /** Anything that changes the plan: analyze mode, parameter types, settings. */
  params?: unknown;
  connectionLabel: string;
}

interface Entry<V> {
  value: V;
  tables: Set<string>;
  /** Each table's version in the workspace model when the plan was made (see `dropChanged`). */
  versions: Map<string, string | undefined>;
}

/** A table's definition in the workspace model, as a comparable string; undefined when the model lacks it. */
export type TableVersion = (table: string) => string | undefined;

export class PlanCache<V> {
  private readonly entries = new Map<string, Entry<V>>();

  constructor(private readonly maxEntries = 200) {}

  static keyOf(key: PlanCacheKey): string {
    // Whitespace differences do not change a plan.
    return JSON.stringify([key.connectionLabel, key.sql.replace(/\s+/g, ' ').trim(), key.params ?? null]);
  }

  get(key: PlanCacheKey): V | undefined {
    const id = PlanCache.keyOf(key);
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    // Map keeps insertion order: re-inserting makes this the most recently used.
    this.entries.delete(id);
    this.entries.set(id, entry);
    return entry.value;
  }

  set(key: PlanCacheKey, value: V, tables: string[], versionOf?: TableVersion): void {
    const id = PlanCache.keyOf(key);
    const names = new Set(tables.map(normaliseTable));
    this.entries.delete(id);
    this.entries.set(id, { value, tables: names, versions: new Map([...names].map((t) => [t, versionOf?.(t)])) });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  /** Drops every plan that reads or writes one of these tables (`payments` or `public.payments`). */
  invalidateTables(tables: string[]): number {
    const wanted = new Set(tables.map(normaliseTable));
    let dropped = 0;
    for (const [id, entry] of this.entries) {
      if ([...entry.tables].some((t) => wanted.has(t))) {
        this.entries.delete(id);
        dropped++;
      }
    }
    return dropped;
  }

  /**
   * Drops every plan made before a migration or schema edit changed one of its tables in the workspace
   * model (or added a table it reads): the model is the editor's view of what the database will become.
   * Returns the tables that changed.
   */
  dropChanged(versionOf: TableVersion): string[] {
    const now = new Map<string, string | undefined>();
    const current = (table: string) => {
      if (!now.has(table)) now.set(table, versionOf(table));
      return now.get(table);
    };
    const changed = new Set<string>();
    for (const [id, entry] of this.entries) {
      const stale = [...entry.versions].filter(([table, version]) => current(table) !== version);
      if (!stale.length) continue;
      stale.forEach(([table]) => changed.add(table));
      this.entries.delete(id);
    }
    return [...changed];
  }

  /** Drops the plans of one connection, e.g. after it changed or reconnected to another server. */
  invalidateConnection(connectionLabel: string): void {
    for (const id of [...this.entries.keys()]) {
      if ((JSON.parse(id) as unknown[])[0] === connectionLabel) this.entries.delete(id);
    }
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

function normaliseTable(name: string): string {
  const last = name.split('.').pop() ?? name;
  return last.replace(/"/g, '').toLowerCase();
}
