// What a table gets from the other tables, kept across keystrokes: its foreign keys (`.references()`
// and foreignKey()) and its extra config (indexes, keys, checks, policies) name columns of tables
// found by variable (`accounts.id`), so they are made after every table is read. A table copied
// from a cached extraction (table-cache.ts: same text, same meaning of its names) under the same
// directory of tables (each one's variable, name and column keys) completes as it did, moved by the
// offset change; the edits its foreign keys make lazily (setOnDelete) read the nodes, which the
// incremental parser moved in place, and the current syntax tree. A keystroke in one pgTable then
// reads one extra config, not the 300 others.
import type { Span } from '../engine/types';
import type { DrizzleForeignKey, DrizzleTable } from './schema-types';
import { tableOrigin } from './table-cache';

interface Completion {
  directory: string;
  /** The table's offset change since its cached extraction was made, when this completion was. */
  delta: number;
  foreignKeys: DrizzleForeignKey[];
  indexes: DrizzleTable['indexes'];
  primaryKey: DrizzleTable['primaryKey'];
  uniques: DrizzleTable['uniques'];
  checks: DrizzleTable['checks'];
  policies: DrizzleTable['policies'];
  rlsEnabled: boolean;
  extra: DrizzleTable['extra'];
  /** foreignKeysKey's answer, made on first request. */
  keysKey?: string;
}

const completions = new WeakMap<object, Completion>();
/** A table handed out -> the completion it has. */
const completionOf = new WeakMap<DrizzleTable, Completion>();

/**
 * What the table's foreign keys declare, as a string (statement rules' findings on a table are kept
 * while it is the same): made once per completion, not for every table on every keystroke.
 */
export function foreignKeysKey(t: DrizzleTable): string {
  const c = completionOf.get(t);
  if (c?.keysKey !== undefined) return c.keysKey;
  const key = JSON.stringify(t.foreignKeys.map((f) => [f.columns, f.refTable, f.refColumns, f.onDelete, f.onDeleteExplicit]));
  if (c) c.keysKey = key;
  return key;
}

/** How often a table's completion was reused or made: for tests and benches. */
export const tableCompletionStats = { reused: 0, made: 0 };

const shift = (s: Span, d: number): Span => ({ start: s.start + d, end: s.end + d });

function moved<T extends { span: Span }>(list: readonly T[], d: number): T[] {
  return d === 0 ? [...list] : list.map((x) => ({ ...x, span: shift(x.span, d) }));
}

function movedKey(f: DrizzleForeignKey, d: number): DrizzleForeignKey {
  if (d === 0) return f;
  return { ...f, span: shift(f.span, d), onDeleteSpan: f.onDeleteSpan && shift(f.onDeleteSpan, d), insertAt: f.insertAt + d };
}

/**
 * Completes `table` (fresh from tablePartsOf, with empty foreign keys and extra config): as last
 * time when its extraction and the directory are the same, else with `make`, which fills it.
 */
export function completeTable(table: DrizzleTable, directory: string, make: () => void): void {
  const origin = tableOrigin(table);
  const hit = origin && completions.get(origin.parts);
  if (origin && hit && hit.directory === directory) {
    const d = origin.delta - hit.delta;
    table.foreignKeys = hit.foreignKeys.map((f) => movedKey(f, d));
    table.indexes = moved(hit.indexes, d);
    table.primaryKey = hit.primaryKey && { ...hit.primaryKey, span: shift(hit.primaryKey.span, d) };
    table.uniques = moved(hit.uniques, d);
    table.checks = moved(hit.checks, d);
    table.policies = moved(hit.policies, d);
    table.rlsEnabled = hit.rlsEnabled;
    table.extra = hit.extra;
    completionOf.set(table, hit);
    tableCompletionStats.reused++;
    return;
  }
  make();
  tableCompletionStats.made++;
  if (!origin) return;
  const { foreignKeys, indexes, primaryKey, uniques, checks, policies, rlsEnabled, extra } = table;
  const made: Completion = { directory, delta: origin.delta, foreignKeys: [...foreignKeys], indexes: [...indexes], primaryKey, uniques: [...uniques], checks: [...checks], policies: [...policies], rlsEnabled, extra };
  completions.set(origin.parts, made);
  completionOf.set(table, made);
}
