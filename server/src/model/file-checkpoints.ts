// Schema checkpoints inside one long SQL file: every CHECKPOINT_STATEMENTS statements the schema
// being replayed is kept (frozen) and replay goes on in a fork of it. An edit at statement k then
// replays the file from the checkpoint before k, not from its first statement, and the tables
// declared before k stay the same objects (per-table caches compare them by identity first), and
// schemaBefore(file, k) starts from that checkpoint as well.
import type { ParsedEntry, SqlFile } from '../sql/document';
import { statementType } from '../sql/document';
import { emptyContribution, type FileContribution } from './replay-context';
import { referencedTables, replayFile, SCHEMA_STATEMENT_TYPES } from './replay';
import type { MutableSchema } from './schema-builder';
import { chunkNames, patchLaterChunks } from './checkpoint-patch';
import type { SchemaShape } from './file-entry';

/**
 * `statements`: statements between checkpoints (files shorter than this, most migrations, take
 * none); `firstChange`: where replay must start again; `patch`: later checkpoints may be patched
 * (checkpoint-patch.ts). Tests shorten the first, break the second and compare with the third off.
 */
export const checkpointPolicy = { statements: 256, firstChange, patch: true };

interface Chunk {
  /** The schema before the chunk's first statement; never changed once taken. Undefined for chunk 0 (the file's start). */
  before?: MutableSchema;
  out: FileContribution;
  /** Table keys its schema statements name; undefined when the chunk cannot be patched (checkpoint-patch.ts). */
  keys?: ReadonlySet<string>;
  /** Lower-cased bare names of those tables. */
  bare?: ReadonlySet<string>;
  /** The tables its statements read or write, and the statement texts (parse entries) that was listed for. */
  listed?: { entries: ParsedEntry[]; tables: Set<string> };
}

/** A file's last replay: its schema-changing statements (index, parse entry) and its chunks. */
export interface FileReplayState extends SchemaShape {
  chunks: Chunk[];
  /** Statements per chunk. */
  every: number;
  /** Statements in the file. */
  count: number;
  /** The schema after the file (frozen; the caller got a fork of it), for files of several chunks. */
  after?: MutableSchema;
  /** What the chunks' contributions were merged from, for the next merge (files of several chunks). */
  merged?: MergedParts;
}

/** The index of the first statement whose schema-changing part differs from the last replay's; `shape`: the file's schema statements now. */
function firstChange(prev: FileReplayState, _file: SqlFile, shape: SchemaShape): number {
  const n = Math.min(prev.indices.length, shape.indices.length);
  for (let j = 0; j < n; j++) if (prev.indices[j] !== shape.indices[j] || prev.entries[j] !== shape.entries[j]) return Math.min(shape.indices[j], prev.indices[j]);
  return n < shape.indices.length ? shape.indices[n] : n < prev.indices.length ? prev.indices[n] : Infinity;
}

/**
 * Replays `file` onto `schema` (the state before the file) and returns the schema after it, which
 * may be a fork of `schema`. With `previous`, replayed onto the same state before the file, the
 * chunks before the first changed schema-changing statement are reused (their contribution too;
 * tables touched by the other statements are listed anew). `known`: the file's schema statements
 * when the caller has them (the workspace tracks them per edit), else found by a pass over the file.
 */
export function replayWithCheckpoints(file: SqlFile, schema: MutableSchema, order: number, previous: FileReplayState | undefined, known?: SchemaShape): { schema: MutableSchema; out: FileContribution; state: FileReplayState } {
  const N = checkpointPolicy.statements;
  const count = file.statements.length;
  let k = 0;
  // A state made with another interval has its chunks elsewhere.
  if (previous && previous.every !== N) previous = undefined;
  const shape = known ?? schemaStatements(file);
  if (previous) {
    const change = checkpointPolicy.firstChange(previous, file, shape);
    k = Math.min(Math.floor(change / N), previous.chunks.length - 1, Math.floor(count / N));
    while (k > 0 && !previous.chunks[k].before) k--;
  }
  const chunks: Chunk[] = previous ? previous.chunks.slice(0, k) : [];
  let current = schema;
  if (k > 0) {
    const before = previous!.chunks[k].before!;
    current = before.fork();
    chunks.push({ before, out: emptyContribution() });
  } else chunks.push({ out: emptyContribution() });
  // Chunks in [patchedFrom, patchedTo) are patched, the others before k reused (their refs moved, their queries listed anew).
  let patchedFrom = Infinity;
  let patchedTo = Infinity;
  for (let c = k; ; c++) {
    replayFile(file, current, { order, from: c * N, to: (c + 1) * N, out: chunks[c].out });
    const named = chunkNames(file, c * N, (c + 1) * N);
    chunks[c].keys = named?.keys;
    chunks[c].bare = named?.bare;
    if ((c + 1) * N >= count) break;
    const p = c === k && previous && checkpointPolicy.patch ? patchLaterChunks(file, order, N, previous, shape, k, current, chunks[k]) : undefined;
    if (p) {
      chunks[k] = p.kChunk;
      chunks.push(...p.next);
      patchedFrom = k + 1;
      patchedTo = p.stop;
      if (p.stop >= previous!.chunks.length) {
        current = p.before;
        break;
      }
      // Replay goes on from the first chunk that could not be patched.
      c = p.stop - 1;
      current = p.before.fork();
      chunks.push({ before: p.before, out: emptyContribution() });
      continue;
    }
    // The state after this chunk is the next one's checkpoint: frozen, and replay goes on in a fork.
    const before = current;
    current = before.fork();
    chunks.push({ before, out: emptyContribution() });
  }
  // The state after a long file is kept frozen for the next patch; the caller goes on in a fork.
  const after = chunks.length > 1 ? current : undefined;
  const merged = merge(file, chunks, N, (i) => i >= k && !(i >= patchedFrom && i < patchedTo), previous?.merged);
  return {
    schema: after ? after.fork() : current,
    out: merged.out,
    state: { ...shape, chunks, every: N, count, after, merged: merged.parts },
  };
}

/** The checkpoint to start from for the schema before statement `index`: the latest at or before it. */
export function checkpointBefore(state: FileReplayState | undefined, index: number): { index: number; schema: MutableSchema } | undefined {
  if (!state) return undefined;
  for (let c = Math.min(Math.floor(index / state.every), state.chunks.length - 1); c > 0; c--) {
    const before = state.chunks[c].before;
    if (before) return { index: c * state.every, schema: before };
  }
  return undefined;
}

/** The file's schema-changing statements: their index and parse entry (the entry is per statement text). */
export function schemaStatements(file: SqlFile): { indices: number[]; entries: ParsedEntry[] } {
  const indices: number[] = [];
  const entries: ParsedEntry[] = [];
  for (const s of file.statements) {
    const type = !s.error ? statementType(s) : undefined;
    if (type && SCHEMA_STATEMENT_TYPES.has(type)) {
      indices.push(s.index);
      entries.push(s.entry);
    }
  }
  return { indices, entries };
}

/**
 * What the last merge made and from which parts, per chunk: a DDL edit replays one chunk and
 * patches a few, and the others hand in the same maps and sets as last time. Merging all 40 chunks'
 * tables and sets again was ~5 ms of a 15 ms rebuild of the 10,000-statement file.
 */
interface MergedParts {
  newTables: ReadonlyArray<ReadonlyMap<string, number>>;
  schemaTouched: ReadonlyArray<ReadonlySet<string> | undefined>;
  /** The chunk's touched tables as merged: its replay's when replayed then, else its listed ones. */
  touched: ReadonlyArray<ReadonlySet<string>>;
  out: FileContribution;
}

/**
 * `reuseParts` off merges every chunk's parts anew; `compareParts` off is a deliberately broken
 * shortcut for tests: the last merge's parts are taken whenever the chunk count is the same.
 */
export const mergePolicy = { reuseParts: true, compareParts: true };

/**
 * One contribution from the chunks' (as replayFile would have made it in one pass); `replayed(i)`:
 * chunk i was replayed now. The parts that equal `last`'s, chunk by chunk, are `last`'s objects.
 */
function merge(file: SqlFile, chunks: readonly Chunk[], every: number, replayed: (i: number) => boolean, last: MergedParts | undefined): { out: FileContribution; parts?: MergedParts } {
  if (chunks.length === 1) return { out: chunks[0].out };
  const starts = file.statements;
  const refs: NonNullable<FileContribution['refs']>[] = [];
  let failures = 0;
  const touchedParts: Array<ReadonlySet<string>> = [];
  chunks.forEach((c, i) => {
    // Statements of a reused or patched chunk may have moved (several edits at once): their spans move with them.
    if (!replayed(i)) {
      for (const r of c.out.refs ?? []) {
        const start = starts[r.index]?.segment.start ?? r.base;
        if (start === r.base) continue;
        r.ref.span = { start: r.ref.span.start + start - r.base, end: r.ref.span.end + start - r.base };
        r.base = start;
      }
    }
    refs.push(c.out.refs ?? []);
    failures += c.out.failures;
    touchedParts.push(replayed(i) ? c.out.touched : listedTables(file, c, i * every, Math.min((i + 1) * every, file.statements.length)));
  });
  const newTablesParts = chunks.map((c) => c.out.newTables);
  const schemaParts = chunks.map((c) => c.out.schemaTouched);
  const reuse = mergePolicy.reuseParts && last ? last : undefined;
  const sameTables = !!reuse && sameParts(reuse.newTables, newTablesParts, sameMap);
  const sameSchema = !!reuse && sameParts(reuse.schemaTouched, schemaParts, sameSet);
  const sameTouched = sameSchema && sameParts(reuse!.touched, touchedParts, sameSet);
  const out: FileContribution = {
    newTables: sameTables ? reuse!.out.newTables : firstIndexes(newTablesParts),
    touched: sameTouched ? reuse!.out.touched : new Set(),
    failures,
    schemaTouched: sameSchema ? reuse!.out.schemaTouched : union(schemaParts),
    refs: ([] as NonNullable<FileContribution['refs']>).concat(...refs),
  };
  if (!sameTouched) {
    for (const part of touchedParts) for (const key of part) out.touched.add(key);
    for (const key of out.schemaTouched!) out.touched.add(key);
  }
  return { out, parts: { newTables: newTablesParts, schemaTouched: schemaParts, touched: touchedParts, out } };
}

/**
 * The tables a reused chunk's statements read or write. Its queries may have changed since (a
 * query edit keeps the schema): listed anew when one of their statements' text changed.
 */
function listedTables(file: SqlFile, c: Chunk, from: number, to: number): ReadonlySet<string> {
  let listed = c.listed;
  if (!listed || listed.entries.length !== to - from || listed.entries.some((e, j) => e !== file.statements[from + j].entry)) {
    listed = c.listed = { entries: [], tables: new Set() };
    for (let j = from; j < to; j++) {
      const s = file.statements[j];
      listed.entries.push(s.entry);
      if (!s.ast || s.error) continue;
      try {
        referencedTables(s, listed.tables);
      } catch {
        // replay skips such a statement too
      }
    }
  }
  return listed.tables;
}

/** Each key with the index the first part that has it gives it. */
function firstIndexes(parts: ReadonlyArray<ReadonlyMap<string, number>>): Map<string, number> {
  const out = new Map<string, number>();
  for (const part of parts) for (const [key, index] of part) if (!out.has(key)) out.set(key, index);
  return out;
}

function union(parts: ReadonlyArray<ReadonlySet<string> | undefined>): Set<string> {
  const out = new Set<string>();
  for (const part of parts) for (const key of part ?? []) out.add(key);
  return out;
}

function sameParts<T>(a: readonly T[], b: readonly T[], same: (x: T, y: T) => boolean): boolean {
  if (a.length !== b.length) return false;
  if (!mergePolicy.compareParts) return true;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !same(a[i], b[i])) return false;
  return true;
}

function sameSet(a: ReadonlySet<string> | undefined, b: ReadonlySet<string> | undefined): boolean {
  if (!a || !b || a.size !== b.size) return a === b;
  for (const key of a) if (!b.has(key)) return false;
  return true;
}

function sameMap(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): boolean {
  if (a.size !== b.size) return false;
  for (const [key, index] of a) if (b.get(key) !== index) return false;
  return true;
}
