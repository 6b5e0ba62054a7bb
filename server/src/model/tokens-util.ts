// Token walks the replay needs to turn AST locations (which only mark where something starts)
// into spans that end where the written SQL ends.
import type { Span } from '../engine/types';
import type { Token } from '../sql/statement';
import { tokenIndexAt } from '../sql/tokens';

/** Index of the token starting at or after `offset`. */
export function tokenAt(tokens: readonly Token[], offset: number): number {
  return tokenIndexAt(tokens, offset);
}

/** Index of the `)` closing the `(` at `open`, or the last token index when unbalanced. */
export function closingParen(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i].text;
    if (t === '(' || t === '[') depth++;
    else if ((t === ')' || t === ']') && --depth === 0) return i;
  }
  return tokens.length - 1;
}

/**
 * Token ranges [first, last] of the comma-separated items from `from` up to `to` (exclusive),
 * split at depth 0: table elements, ALTER TABLE commands.
 */
export function splitAtCommas(tokens: readonly Token[], from: number, to: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let depth = 0;
  let start = from;
  for (let i = from; i < to; i++) {
    const t = tokens[i].text;
    if (t === '(' || t === '[') depth++;
    else if (t === ')' || t === ']') depth--;
    else if (t === ',' && depth === 0) {
      if (i > start) out.push([start, i - 1]);
      start = i + 1;
    }
  }
  if (to > start) out.push([start, to - 1]);
  return out;
}

export function spanOf(tokens: readonly Token[], first: number, last: number): Span {
  const a = tokens[Math.max(0, Math.min(first, tokens.length - 1))];
  const b = tokens[Math.max(0, Math.min(last, tokens.length - 1))];
  if (!a || !b) return { start: 0, end: 0 };
  return { start: a.start, end: Math.max(a.start, b.end) };
}

/** The range in `ranges` that contains token index `i`. */
export function rangeContaining(ranges: Array<[number, number]>, i: number): [number, number] | undefined {
  return ranges.find(([a, b]) => i >= a && i <= b);
}

/** Index of the first token in [from, to] whose keyword sequence matches `words` at depth 0. */
export function findKeywords(tokens: readonly Token[], from: number, to: number, ...words: string[]): number {
  let depth = 0;
  for (let i = from; i <= to && i < tokens.length; i++) {
    const t = tokens[i].text;
    if (t === '(' || t === '[') depth++;
    else if (t === ')' || t === ']') depth--;
    if (depth !== 0) continue;
    let ok = true;
    for (let k = 0; k < words.length && ok; k++) ok = tokens[i + k]?.keyword === words[k];
    if (ok) return i;
  }
  return -1;
}

/** End of a qualified name (`public.accounts`, `"Ledger"`) starting at token `i`. */
export function qualifiedNameEnd(tokens: readonly Token[], i: number): number {
  while (tokens[i + 1]?.text === '.' && tokens[i + 2]) i += 2;
  return i;
}

const EXPR_STOPS = new Set([
  'constraint', 'primary', 'unique', 'references', 'check', 'default', 'generated', 'collate',
  'deferrable', 'initially', 'using',
]);

/**
 * Last token index of an expression that starts at `from` and runs until a `,`/`)` at depth 0,
 * `to`, or a keyword that begins another column clause (`NOT NULL`, `REFERENCES`, ...).
 */
export function expressionEnd(tokens: readonly Token[], from: number, to: number): number {
  let depth = 0;
  let last = from;
  for (let i = from; i <= to && i < tokens.length; i++) {
    const t = tokens[i];
    if (depth === 0 && i > from) {
      if (t.text === ',' || t.text === ')' || t.text === ';') break;
      if (EXPR_STOPS.has(t.keyword)) break;
      const prev = tokens[i - 1].keyword;
      if (t.keyword === 'not' && tokens[i + 1]?.keyword === 'null' && prev !== 'is') break;
      if (t.keyword === 'null' && prev !== 'is' && prev !== 'not') break;
    }
    if (t.text === '(' || t.text === '[') depth++;
    else if (t.text === ')' || t.text === ']') {
      if (depth === 0) break;
      depth--;
    }
    last = i;
  }
  return last;
}
