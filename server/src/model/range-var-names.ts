// The tables a statement names through RangeVars, wrapped (`{ RangeVar: ... }` in FROM) or bare
// (the `relation` of UPDATE, DELETE, INSERT, which the node index does not list), found by a walk
// of the whole tree (the node index's) once per statement text: per-table reuse after a DDL edit and the rules'
// table-shape keys both ask it for every statement on every keystroke.
import type { Statement } from '../sql/document';
import { relnameHoldersOf } from '../sql/node-index';
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
  // The node index's walk collects them (sql/node-index.ts): a walk of its own cost as much again.
  const found = stmt.ast ? relnameHoldersOf(stmt.nodes()) : [];
  for (let i = 0; i < found.length; i++) {
    const o = found[i] as Record<string, unknown>;
    keys.add(rangeVarKey(o));
    bare.add((o.relname as string).toLowerCase());
  }
  namesByEntry.set(stmt.entry, (names = { keys: [...keys], bare: [...bare] }));
  return names;
}
