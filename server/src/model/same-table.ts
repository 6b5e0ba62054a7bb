// Whether a table looks the same to rules in two schemas (before and after a DDL edit elsewhere):
// the same object (forks share tables they did not change), or equal in everything but where it
// was declared (spans move with every keystroke; file and run order do not). Compared field by
// field with an early exit: a JSON shape of every table named in a 10,000-statement file cost
// ~100 ms per edit.
import type { SchemaModel, SourceRef, TableModel } from './schema';

/** Per schema: the bare names of its tables, so a lookup of a missing name needs no scan. */
const namesPerSchema = new WeakMap<SchemaModel, Set<string>>();

/** `schema.table(key)` as rules call it, answering undefined at once when no table has that bare name. */
export function lookupTable(schema: SchemaModel, key: string): TableModel | undefined {
  const exact = schema.tables.get(key);
  if (exact) return exact;
  let names = namesPerSchema.get(schema);
  if (!names) {
    names = new Set();
    for (const t of schema.tables.values()) names.add(t.name);
    namesPerSchema.set(schema, names);
  }
  // The bare name follows the schema's dot, and a quoted name may hold dots itself: try each split.
  const named = names.has(key) || names.has(key.slice(key.indexOf('.') + 1)) || names.has(key.slice(key.lastIndexOf('.') + 1));
  return named ? schema.table(key) : undefined;
}

/** The last comparison per table object: thousands of queries name the same few tables. */
const lastCompared = new WeakMap<TableModel, { other: TableModel; same: boolean }>();

export function sameTable(a: TableModel | undefined, b: TableModel | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  const memo = lastCompared.get(a);
  if (memo && memo.other === b) return memo.same;
  const same = equalValues(a, b, '');
  lastCompared.set(a, { other: b, same });
  return same;
}

// Where a thing was declared: only its file and run order count (see the header).
const SPAN_KEYS = new Set(['source', 'created', 'nameSpan']);

/**
 * `a` and `b` are equal in everything, where they were declared included (file, run order and
 * span): one may stand for the other in a checkpoint (model/checkpoint-patch.ts).
 */
export function sameTableExactly(a: TableModel, b: TableModel): boolean {
  return a === b || equalValues(a, b, '', true);
}

/**
 * When `a` and `b` differ only in the spans they were declared at (text moved inside their
 * statements: whitespace, a comment), the pairs of their distinct source refs, `a`'s first;
 * undefined when they differ in anything else (file and run order included).
 */
export function spanOnlyDifference(a: TableModel, b: TableModel): Array<[SourceRef, SourceRef]> | undefined {
  if (!equalValues(a, b, '')) return undefined;
  const pairs: Array<[SourceRef, SourceRef]> = [];
  // Equal values have the same structure: walked side by side.
  const walk = (x: unknown, y: unknown, key: string, depth: number): void => {
    if (x === y || typeof x !== 'object' || x === null || typeof y !== 'object' || y === null || depth > 20) return;
    if (SPAN_KEYS.has(key)) {
      pairs.push([x as SourceRef, y as SourceRef]);
      return;
    }
    if (x instanceof Map) {
      const ys = [...(y as Map<unknown, unknown>).values()];
      let i = 0;
      for (const v of x.values()) walk(v, ys[i++], '', depth + 1);
    } else if (Array.isArray(x)) x.forEach((v, i) => walk(v, (y as unknown[])[i], '', depth + 1));
    else for (const k in x as Record<string, unknown>) walk((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k], k, depth + 1);
  };
  walk(a, b, '', 0);
  return pairs;
}

/** Adds the source refs (created, nameSpan, source) `table` holds, at any depth, to `into`. */
export function sourceRefsOf(table: TableModel, into: Set<object>): void {
  const walk = (x: unknown, key: string, depth: number): void => {
    if (typeof x !== 'object' || x === null || depth > 20) return;
    if (SPAN_KEYS.has(key)) {
      into.add(x);
      return;
    }
    if (x instanceof Map) for (const v of x.values()) walk(v, '', depth + 1);
    else if (Array.isArray(x)) for (const v of x) walk(v, '', depth + 1);
    else for (const k in x as Record<string, unknown>) walk((x as Record<string, unknown>)[k], k, depth + 1);
  };
  walk(table, '', 0);
}

function equalValues(x: unknown, y: unknown, key: string, exact = false): boolean {
  if (x === y) return true;
  if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return false;
  if (SPAN_KEYS.has(key) && !exact) {
    const rx = x as { file?: unknown; order?: unknown };
    const ry = y as { file?: unknown; order?: unknown };
    return key === 'nameSpan' || (rx.file === ry.file && rx.order === ry.order);
  }
  if (x instanceof Map) {
    if (!(y instanceof Map) || x.size !== y.size) return false;
    const ya = [...y];
    let i = 0;
    // Map order matters to rules that list columns.
    for (const [k, v] of x) {
      const [yk, yv] = ya[i++];
      if (k !== yk || !equalValues(v, yv, '', exact)) return false;
    }
    return true;
  }
  if (Array.isArray(x)) {
    if (!Array.isArray(y) || x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!equalValues(x[i], y[i], '', exact)) return false;
    return true;
  }
  if (Array.isArray(y) || y instanceof Map) return false;
  const ox = x as Record<string, unknown>;
  const oy = y as Record<string, unknown>;
  let count = 0;
  for (const k in ox) {
    if (ox[k] === undefined) continue;
    count++;
    if (!equalValues(ox[k], oy[k], k, exact)) return false;
  }
  for (const k in oy) if (oy[k] !== undefined) count--;
  return count === 0;
}
