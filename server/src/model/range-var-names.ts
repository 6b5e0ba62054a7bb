// The tables a statement names through RangeVars, wrapped (`{ RangeVar: ... }` in FROM) or bare
// (the `relation` of UPDATE, DELETE, INSERT, which the node index does not list), found by a walk
// of the whole tree once per statement text: per-table reuse after a DDL edit and the rules'
// table-shape keys both ask it for every statement on every keystroke.
import type { Statement } from '../sql/document';
import { rangeVarKey } from './schema-builder';

export interface RangeVarNames {
  /** Table keys as the schema stores them (schema-qualified where written so). */
  keys: string[];
  /** Lower-cased bare table names. */
  bare: string[];
}

const namesByEntry = new WeakMap<object, RangeVarNames>();

export function rangeVarNames(stmt: Statement): RangeVarNames {
  let names = namesByEntry.get(stmt.entry);
  if (names) return names;
  const keys = new Set<string>();
  const bare = new Set<string>();
  const walk = (node: unknown, depth: number): void => {
    if (!node || typeof node !== 'object' || depth > 500) return;
    if (Array.isArray(node)) {
      // By index: under the CLI's baseline tiers a for-of allocates a result object per element.
      for (let i = 0; i < node.length; i++) walk(node[i], depth + 1);
      return;
    }
    const o = node as Record<string, unknown>;
    if (typeof o.relname === 'string') {
      keys.add(rangeVarKey(o));
      bare.add(o.relname.toLowerCase());
    }
    for (const k in o) walk(o[k], depth + 1);
  };
  walk(stmt.ast, 0);
  namesByEntry.set(stmt.entry, (names = { keys: [...keys], bare: [...bare] }));
  return names;
}
