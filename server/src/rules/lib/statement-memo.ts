// Facts a rule derives from one statement's text (ALTER TABLE subcommand spans, a keyword's
// position) kept on the statement's parse entry, at the file offset where they were computed.
// A keystroke moves every later statement, and statements with the same text share one entry:
// recomputing such facts from `stmt.tokens()` re-shifts every token of every moved statement on
// each lint. Here a moved statement gets a shifted copy of the few spans instead.
import type { Statement } from '../../sql/document';

interface Kept {
  base: number;
  value: unknown;
  keys: readonly unknown[];
}

const NO_KEYS: readonly unknown[] = [];

/** The named memos `store` keeps for one parse entry (created on first use). */
export function memosOn<V>(store: WeakMap<object, Map<string, V>>, entry: object): Map<string, V> {
  let memos = store.get(entry);
  if (!memos) store.set(entry, (memos = new Map()));
  return memos;
}

/**
 * `compute(stmt)` once per statement text; at another offset, `shift(value, delta)` of the first
 * result (never a copy of a copy). `compute` must depend only on the statement's text and offset,
 * and on `keys` (compared by identity: the schema, the vocabulary) when given.
 */
export function memoOnStatement<T>(stmt: Statement, name: string, compute: (stmt: Statement) => T, shift: (value: T, delta: number) => T, keys: readonly unknown[] = NO_KEYS): T {
  const entry = stmt.entry;
  if (!entry) return compute(stmt);
  // On the entry itself, not in a WeakMap keyed by it: after a DDL edit of a 10,000-statement file
  // rules ask this for most statements, several times each, and the WeakMap lookup was most of it.
  let perEntry = entry.memos as Map<string, Kept> | undefined;
  if (!perEntry) entry.memos = perEntry = new Map();
  const base = stmt.segment.start;
  const hit = perEntry.get(name);
  if (!hit || !sameKeys(hit.keys, keys)) {
    const value = compute(stmt);
    perEntry.set(name, { base, value, keys });
    return value;
  }
  return hit.base === base ? (hit.value as T) : shift(hit.value as T, base - hit.base);
}

/** The `shift` of a fact that holds no offsets (a flag, types): the same value wherever the statement lies. */
export function unmoved<T>(value: T): T {
  return value;
}

function sameKeys(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
