// How the workspace names its indexes, read by every fix that adds one. It is a fact of the whole
// schema, not of the tables a file touches: when an edit changes it, every file is re-checked
// (workspace-model.ts dependents); within a file, per-table reuse keys on every index name
// (rules/lib/per-table-findings.ts).
import type { IndexModel, SchemaModel } from './schema';

/** `idx_payments_account_id` (prefix) or `payments_account_id_idx` (suffix, PostgreSQL's own). */
export type IndexStyle = 'suffix' | 'prefix';

// A schema object is rebuilt when the workspace changes, so the style is cached per object: rules
// ask for it once per finding, and a file can have thousands of findings.
const styleCache = new WeakMap<SchemaModel, IndexStyle>();

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
