// PL/pgSQL hands us each SQL statement of a body as text plus a line number, without an offset,
// and with `INTO target` cut out of it. We find the statement in the body by walking its scanner
// tokens alongside the body's tokens from that line on, stepping over INTO targets, so that every
// token of the query text gets the offset of the same token in the body.
import type { Token } from '../statement';

export interface Alignment {
  /** `bodyIndex[i]` = index into the body tokens of query token i. */
  bodyIndex: number[];
}

function sameToken(q: Token, b: Token): boolean {
  return q.text === b.text || (q.keyword !== '' && q.keyword === b.keyword);
}

/** PERFORM is a PL/pgSQL word, not an SQL keyword: the SQL scanner sees an identifier. */
function isPerform(t: Token | undefined): boolean {
  return !!t && t.text.toLowerCase() === 'perform';
}

function isName(t: Token | undefined): boolean {
  return !!t && (t.kind === 'ident' || t.kind === 'keyword');
}

/** Index just past an `INTO [STRICT] a, r.f, b` target list starting at `j`, or -1 when `j` is not INTO. */
function skipInto(body: readonly Token[], j: number): number {
  if (body[j]?.keyword !== 'into') return -1;
  j++;
  if (body[j]?.keyword === 'strict') j++;
  if (!isName(body[j])) return -1;
  j++;
  while (body[j] && (body[j].text === '.' || body[j].text === ',') && isName(body[j + 1])) j += 2;
  return j;
}

function tryAt(query: readonly Token[], body: readonly Token[], start: number): Alignment | undefined {
  const bodyIndex: number[] = [];
  let j = start;
  let skipped = false;
  for (let i = 0; i < query.length; i++) {
    const q = query[i];
    // PERFORM f(x) reaches us as SELECT f(x): the synthetic SELECT stands on PERFORM.
    if (i === 0 && q.keyword === 'select' && isPerform(body[j])) {
      bodyIndex.push(j++);
      continue;
    }
    if (body[j] && sameToken(q, body[j])) {
      bodyIndex.push(j++);
      continue;
    }
    // PL/pgSQL removes one INTO clause from the statement; step over it once.
    const next = skipped ? -1 : skipInto(body, j);
    if (next < 0 || !body[next] || !sameToken(q, body[next])) return undefined;
    skipped = true;
    j = next;
    bodyIndex.push(j++);
  }
  return { bodyIndex };
}

/**
 * Aligns `query` with the body tokens, trying start positions from the first token at or after
 * `fromOffset` (the start of the statement's line, or past the previous statement).
 */
export function alignQuery(query: readonly Token[], body: readonly Token[], fromOffset: number): Alignment | undefined {
  if (query.length === 0) return undefined;
  let k = 0;
  while (k < body.length && body[k].start < fromOffset) k++;
  const first = query[0];
  for (; k < body.length; k++) {
    const b = body[k];
    if (!sameToken(first, b) && !(first.keyword === 'select' && isPerform(b))) continue;
    const a = tryAt(query, body, k);
    if (a) return a;
  }
  return undefined;
}

/** Offsets of line starts in `text` (PL/pgSQL counts lines by `\n`, the first line is 1). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}
