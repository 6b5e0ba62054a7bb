// What the workspace model asks of a file on every keystroke to decide whether the schema can be
// kept: which of its statements change the schema (index and parse entry), and which tables its
// statements read or write. A full pass over 10,000 statements took ~11 ms per keystroke; here a
// version re-split from the one tracked before (SqlFile.edit) is updated from the statements the
// edit replaced, so the work follows the size of the edit, not of the file.
import type { ParsedEntry, SqlFile, Statement } from '../sql/document';
import { referencedTables, SCHEMA_STATEMENT_TYPES } from '../model/replay';

/** The schema-changing statements of a file version: their indices and parse entries (one per text). */
export interface SchemaStatements {
  readonly indices: readonly number[];
  readonly entries: readonly ParsedEntry[];
}

interface Tracked {
  /** The file version this describes. */
  fileId: object | undefined;
  shape: SchemaStatements;
  /** Per table name: how many statements reference it (once per statement, however often it names it). */
  names: Map<string, number>;
  /** Bumped when a name is added or its last reference removed: the answer of referencedTablesOf is kept until then. */
  namesVersion: number;
  tables?: { version: number; also: Iterable<string>; set: Set<string> };
}

const tracked = new WeakMap<object, Tracked>();

function schemaType(s: Statement): boolean {
  if (!s.ast || s.error) return false;
  for (const k in s.ast) return SCHEMA_STATEMENT_TYPES.has(k);
  return false;
}

/** Counts the statement's tables in or out; true when a name appeared or disappeared. */
function countNames(s: Statement, names: Map<string, number>, by: 1 | -1): boolean {
  if (!s.ast || s.error) return false;
  const found = new Set<string>();
  try {
    referencedTables(s, found);
  } catch {
    // replay skips such a statement too
    return false;
  }
  let changed = false;
  for (const name of found) {
    const n = (names.get(name) ?? 0) + by;
    if (n > 0) names.set(name, n);
    else names.delete(name);
    if (n === 0 || (n === 1 && by === 1)) changed = true;
  }
  return changed;
}

function fullPass(file: SqlFile): Tracked {
  const indices: number[] = [];
  const entries: ParsedEntry[] = [];
  const names = new Map<string, number>();
  for (const s of file.statements) {
    if (schemaType(s)) {
      indices.push(s.index);
      entries.push(s.entry);
    }
    countNames(s, names, 1);
  }
  return { fileId: file.id, shape: { indices, entries }, names, namesVersion: 0 };
}

/** `before` updated for the statements `file.edit` replaced; new arrays, `before.shape` is left as it was. */
function afterEdit(before: Tracked, file: SqlFile): Tracked {
  const edit = file.edit!;
  const { head, removed, added } = edit;
  const shift = added - removed.length;
  const old = before.shape;
  // Schema statements before the edit, then the replaced range's new ones, then the later ones re-indexed.
  let lo = 0;
  while (lo < old.indices.length && old.indices[lo] < head) lo++;
  let hi = lo;
  while (hi < old.indices.length && old.indices[hi] < head + removed.length) hi++;
  const indices = old.indices.slice(0, lo);
  const entries = old.entries.slice(0, lo);
  for (let i = head; i < head + added; i++) {
    const s = file.statements[i];
    if (schemaType(s)) {
      indices.push(i);
      entries.push(s.entry);
    }
  }
  for (let k = hi; k < old.indices.length; k++) {
    indices.push(old.indices[k] + shift);
    entries.push(old.entries[k]);
  }
  const names = before.names;
  let changed = false;
  for (const s of removed) if (countNames(s, names, -1)) changed = true;
  for (let i = head; i < head + added; i++) if (countNames(file.statements[i], names, 1)) changed = true;
  return { fileId: file.id, shape: { indices, entries }, names, namesVersion: before.namesVersion + (changed ? 1 : 0), tables: before.tables };
}

/**
 * The file's schema statements, kept for `owner` (the model's entry of the file) and updated from
 * the edit when `file` was re-split from the version asked about last; a full pass otherwise.
 */
function track(owner: object, file: SqlFile): Tracked {
  const before = tracked.get(owner);
  if (before && before.fileId === file.id) return before;
  const now = before && file.edit && before.fileId === file.edit.from ? afterEdit(before, file) : fullPass(file);
  tracked.set(owner, now);
  return now;
}

export function schemaStatements(owner: object, file: SqlFile): SchemaStatements {
  return track(owner, file).shape;
}

export function sameSchemaStatements(a: SchemaStatements, b: SchemaStatements): boolean {
  if (a.indices.length !== b.indices.length) return false;
  for (let i = 0; i < a.indices.length; i++) if (a.indices[i] !== b.indices[i] || a.entries[i] !== b.entries[i]) return false;
  return true;
}

/**
 * Every table the file's statements read or write (replay's references), plus `also`. The same set
 * while neither changed (a keystroke rarely adds or drops a table name): callers must not change it.
 */
export function referencedTablesOf(owner: object, file: SqlFile, also: Iterable<string>): Set<string> {
  const t = track(owner, file);
  if (t.tables && t.tables.version === t.namesVersion && t.tables.also === also) return t.tables.set;
  const set = new Set(also);
  for (const name of t.names.keys()) set.add(name);
  t.tables = { version: t.namesVersion, also, set };
  return set;
}
