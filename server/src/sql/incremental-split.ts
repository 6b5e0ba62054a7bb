// Re-splitting a file after an edit without scanning all of it. The splitter starts every statement
// in its initial state and reads nothing before it, so the split of the unchanged text after an
// edit is the old split, shifted, from the first statement the new scan starts at an old statement
// start; the statements before the edit stay as they were unless a construct left open before it
// was searched for up to the end of the file (then the scan starts at that one).
import { splitSqlFrom } from './splitter';
import type { Segment } from './statement';

/** A file's split, as kept between edits. */
export interface SplitState {
  readonly text: string;
  readonly segments: readonly Segment[];
  /** Ascending indices of segments that depended on the text up to the end of the file. */
  readonly eofDependent: readonly number[];
}

/** Where two texts differ: `[start, oldEnd)` of the old text became `[start, newEnd)` of the new one. */
export interface TextChange {
  start: number;
  oldEnd: number;
  newEnd: number;
}

export interface SplitUpdate {
  state: SplitState;
  /** Old segments `[0, keptBefore)` are the new ones, same objects. */
  keptBefore: number;
  /** Old segments from `resumeOld` are the new ones from `resumeNew`, moved by `delta`. */
  resumeOld: number;
  resumeNew: number;
  delta: number;
}

/**
 * Recovery from open constructs spends a budget linear in the file size (splitter.ts); each spend
 * costs at most twice the file length and the budget is 16 times it, so with at most this many
 * open constructs in the file a fresh split never runs out, and a partial one decides the same.
 */
const MAX_OPEN_CONSTRUCTS = 8;

export function fullSplit(text: string): SplitState {
  const run = splitSqlFrom(text, 0);
  return { text, segments: run.segments, eofDependent: run.eofDependent };
}

/** Characters compared at once (a string comparison in the engine, not a loop here). */
const CHUNK = 2048;

/** The common prefix and suffix of two texts (they do not overlap). */
export function textChange(before: string, after: string): TextChange {
  const limit = Math.min(before.length, after.length);
  let start = 0;
  // Chunks first: a character loop over a megabyte file took ~3 ms per keystroke, this ~0.3 ms.
  while (start + CHUNK <= limit && before.slice(start, start + CHUNK) === after.slice(start, start + CHUNK)) start += CHUNK;
  while (start < limit && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let oldEnd = before.length;
  let newEnd = after.length;
  while (oldEnd - CHUNK >= start && newEnd - CHUNK >= start && before.slice(oldEnd - CHUNK, oldEnd) === after.slice(newEnd - CHUNK, newEnd)) {
    oldEnd -= CHUNK;
    newEnd -= CHUNK;
  }
  while (oldEnd > start && newEnd > start && before.charCodeAt(oldEnd - 1) === after.charCodeAt(newEnd - 1)) {
    oldEnd--;
    newEnd--;
  }
  return { start, oldEnd, newEnd };
}

/** The split of `text` given the split of the text before `change`; undefined when only a full split is exact. */
export function updateSplit(old: SplitState, text: string, change: TextChange): SplitUpdate | undefined {
  const segs = old.segments;
  const delta = change.newEnd - change.oldEnd;
  // The last statement starting before the change, or the first that was searched to the end of the file.
  let keptBefore = lastStatementBefore(segs, change.start);
  if (old.eofDependent.length && old.eofDependent[0] < keptBefore) keptBefore = old.eofDependent[0];
  const from = keptBefore > 0 ? segs[keptBefore].start : 0;
  if (keptBefore > 0 && segs[keptBefore].kind !== 'statement') return undefined;
  let resumeOld = -1;
  const run = splitSqlFrom(text, from, (start) => {
    if (start < change.newEnd) return false;
    const i = statementStartingAt(segs, start - delta, keptBefore);
    if (i < 0) return false;
    resumeOld = i;
    return true;
  });
  const head = keptBefore === 0 ? 0 : keptBefore;
  const segments: Segment[] = segs.slice(0, head);
  for (const s of run.segments) {
    s.text = detached(s.text);
    segments.push(s);
  }
  const eofDependent = run.eofDependent.map((i) => i + head);
  const resumeNew = segments.length;
  if (run.stopped) {
    for (let i = resumeOld; i < segs.length; i++) segments.push(delta === 0 ? segs[i] : moved(segs[i], delta));
    for (const i of old.eofDependent) if (i >= resumeOld) eofDependent.push(i - resumeOld + resumeNew);
  }
  if (eofDependent.length > MAX_OPEN_CONSTRUCTS) return undefined;
  return { state: { text, segments, eofDependent }, keptBefore: head, resumeOld: run.stopped ? resumeOld : segs.length, resumeNew, delta };
}

/**
 * A copy of `text` that does not point into the file's text. A slice of a long string keeps the
 * whole string alive; segments and parse entries outlive their version of the file here (the rest of
 * the file is not re-split), so each keystroke would keep one more copy of a megabyte file.
 */
function detached(text: string): string {
  return text.length < 16 ? text : Buffer.from(text, 'utf16le').toString('utf16le');
}

function moved(s: Segment, delta: number): Segment {
  const m: Segment = { start: s.start + delta, end: s.end + delta, text: s.text, kind: s.kind };
  if (s.unterminated) {
    m.unterminated = s.unterminated;
    m.unterminatedAt = s.unterminatedAt! + delta;
  }
  return m;
}

/** Index of the last 'statement' segment that starts before `offset`, or 0. */
function lastStatementBefore(segs: readonly Segment[], offset: number): number {
  let lo = 0;
  let hi = segs.length; // first segment starting at or after offset
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (segs[mid].start < offset) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo - 1; i > 0; i--) if (segs[i].kind === 'statement') return i;
  return 0;
}

/** Index (at or after `from`) of the 'statement' segment starting at `offset`, or -1. */
function statementStartingAt(segs: readonly Segment[], offset: number, from: number): number {
  let lo = from;
  let hi = segs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (segs[mid].start < offset) lo = mid + 1;
    else hi = mid;
  }
  // A copy-data segment can start where nothing else does, but never with a statement.
  return lo < segs.length && segs[lo].start === offset && segs[lo].kind === 'statement' ? lo : -1;
}
