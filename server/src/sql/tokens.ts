import type { ScanToken } from 'libpg-query';
import type { Token } from './statement';

// libpg-query's scanner reports keywords with tokenName 'UNKNOWN' and a keywordName; the rest by
// their grammar token name. Comments are dropped: rules anchor on code, never on comments.
const KIND_BY_NAME: Record<string, Token['kind']> = {
  IDENT: 'ident',
  UIDENT: 'ident',
  SCONST: 'string',
  USCONST: 'string',
  BCONST: 'string',
  XCONST: 'string',
  ICONST: 'number',
  FCONST: 'number',
  PARAM: 'param',
  Op: 'op',
  TYPECAST: 'op',
  DOT_DOT: 'op',
  COLON_EQUALS: 'op',
  EQUALS_GREATER: 'op',
  LESS_EQUALS: 'op',
  GREATER_EQUALS: 'op',
  NOT_EQUALS: 'op',
};

export function convertTokens(scan: readonly ScanToken[], toOffset: (byte: number) => number): Token[] {
  const out: Token[] = [];
  for (const t of scan) {
    if (t.tokenName === 'SQL_COMMENT' || t.tokenName === 'C_COMMENT') continue;
    const isKeyword = t.keywordName !== 'NO_KEYWORD' && t.keywordName !== undefined;
    let kind: Token['kind'];
    if (isKeyword) kind = 'keyword';
    else if (t.tokenName.startsWith('ASCII_')) kind = 'punct';
    else kind = KIND_BY_NAME[t.tokenName] ?? 'other';
    out.push({
      start: toOffset(t.start),
      end: toOffset(t.end),
      text: t.text,
      keyword: isKeyword ? t.text.toLowerCase() : '',
      kind,
    });
  }
  return out;
}

/** Index of the first token starting at or after `offset` (binary search), or tokens.length. */
export function tokenIndexAt(tokens: readonly Token[], offset: number): number {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (tokens[mid].start < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
