// How the workspace names its indexes, read by every fix that adds one: the style (prefix or
// suffix) and the names taken. Both are facts of the whole schema, not of the tables a file
// touches: when an edit changes them, every file is re-checked (workspace-model.ts dependents);
// within a file, per-table reuse keys on every index name (rules/lib/per-table-findings.ts).
import type { IndexModel, SchemaModel } from './schema';

/** `idx_payments_account_id` (prefix) or `payments_account_id_idx` (suffix, PostgreSQL's own). */
export type IndexStyle = 'suffix' | 'prefix';

// A schema object is rebuilt when the workspace changes, so facts derived from it are cached per
// object: rules ask for them once per finding, and a file can have thousands of findings.
const styleCache = new WeakMap<SchemaModel, IndexStyle>();
const takenCache = new WeakMap<SchemaModel, Set<string>>();

export function indexStyle(schema: SchemaModel): IndexStyle {
  let style = styleCache.get(schema);
  if (!style) styleCache.set(schema, (style = computeIndexStyle(schema)));
  return style;
}

function computeIndexStyle(schema: SchemaModel): IndexStyle {
  let prefix = 0;
  let suffix = 0;
  for (const t of schema.tables.values()) {
    for (const i of t.indexes as IndexModel[]) {
      const n = i.name?.toLowerCase() ?? '';
      if (/^(idx|ix|index)_/.test(n)) prefix++;
      else if (/_(idx|index|ix)$/.test(n)) suffix++;
    }
  }
  return prefix > suffix ? 'prefix' : 'suffix';
}

/** The index names of every table of the schema (what a fix's new index must not reuse); one set per schema object. */
export function takenIndexNames(schema: SchemaModel): ReadonlySet<string> {
  let taken = takenCache.get(schema);
  if (!taken) {
    taken = new Set<string>();
    for (const t of schema.tables.values()) for (const i of t.indexes) if (i.name) taken.add(i.name);
    takenCache.set(schema, taken);
  }
  return taken;
}

/** Whether a fix adding an index could name it differently under `b` than under `a`. */
export function sameIndexNaming(a: SchemaModel, b: SchemaModel): boolean {
  if (indexStyle(a) !== indexStyle(b)) return false;
  const x = takenIndexNames(a);
  const y = takenIndexNames(b);
  if (x.size !== y.size) return false;
  for (const name of x) if (!y.has(name)) return false;
  return true;
}
