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
}

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

  set(key: PlanCacheKey, value: V, tables: string[]): void {
    const id = PlanCache.keyOf(key);
    this.entries.delete(id);
    this.entries.set(id, { value, tables: new Set(tables.map(normaliseTable)) });
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
