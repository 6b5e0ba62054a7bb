// libpg-query's PL/pgSQL parser reports an error message but no position. A syntax error is found
// when the parser reads the offending token, so a body cut right after that token fails with the
// same message while any shorter cut does not: a binary search over token counts finds it.
import type { Span } from '../../engine/types';
import { codePointToUtf16 } from '../offsets';
import { parsePlpgsqlText, parseText } from '../parser';
import type { Token } from '../statement';
import { bodyOffset, type BodySource } from './body-source';

const SQL_START = new Set(['select', 'insert', 'update', 'delete', 'with', 'merge', 'truncate', 'values']);

function messageOf(text: string): string | undefined {
  return parsePlpgsqlText(text).error?.message;
}

function span(body: BodySource, t: Token): Span {
  return { start: bodyOffset(body, t.start), end: bodyOffset(body, t.end) };
}

/** "at end of input": an SQL statement of the body that stops too early, else the end of the body. */
function endOfInput(body: BodySource, tokens: readonly Token[]): Span {
  let from = 0;
  for (let i = 0; i <= tokens.length; i++) {
    if (i < tokens.length && tokens[i].text !== ';') continue;
    const first = tokens[from];
    if (first && SQL_START.has(first.keyword) && i > from) {
      const piece = body.value.slice(first.start, tokens[i - 1].end);
      if (/at end of input/.test(parseText(piece).error?.message ?? '')) return span(body, tokens[i] ?? tokens[i - 1]);
    }
    from = i + 1;
  }
  const close = bodyOffset(body, body.value.length);
  return { start: close, end: close + 1 };
}

export function locateBodyError(statementText: string, body: BodySource, tokens: readonly Token[], message: string): Span {
  if (tokens.length === 0) return { start: body.tokenStart, end: body.tokenEnd };
  if (/at end of input/.test(message)) return endOfInput(body, tokens);
  const head = statementText.slice(0, bodyOffset(body, 0));
  const tail = statementText.slice(bodyOffset(body, body.value.length));
  const cut = (n: number) => head + statementText.slice(bodyOffset(body, 0), bodyOffset(body, tokens[n - 1].end)) + tail;
  let lo = 1;
  let hi = tokens.length;
  if (messageOf(cut(hi)) !== message) return span(body, tokens[0]);
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (messageOf(cut(mid)) === message) hi = mid;
    else lo = mid + 1;
  }
  return refineInStatement(body, tokens, lo - 1, message);
}

/**
 * PL/pgSQL checks an SQL statement's syntax when it reaches the statement's `;`, so the search
 * lands there: parse the statement alone with the SQL parser to get the exact position.
 */
function refineInStatement(body: BodySource, tokens: readonly Token[], at: number, message: string): Span {
  let from = at - 1;
  while (from >= 0 && tokens[from].text !== ';' && tokens[from].keyword !== 'begin' && tokens[from].keyword !== 'loop' && tokens[from].keyword !== 'then' && tokens[from].keyword !== 'else') from--;
  from++;
  if (from >= at) return span(body, tokens[at]);
  const pieceStart = tokens[from].start;
  const piece = body.value.slice(pieceStart, tokens[at].start);
  const err = parseText(piece).error;
  if (err?.message !== message) return span(body, tokens[at]);
  const offset = pieceStart + codePointToUtf16(piece, err.cursor);
  const hit = tokens.find((t) => t.start <= offset && offset < t.end) ?? tokens.find((t) => t.start >= offset);
  return hit ? span(body, hit) : span(body, tokens[at]);
}
