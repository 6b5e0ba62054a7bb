// Turns one CREATE FUNCTION / PROCEDURE / DO statement text into its body steps and embedded SQL
// statements, with every offset relative to the statement's start. Computed once per distinct
// statement text and kept on the statement's cache entry; files shift it by the statement start.
import type { Span } from '../../engine/types';
import type { ParsedEntry } from '../document';
import { utf8ByteToUtf16 } from '../offsets';
import { parsePlpgsqlText, parseText, scanText } from '../parser';
import type { Token } from '../statement';
import { convertTokens } from '../tokens';
import { alignQuery, lineStarts } from './align';
import { asLocation, bodyOffset, locateBody, routineHeader, type BodySource, type RoutineHeader } from './body-source';
import { locateBodyError } from './body-error';
import { walkBody, type Frame, type RawStep } from './walk';

/** An embedded SQL statement, relative to the owner statement. */
export interface EmbeddedData {
  entry: ParsedEntry;
  /** Source tokens (owner-relative offsets) for each query token, in query order. */
  tokens: Token[];
  /** UTF-16 start/end of each query token inside the query text. */
  queryStarts: number[];
  queryEnds: number[];
  span: Span;
  error?: { message: string; offset: number };
}

export interface StepData {
  raw: RawStep;
  frames: Frame[];
  /** Owner-relative span of the PL/pgSQL statement (SQL statement or EXECUTE ... ;), when located. */
  span?: Span;
  embedded?: EmbeddedData;
  /** For EXECUTE: the span of the dynamic string expression. */
  exprSpan?: Span;
}

export interface BodyData {
  header: RoutineHeader;
  body: BodySource;
  steps: StepData[];
  /** Declared variables and parameters (lower-cased name -> type name as PL/pgSQL resolved it). */
  variables: Map<string, string>;
  error?: { message: string; span: Span };
}

function tokensOf(text: string): Token[] {
  return convertTokens(scanText(text), utf8ByteToUtf16(text));
}

/** Owner-relative token for a body-value token. */
function toOwner(body: BodySource, t: Token): Token {
  return { ...t, start: bodyOffset(body, t.start), end: bodyOffset(body, t.end) };
}

/** Owner-relative span of the PL/pgSQL statement around the aligned tokens: up to its `;`. */
function statementEnd(bodyTokens: readonly Token[], last: number): number {
  let depth = 0;
  for (let j = last + 1; j < bodyTokens.length; j++) {
    const t = bodyTokens[j].text;
    if (t === '(') depth++;
    else if (t === ')') depth--;
    else if (t === ';' && depth <= 0) return j - 1;
  }
  return last;
}

function buildEmbedded(query: string, body: BodySource, bodyTokens: readonly Token[], indexes: number[], end: number): EmbeddedData {
  const queryTokens = tokensOf(query);
  const toUtf16 = utf8ByteToUtf16(query);
  const entry: ParsedEntry = { text: query, parsed: parseText(query), toUtf16 };
  const tokens = indexes.map((j) => toOwner(body, bodyTokens[j]));
  const data: EmbeddedData = {
    entry,
    tokens,
    queryStarts: queryTokens.map((t) => t.start),
    queryEnds: queryTokens.map((t) => t.end),
    span: { start: tokens[0].start, end: bodyOffset(body, bodyTokens[end].end) },
  };
  if (entry.parsed.error) {
    const offset = mapQueryOffset(data, Math.min(query.length, [...query].slice(0, entry.parsed.error.cursor).join('').length));
    data.error = { message: entry.parsed.error.message, offset };
  }
  return data;
}

/** Owner-relative offset of UTF-16 index `u` of the query text, through the token alignment. */
export function mapQueryOffset(e: EmbeddedData, u: number): number {
  const n = e.queryStarts.length;
  if (n === 0) return e.span.start;
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (e.queryEnds[mid] <= u) lo = mid + 1;
    else hi = mid;
  }
  if (lo >= n) return e.tokens[n - 1].end;
  const src = e.tokens[lo];
  const within = u - e.queryStarts[lo];
  if (within <= 0) return src.start;
  return Math.min(src.start + within, src.end);
}

export function analyzeRoutine(entry: ParsedEntry, ownerTokens: readonly Token[]): BodyData | undefined {
  const header = routineHeader(entry.parsed.ast);
  if (!header || header.language !== 'plpgsql') return undefined;
  const asLoc = asLocation(entry.parsed.ast);
  if (asLoc === undefined) return undefined;
  const body = locateBody(ownerTokens, entry.toUtf16(asLoc), header.kind, entry.text);
  if (!body) return undefined;
  const bodyTokens = tokensOf(body.value);
  const parsed = parsePlpgsqlText(entry.text);
  if (parsed.error) {
    return { header, body, steps: [], variables: new Map(), error: { message: parsed.error.message, span: locateBodyError(entry.text, body, bodyTokens, parsed.error.message) } };
  }
  const fn = (parsed.result as any)?.plpgsql_funcs?.find((f: any) => f?.PLpgSQL_function?.action)?.PLpgSQL_function;
  const lines = lineStarts(body.value);
  const steps: StepData[] = [];
  let cursor = 0;
  for (const raw of walkBody(fn)) {
    const step: StepData = { raw, frames: raw.frames };
    steps.push(step);
    if ((raw.kind !== 'sql' && raw.kind !== 'execute') || !raw.query) continue;
    const lineStart = lines[Math.max(0, Math.min(lines.length - 1, raw.lineno - 1))] ?? 0;
    const queryTokens = tokensOf(raw.query);
    // Prefer past the previous statement (two identical statements on one line), then the line.
    const aligned = alignQuery(queryTokens, bodyTokens, Math.max(lineStart, cursor)) ?? alignQuery(queryTokens, bodyTokens, lineStart);
    if (!aligned) continue;
    const first = aligned.bodyIndex[0];
    const last = aligned.bodyIndex[aligned.bodyIndex.length - 1];
    cursor = bodyTokens[last].end;
    // Statements that stand alone run to their `;` (a trailing INTO is part of them); a loop's or
    // cursor's query ends at its last token (LOOP follows).
    const standalone = raw.type === 'PLpgSQL_stmt_execsql' || raw.type === 'PLpgSQL_stmt_dynexecute';
    const end = standalone ? statementEnd(bodyTokens, last) : last;
    if (raw.kind === 'sql') {
      step.embedded = buildEmbedded(raw.query, body, bodyTokens, aligned.bodyIndex, end);
      step.span = { start: step.embedded.span.start, end: bodyOffset(body, bodyTokens[end].end) };
    } else {
      let k = first - 1;
      while (k > 0 && bodyTokens[k].keyword !== 'execute' && first - k < 4) k--;
      const start = bodyTokens[Math.max(0, k)]?.keyword === 'execute' ? k : first;
      step.exprSpan = { start: bodyOffset(body, bodyTokens[first].start), end: bodyOffset(body, bodyTokens[last].end) };
      step.span = { start: bodyOffset(body, bodyTokens[start].start), end: bodyOffset(body, bodyTokens[end].end) };
    }
  }
  const variables = new Map<string, string>();
  for (const d of fn?.datums ?? []) {
    const v = d?.PLpgSQL_var;
    if (v?.refname) variables.set(String(v.refname).toLowerCase(), String(v.datatype?.PLpgSQL_type?.typname ?? '').toLowerCase());
  }
  return { header, body, steps, variables };
}
