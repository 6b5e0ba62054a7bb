// The tables a DDL edit may have changed for the rules that keep findings per statement, as the
// lower-cased names a statement could reach them by. Worked out once per pair of file-rule tokens
// (file-rule-cache.ts), so that each of the 10,000 statements of a long file is then judged by a few
// lookups in a small set: asked per statement and per name, the comparisons (DDL strings, table
// shapes, partitioned parents) of every table the file names were ~9% of a DDL keystroke.
import type { SchemaModel, TableModel } from '../model/schema';
import { sameTable } from '../model/same-table';

/**
 * Lower-cased names of tables whose DDL in this file (`byTable`) or whose shape differs between the
 * two schemas, or one of whose partitioned parents did. A name is added in each form a RangeVar may
 * reach the table by (stored key, its parts after a dot, the table's name): a statement naming none
 * of them names no changed table, whatever the schema resolves its names to.
 */
export function changedTableNames(aTables: ReadonlyMap<string, string>, bTables: ReadonlyMap<string, string>, a: SchemaModel, b: SchemaModel): ReadonlySet<string> {
  const out = new Set<string>();
  for (const [name, ddl] of aTables) if (bTables.get(name) !== ddl) out.add(name);
  for (const [name, ddl] of bTables) if (aTables.get(name) !== ddl) out.add(name);
  for (const [key, t] of a.tables) {
    const other = b.tables.get(key);
    if (!sameTable(t, other)) {
      addForms(out, key, t);
      if (other) addForms(out, key, other);
    }
  }
  for (const [key, t] of b.tables) if (!a.tables.has(key)) addForms(out, key, t);
  // A partition is judged with its parents: changed when one of them is (names checked, not
  // objects, so a parent the schema finds by another spelling of its key counts too).
  const parentsChanged: Array<[string, TableModel]> = [];
  for (const schema of [a, b]) {
    for (const [key, t] of schema.tables) {
      let parent = t.partitionOf;
      for (let depth = 0; parent && depth < 9; depth++) {
        const p = schema.tables.get(parent);
        if (formsIn(out, parent, p)) {
          parentsChanged.push([key, t]);
          break;
        }
        parent = p?.partitionOf;
      }
    }
  }
  for (const [key, t] of parentsChanged) addForms(out, key, t);
  return out;
}

function addForms(out: Set<string>, key: string, t: TableModel): void {
  const k = key.toLowerCase();
  out.add(k);
  out.add(k.slice(k.indexOf('.') + 1));
  out.add(k.slice(k.lastIndexOf('.') + 1));
  out.add(t.name.toLowerCase());
}

function formsIn(set: ReadonlySet<string>, key: string, t: TableModel | undefined): boolean {
  const k = key.toLowerCase();
  return set.has(k) || set.has(k.slice(k.indexOf('.') + 1)) || set.has(k.slice(k.lastIndexOf('.') + 1)) || (t !== undefined && set.has(t.name.toLowerCase()));
}
