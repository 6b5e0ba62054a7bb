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
import { chunkKeys, patchLaterChunks } from './checkpoint-patch';

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
  /** The tables its statements read or write, and the statement texts (parse entries) that was listed for. */
  listed?: { entries: ParsedEntry[]; tables: Set<string> };
}

/** A file's last replay: its schema-changing statements (index, parse entry) and its chunks. */
export interface FileReplayState {
  indices: number[];
  entries: ParsedEntry[];
  chunks: Chunk[];
  /** Statements per chunk. */
  every: number;
  /** Statements in the file. */
  count: number;
  /** The schema after the file (frozen; the caller got a fork of it), for files of several chunks. */
  after?: MutableSchema;
}

/** The index of the first statement whose schema-changing part differs from the last replay's. */
function firstChange(prev: FileReplayState, file: SqlFile): number {
  let j = 0;
  for (const s of file.statements) {
    const type = !s.error ? statementType(s) : undefined;
    if (!type || !SCHEMA_STATEMENT_TYPES.has(type)) continue;
    if (j >= prev.indices.length || prev.indices[j] !== s.index || prev.entries[j] !== s.entry) return Math.min(s.index, prev.indices[j] ?? Infinity);
    j++;
  }
  return j < prev.indices.length ? prev.indices[j] : Infinity;
}

/**
 * Replays `file` onto `schema` (the state before the file) and returns the schema after it, which
 * may be a fork of `schema`. With `previous`, replayed onto the same state before the file, the
 * chunks before the first changed schema-changing statement are reused (their contribution too;
 * tables touched by the other statements are listed anew).
 */
export function replayWithCheckpoints(file: SqlFile, schema: MutableSchema, order: number, previous: FileReplayState | undefined): { schema: MutableSchema; out: FileContribution; state: FileReplayState } {
  const N = checkpointPolicy.statements;
  const count = file.statements.length;
  let k = 0;
  // A state made with another interval has its chunks elsewhere.
  if (previous && previous.every !== N) previous = undefined;
  if (previous) {
    const change = checkpointPolicy.firstChange(previous, file);
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
  const shape = schemaStatements(file);
  // Chunks in [patchedFrom, patchedTo) are patched, the others before k reused (their refs moved, their queries listed anew).
  let patchedFrom = Infinity;
  let patchedTo = Infinity;
  for (let c = k; ; c++) {
    replayFile(file, current, { order, from: c * N, to: (c + 1) * N, out: chunks[c].out });
    chunks[c].keys = chunkKeys(file, c * N, (c + 1) * N);
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
  return {
    schema: after ? after.fork() : current,
    out: merge(file, chunks, N, (i) => i >= k && !(i >= patchedFrom && i < patchedTo)),
    state: { ...shape, chunks, every: N, count, after },
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

/** One contribution from the chunks' (as replayFile would have made it in one pass); `replayed(i)`: chunk i was replayed now. */
function merge(file: SqlFile, chunks: readonly Chunk[], every: number, replayed: (i: number) => boolean): FileContribution {
  if (chunks.length === 1) return chunks[0].out;
  const out = emptyContribution();
  const starts = file.statements;
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
    for (const [key, index] of c.out.newTables) if (!out.newTables.has(key)) out.newTables.set(key, index);
    for (const key of c.out.schemaTouched ?? []) out.schemaTouched!.add(key);
    if (replayed(i)) for (const key of c.out.touched) out.touched.add(key);
    out.refs!.push(...(c.out.refs ?? []));
    out.failures += c.out.failures;
  });
  // Reused chunks' queries may have changed since (a query edit keeps the schema): listed anew
  // when one of their statements' text changed.
  chunks.forEach((c, i) => {
    if (replayed(i)) return;
    const from = i * every;
    const to = Math.min((i + 1) * every, file.statements.length);
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
    for (const key of listed.tables) out.touched.add(key);
  });
  for (const key of out.schemaTouched!) out.touched.add(key);
  return out;
}
