// After a DDL edit inside one chunk of a long file (file-checkpoints.ts), the later checkpoints
// are patched instead of rebuilt: they differ from the last replay's only in the tables the edit
// changed, and later statements only change what they name. So each later checkpoint is the old
// one with the changed tables put in, and only the later schema statements that name a changed
// table are replayed again (onto the old checkpoint before them, patched the same way), their
// tables joining the changed set. A column rename in statement 300 of 10,000 then replays one
// chunk and a few ALTERs of that table, not the 9,700 statements after it. Tables that did not
// change stay the same objects in every checkpoint (per-table reuse compares them by identity),
// and so do the edited chunk's tables whose only difference is where they are declared (an edit
// of whitespace or a comment): their spans are moved and, when no table changed, the later
// chunks are kept as they are.
//
// Patching is only tried when it is plainly safe; otherwise the caller replays as before:
// - the statement count and every schema statement after the edited chunk are as they were;
// - the schema statements of the edited chunk (before and after) and of patched chunks change
//   only tables they name by RangeVar (CREATE/ALTER TABLE, CREATE INDEX/POLICY/TRIGGER, CREATE
//   TABLE AS): no DROP, RENAME, GRANT, function or enum, whose effects reach other names;
// - the changed tables existed before (a new key would take another place in the map); one that
//   is gone (its CREATE TABLE mistyped) is removed, and replay goes on where a statement names it;
// - a replayed statement reads no other table an earlier statement of its chunk names, and the
//   old chunks had no failed statements.
import type { SqlFile } from '../sql/document';
import { statementType } from '../sql/document';
import type { FileContribution } from './replay-context';
import { emptyContribution } from './replay-context';
import { replayFile } from './replay';
import type { SourceRef, TableModel } from './schema';
import type { MutableSchema } from './schema-builder';
import { rangeVarNames } from './range-var-names';
import { sourceRefsOf, spanOnlyDifference } from './same-table';
import { SCHEMA_STATEMENT_TYPES } from './replay';

/** Schema statements whose whole effect is on the tables they name by RangeVar. */
const PATCHABLE = new Set(['CreateStmt', 'CreateTableAsStmt', 'AlterTableStmt', 'IndexStmt', 'CreatePolicyStmt', 'CreateTrigStmt']);

export interface PatchChunk {
  /** The schema before the chunk's first statement; never changed once taken. Undefined for chunk 0. */
  before?: MutableSchema;
  out: FileContribution;
  /** Table keys the chunk's schema statements name; undefined when one of them is not PATCHABLE. */
  keys?: ReadonlySet<string>;
  /** Lower-cased bare names of those tables (set with `keys`): a chunk naming no changed table is passed by whole. */
  bare?: ReadonlySet<string>;
}

export interface PatchPrevious {
  indices: readonly number[];
  entries: readonly object[];
  chunks: readonly PatchChunk[];
  count: number;
  /** The frozen schema after the file's last statement. */
  after?: MutableSchema;
}

/**
 * Chunk k's new contribution, the patched chunks after it ([k + 1, stop)), and the schema before
 * chunk `stop` (after the file when `stop` is the chunk count), from where the caller replays.
 */
export interface Patched {
  kChunk: PatchChunk;
  next: PatchChunk[];
  stop: number;
  before: MutableSchema;
}

/** How often later checkpoints were patched, or patching was refused, since the process started (tests, benches). */
export const patchStats = { patched: 0, refused: 0, replayed: 0 };

/**
 * Tests turn `replayNamed` off to check that a patch which skips the statements naming changed
 * tables fails them, `moveSpans` off to check that kept tables left at their old spans fail them,
 * `keepUnchanged` off to take the patch path when nothing changed, and `skipUnnamed` off to walk
 * every later chunk's statements.
 */
export const patchPolicy = { replayNamed: true, moveSpans: true, keepUnchanged: true, skipUnnamed: true };

/** Keys the schema statements of statements [from, to) name, or undefined when one is not PATCHABLE. */
export function chunkKeys(file: SqlFile, from: number, to: number): Set<string> | undefined {
  return chunkNames(file, from, to)?.keys;
}

/** Keys and lower-cased bare names the schema statements of statements [from, to) name, or undefined when one is not PATCHABLE. */
export function chunkNames(file: SqlFile, from: number, to: number): { keys: Set<string>; bare: Set<string> } | undefined {
  const keys = new Set<string>();
  const bare = new Set<string>();
  const end = Math.min(to, file.statements.length);
  for (let i = from; i < end; i++) {
    const s = file.statements[i];
    if (!s.ast || s.error) continue;
    const type = statementType(s);
    if (!type || !SCHEMA_STATEMENT_TYPES.has(type)) continue;
    if (!PATCHABLE.has(type)) return undefined;
    const names = rangeVarNames(s);
    for (const k of names.keys) keys.add(k);
    for (const b of names.bare) bare.add(b);
  }
  return { keys, bare };
}

function lowerName(key: string, t: TableModel): string[] {
  return [t.name.toLowerCase(), key.slice(key.lastIndexOf('.') + 1).toLowerCase()];
}

/**
 * The same map as `base` with `changed` put in (undefined: the table is gone, its key removed, which
 * keeps the others' order); undefined when that would add a key.
 */
function patched(base: MutableSchema, changed: ReadonlyMap<string, TableModel | undefined>): MutableSchema | undefined {
  const f = base.fork();
  for (const [key, t] of changed) {
    if (!f.tables.has(key)) return undefined;
    // Not through setTable: the fork must not own (and change in place) a table other checkpoints share.
    if (t) f.tables.set(key, t);
    else f.tables.delete(key);
  }
  return f;
}

/**
 * The chunks after `k` and the schema after the file, patched from `previous`, given `current`:
 * the state after chunk `k` replayed anew (its contribution `out`, keys `keys`). Undefined when
 * patching is not safe (see the header): the caller replays the rest.
 */
export function patchLaterChunks(...args: Parameters<typeof patch>): Patched | undefined {
  const p = patch(...args);
  if (p) patchStats.patched++;
  else patchStats.refused++;
  return p;
}

function patch(
  file: SqlFile,
  order: number,
  every: number,
  previous: PatchPrevious,
  shape: { indices: readonly number[]; entries: readonly object[] },
  k: number,
  current: MutableSchema,
  fresh: PatchChunk,
): Patched | undefined {
  const count = file.statements.length;
  const chunks = previous.chunks;
  if (previous.count !== count || !previous.after || !fresh.keys || !chunks[k]?.keys || chunks.length !== Math.ceil(count / every)) return undefined;
  if (!sameTail(previous, shape, (k + 1) * every)) return undefined;

  // The old state after chunk k, its refs moved to where their statements are now.
  const oldNext = chunks[k + 1]?.before ?? previous.after;
  const oldRefs = chunks[k].out.refs ?? [];
  for (const r of oldRefs) {
    const start = file.statements[r.index]?.segment.start ?? r.base;
    if (start === r.base) continue;
    r.ref.span = { start: r.ref.span.start + start - r.base, end: r.ref.span.end + start - r.base };
    r.base = start;
  }
  const changed = new Map<string, TableModel | undefined>();
  const gone = new Set<string>();
  const kept = new Set<object>();
  // Spans of kept tables moved to where the replay put them, once the patch is sure to be taken.
  const moves: Array<() => void> = [];
  const done = (p: Patched): Patched => {
    for (const move of moves) move();
    return p;
  };
  const freshRefs = new Map((fresh.out.refs ?? []).map((r) => [r.ref, r]));
  const oldEntries = new Map(oldRefs.map((r) => [r.ref, r]));
  for (const key of new Set([...fresh.keys, ...chunks[k].keys!])) {
    const o = oldNext.tables.get(key);
    const n = current.tables.get(key);
    if (o === n) continue;
    // A table that appears would take another place in the map than a replay gives it.
    if (!o) return undefined;
    if (!n) {
      // A table that is gone (its CREATE TABLE mistyped): later statements must not name it.
      changed.set(key, undefined);
      for (const name of lowerName(key, o)) gone.add(name);
    } else {
      // The same effect on the table (whitespace or a comment moved text inside its statements):
      // the old object stays, so the later checkpoints and per-table reuse see no change.
      const pairs = spanOnlyDifference(o, n);
      const tableMoves = pairs && spanMoves(pairs, freshRefs, oldEntries);
      if (!tableMoves) {
        // Equal but for a span declared outside this chunk (a mistyped repeat of an ALTER left an
        // earlier one declaring the column): a changed table, patched like any other. Refusing the
        // whole patch here replayed all 10,000 statements (446be28's DDL p95 regression).
        changed.set(key, n);
        continue;
      }
      for (const move of tableMoves) moves.push(move);
      sourceRefsOf(o, kept);
    }
  }
  // Chunk k's contribution holds the refs of its new tables and of the old ones kept in their place.
  const kChunk: PatchChunk = { ...fresh, out: { ...fresh.out, refs: [...(fresh.out.refs ?? []), ...oldRefs.filter((r) => kept.has(r.ref))] } };
  const bare = new Set<string>(gone);
  for (const [key, t] of changed) if (t) for (const n of lowerName(key, t)) bare.add(n);

  // Nothing changed for later statements: the later chunks and the schema after the file stay as they are.
  if (changed.size === 0 && patchPolicy.keepUnchanged) return done({ kChunk, next: chunks.slice(k + 1), stop: chunks.length, before: previous.after });
  const next: PatchChunk[] = [];
  let before = patched(oldNext, changed);
  if (!before) return undefined;
  // Chunks are patched until one cannot be: replay goes on from there.
  for (let c = k + 1; c < chunks.length; c++) {
    const old = chunks[c];
    // A chunk none of whose schema statements names a changed or gone table replays nothing: not walked.
    const untouched = old.bare && patchPolicy.skipUnnamed && !namesAny(old.bare, bare) && !namesAny(old.bare, gone);
    const replay = old.keys && old.before && old.out.failures === 0 ? (untouched ? NOTHING_REPLAYED : patchChunk(file, order, every, c, before, changed, bare, gone)) : undefined;
    if (!replay) return next.length ? done({ kChunk, next, stop: c, before }) : undefined;
    // The old refs of replayed statements belonged to the tables they replaced.
    const out = replay.replayed.size === 0 ? old.out : { ...old.out, refs: [...(old.out.refs ?? []).filter((r) => !replay.replayed.has(r.index)), ...(replay.extra.refs ?? [])] };
    const after = patched(chunks[c + 1]?.before ?? previous.after, changed);
    if (!after) return next.length ? done({ kChunk, next, stop: c, before }) : undefined;
    next.push({ ...old, before, out });
    before = after;
  }
  return done({ kChunk, next, stop: chunks.length, before });
}

type RefEntry = NonNullable<FileContribution['refs']>[number];

const NOTHING_REPLAYED: { replayed: ReadonlySet<number>; extra: FileContribution } = { replayed: new Set(), extra: emptyContribution() };

/** Whether `chunk` (a chunk's bare names) has one of `names`; `names` is the smaller set most of the time. */
function namesAny(chunk: ReadonlySet<string>, names: ReadonlySet<string>): boolean {
  for (const n of names) if (chunk.has(n)) return true;
  return false;
}

/**
 * Moves of the old refs to where the replay of chunk k put their counterparts; undefined when a
 * pair is not both in the old chunk's refs and the fresh ones (a span declared in another chunk).
 */
function spanMoves(pairs: ReadonlyArray<[SourceRef, SourceRef]>, freshRefs: ReadonlyMap<object, RefEntry>, oldEntries: ReadonlyMap<object, RefEntry>): Array<() => void> | undefined {
  const out: Array<() => void> = [];
  for (const [oldRef, newRef] of pairs) {
    const at = freshRefs.get(newRef);
    const entry = oldEntries.get(oldRef);
    if (!at || !entry) return undefined;
    out.push(() => {
      if (patchPolicy.moveSpans) oldRef.span = { ...newRef.span };
      entry.index = at.index;
      entry.base = at.base;
    });
  }
  return out;
}

/**
 * Replays the schema statements of chunk `c` that name a changed table onto a fork of `before`,
 * adding what they change to `changed` and `bare`; undefined when that is not safe (see the header).
 */
function patchChunk(
  file: SqlFile,
  order: number,
  every: number,
  c: number,
  before: MutableSchema,
  changed: Map<string, TableModel | undefined>,
  bare: Set<string>,
  gone: ReadonlySet<string>,
): { replayed: Set<number>; extra: FileContribution } | undefined {
  let work: MutableSchema | undefined;
  const replayed = new Set<number>();
  const extra = emptyContribution();
  const seen = new Set<string>();
  for (let i = c * every; i < Math.min((c + 1) * every, file.statements.length); i++) {
    const s = file.statements[i];
    if (!s.ast || s.error) continue;
    const type = statementType(s);
    if (!type || !SCHEMA_STATEMENT_TYPES.has(type)) continue;
    const names = rangeVarNames(s);
    // A gone table named again (an ALTER would make it up in another place): replay from here.
    if (names.bare.some((b) => gone.has(b))) return undefined;
    if (patchPolicy.replayNamed && names.bare.some((b) => bare.has(b))) {
      // What it reads of other tables must be as in the checkpoint before this chunk.
      for (const b of names.bare) if (!bare.has(b) && seen.has(b)) return undefined;
      work ??= before.fork();
      const was = names.keys.map((key) => work!.tables.get(key));
      replayFile(file, work, { order, from: i, to: i + 1, out: extra });
      if (extra.failures > 0) return undefined;
      for (let j = 0; j < names.keys.length; j++) {
        const t = work.tables.get(names.keys[j]);
        if (t === was[j]) continue;
        if (!t) return undefined;
        changed.set(names.keys[j], t);
        for (const n of lowerName(names.keys[j], t)) bare.add(n);
      }
      replayed.add(i);
      patchStats.replayed++;
    }
    for (const b of names.bare) seen.add(b);
  }
  return { replayed, extra };
}

/** The schema statements from index `from` on are the same (index and parse entry) as in the last replay. */
function sameTail(previous: PatchPrevious, shape: { indices: readonly number[]; entries: readonly object[] }, from: number): boolean {
  let a = previous.indices.length;
  while (a > 0 && previous.indices[a - 1] >= from) a--;
  let b = shape.indices.length;
  while (b > 0 && shape.indices[b - 1] >= from) b--;
  if (previous.indices.length - a !== shape.indices.length - b) return false;
  for (; a < previous.indices.length; a++, b++) if (previous.indices[a] !== shape.indices[b] || previous.entries[a] !== shape.entries[b]) return false;
  return true;
}
