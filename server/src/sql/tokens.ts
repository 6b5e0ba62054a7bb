import type { ScanToken } from 'libpg-query';
import { scanText } from './parser';
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

// PostgreSQL's keywords (libpg-query 18's scanner; test/sql/tokens-scan.test.ts checks every one
// against it): an unquoted ASCII identifier whose lower case is listed is a keyword.
export const KEYWORDS: ReadonlySet<string> = new Set(
  (
  'abort absent absolute access action add admin after aggregate all also alter always analyse analyze and any ' +
  'array as asc asensitive assertion assignment asymmetric atomic at attach attribute authorization backward ' +
  'before begin between bigint binary bit boolean both breadth by cache call called cascade cascaded case cast ' +
  'catalog chain char character characteristics check checkpoint class close cluster coalesce collate collation ' +
  'column columns comment comments commit committed compression concurrently conditional configuration conflict ' +
  'connection constraint constraints content continue conversion copy cost create cross csv cube current ' +
  'current_catalog current_date current_role current_schema current_time current_timestamp current_user cursor ' +
  'cycle data database day deallocate dec decimal declare default defaults deferrable deferred definer delete ' +
  'delimiter delimiters depends depth desc detach dictionary disable discard distinct do document domain double ' +
  'drop each else empty enable encoding encrypted end enforced enum error escape event except exclude excluding ' +
  'exclusive execute exists explain expression extension external extract false family fetch filter finalize ' +
  'first float following for force foreign format forward freeze from full function functions generated global ' +
  'grant granted greatest group grouping groups handler having header hold hour identity if ilike immediate ' +
  'immutable implicit import in include including increment indent index indexes inherit inherits initially ' +
  'inline inner inout input insensitive insert instead int integer intersect interval into invoker is isnull ' +
  'isolation join json json_array json_arrayagg json_exists json_object json_objectagg json_query json_scalar ' +
  'json_serialize json_table json_value keep key keys label language large last lateral leading leakproof least ' +
  'left level like limit listen load local localtime localtimestamp location lock locked logged mapping match ' +
  'matched materialized maxvalue merge merge_action method minute minvalue mode month move name names national ' +
  'natural nchar nested new next nfc nfd nfkc nfkd no none normalize normalized not nothing notify notnull nowait ' +
  'null nullif nulls numeric object objects of off offset oids old omit on only operator option options or order ' +
  'ordinality others out outer over overlaps overlay overriding owned owner parallel parameter parser partial ' +
  'partition passing password path period placing plan plans policy position preceding precision preserve prepare ' +
  'prepared primary prior privileges procedural procedure procedures program publication quote quotes range read ' +
  'real reassign recursive ref references referencing refresh reindex relative release rename repeatable replace ' +
  'replica reset restart restrict return returning returns revoke right role rollback rollup routine routines row ' +
  'rows rule savepoint scalar schema schemas scroll search second security select sequence sequences serializable ' +
  'server session session_user set sets setof share show similar simple skip smallint snapshot some source sql ' +
  'stable standalone start statement statistics stdin stdout storage stored strict string strip subscription ' +
  'substring support symmetric sysid system system_user table tables tablesample tablespace target temp template ' +
  'temporary text then ties time timestamp to trailing transaction transform treat trigger trim true truncate ' +
  'trusted type types uescape unbounded unconditional uncommitted unencrypted union unique unknown unlisten ' +
  'unlogged until update user using vacuum valid validate validator value values varchar variadic varying verbose ' +
  'version view views virtual volatile when where whitespace window with within without work wrapper write xml ' +
  'xmlattributes xmlconcat xmlelement xmlexists xmlforest xmlnamespaces xmlparse xmlpi xmlroot xmlserialize ' +
  'xmltable year yes zone'
  ).split(' '),
);
const LONGEST_KEYWORD = 17;
// libpg-query writes its tokens as JSON without escaping control characters other than tab, CR and
// LF, so a text holding one in any token (a comment included) scans to nothing; a lone surrogate
// has no UTF-8 form. Both are left to the real scanner.
const UNSCANNABLE = /[\x00-\x08\x0b\x0c\x0e-\x1f]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

// How libpg-query names the tokens below (and so which kind convertTokens gives them): of the
// one-character tokens only these six have an ASCII_ name, of the two-character ones only these.
const PUNCT_TEXT = new Set(['(', ')', '*', ',', ';', '=']);
const OP_TEXT = new Set(['::', '<=', '>=', '<>', '!=']);

/** PostgreSQL's op_chars: what an operator is made of. */
function isOpChar(c: number): boolean {
  // ~ ! @ # ^ & | ` ? + - * / % < > =
  return c === 126 || c === 33 || c === 64 || c === 35 || c === 94 || c === 38 || c === 124 || c === 96 || c === 63 || c === 43 || c === 45 || c === 42 || c === 47 || c === 37 || c === 60 || c === 62 || c === 61;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** ident_start: a letter, an underscore or any non-ASCII character (a byte >= 0x80 in UTF-8). */
function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c >= 128;
}

/** ident_cont (dollar quote tags have no `$`). */
function isIdentCont(c: number, dollar = true): boolean {
  return isIdentStart(c) || isDigit(c) || (dollar && c === 36);
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11;
}

// scanTokensFast's per-character tests as a table for ASCII: the CLI runs it on V8's baseline tiers
// (cli/v8-tiering.ts), which do not inline, and a call or three per character of every statement
// (isSpace, isIdentCont -> isIdentStart, isDigit) was ~1% of a 1,000-file run.
const SPACE = 1;
/** A-Z, a-z and `_`: ident_start in ASCII. */
const LETTER = 2;
const DIGIT = 4;
const DOLLAR = 8;
const ASCII_CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) ASCII_CLASS[c] = (isSpace(c) ? SPACE : 0) | ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 ? LETTER : 0) | (isDigit(c) ? DIGIT : 0) | (c === 36 ? DOLLAR : 0);

/**
 * The end (after the closing quote) of a '...' literal or "..." identifier opening at `open`, where a doubled quote
 * stands for one; undefined when it is not closed.
 */
function skipQuoted(text: string, open: number, quote: number): number | undefined {
  const n = text.length;
  let i = open + 1;
  for (;;) {
    if (i >= n) return undefined;
    if (text.charCodeAt(i) === quote) {
      if (text.charCodeAt(i + 1) === quote) i += 2;
      else return i + 1;
    } else i++;
  }
}

/** The operator PostgreSQL's scanner takes from the run of op_chars at `i` (its {operator} rule). */
function operatorEnd(text: string, i: number): number {
  let end = i;
  while (end < text.length && isOpChar(text.charCodeAt(end))) end++;
  const run = text.slice(i, end);
  let n = run.length;
  // A comment start ends the operator.
  const comment = [run.indexOf('/*'), run.indexOf('--')].filter((k) => k >= 0);
  if (comment.length) n = Math.min(...comment);
  // A trailing + or - belongs to the next token unless the operator has one of these characters
  // (so `=-1` is `=` and `-1`, while `@-` stays one operator).
  const last = run.charCodeAt(n - 1);
  if (n > 1 && (last === 43 || last === 45) && !/[~!@#^&|`?%]/.test(run.slice(0, n - 1))) {
    do n--;
    while (n > 1 && (run.charCodeAt(n - 1) === 43 || run.charCodeAt(n - 1) === 45));
  }
  return i + n;
}

/**
 * Tokens of `text` at file offset `base` as convertTokens(scanText(text), byte => base + toUtf16(byte))
 * makes them, without the WebAssembly scanner: libpg-query's scan costs ~40 microseconds a statement
 * (JSON included), about 8% of a CLI run. Covers what migrations and queries are made of; anything
 * else (E'', B'', X'', U&'' and U&"" literals, string continuation across lines, 0x and 1_000
 * numbers, unterminated quotes and comments, stray characters, text the scanner rejects) returns
 * undefined, and the caller asks the real scanner.
 */
export function scanTokensFast(text: string, base: number): Token[] | undefined {
  if (UNSCANNABLE.test(text)) return undefined;
  const out: Token[] = [];
  const n = text.length;
  let i = 0;
  const push = (start: number, end: number, kind: Token['kind'], keyword = '') => {
    out.push({ start: base + start, end: base + end, text: text.slice(start, end), keyword, kind });
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c < 128 && (ASCII_CLASS[c] & SPACE) !== 0) {
      i++;
    } else if (c === 45 && text.charCodeAt(i + 1) === 45) {
      // -- comment to the end of the line
      while (i < n && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
    } else if (c === 47 && text.charCodeAt(i + 1) === 42) {
      // /* comment */, nested
      let depth = 1;
      i += 2;
      while (depth > 0) {
        if (i >= n) return undefined;
        const d = text.charCodeAt(i);
        if (d === 47 && text.charCodeAt(i + 1) === 42) {
          depth++;
          i += 2;
        } else if (d === 42 && text.charCodeAt(i + 1) === 47) {
          depth--;
          i += 2;
        } else i++;
      }
    } else if (isIdentStart(c)) {
      const start = i;
      i++;
      // ident_cont (a letter, `_`, a digit, `$` or any non-ASCII character), noting whether the word
      // is made of ASCII letters and `_` only, as a keyword is.
      let letters = c < 128;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d >= 128) letters = false;
        else {
          const k = ASCII_CLASS[d];
          if ((k & (LETTER | DIGIT | DOLLAR)) === 0) break;
          if (k !== LETTER) letters = false;
        }
        i++;
      }
      const next = text.charCodeAt(i);
      // E'..', B'..', X'..', N'..', U&'..' and U&"..": literals of their own.
      if (i - start === 1 && (next === 39 || (next === 38 && (c === 117 || c === 85)))) return undefined;
      const word = text.slice(start, i);
      const lower = letters && i - start <= LONGEST_KEYWORD ? word.toLowerCase() : undefined;
      if (lower !== undefined && KEYWORDS.has(lower)) out.push({ start: base + start, end: base + i, text: word, keyword: lower, kind: 'keyword' });
      else out.push({ start: base + start, end: base + i, text: word, keyword: '', kind: 'ident' });
    } else if (c === 39) {
      // '...' with '' for a quote
      const start = i;
      const end = skipQuoted(text, i, 39);
      if (end === undefined) return undefined;
      i = end;
      // 'a'<newline>'b' is one literal to PostgreSQL: left to the real scanner.
      let k = i;
      let newline = false;
      for (; k < n && isSpace(text.charCodeAt(k)); k++) if (text.charCodeAt(k) === 10 || text.charCodeAt(k) === 13) newline = true;
      if (newline && (text.charCodeAt(k) === 39 || (text.charCodeAt(k) === 45 && text.charCodeAt(k + 1) === 45))) return undefined;
      push(start, i, 'string');
    } else if (c === 34) {
      // "quoted identifier" with "" for a quote; "" alone is an error
      const start = i;
      const end = skipQuoted(text, i, 34);
      if (end === undefined) return undefined;
      i = end;
      if (i - start === 2) return undefined;
      push(start, i, 'ident');
    } else if (c === 36) {
      const start = i;
      const d = text.charCodeAt(i + 1);
      if (isDigit(d)) {
        // $1
        i++;
        while (i < n && isDigit(text.charCodeAt(i))) i++;
        if (i < n && isIdentCont(text.charCodeAt(i))) return undefined;
        push(start, i, 'param');
        continue;
      }
      // $tag$ ... $tag$ (or $$ ... $$)
      let k = i + 1;
      if (isIdentStart(d)) while (k < n && isIdentCont(text.charCodeAt(k), false)) k++;
      if (text.charCodeAt(k) !== 36) return undefined;
      const delimiter = text.slice(i, k + 1);
      const close = text.indexOf(delimiter, k + 1);
      if (close < 0) return undefined;
      i = close + delimiter.length;
      push(start, i, 'string');
    } else if (isDigit(c) || (c === 46 && isDigit(text.charCodeAt(i + 1)))) {
      const start = i;
      while (i < n && isDigit(text.charCodeAt(i))) i++;
      // 1..10 is 1, .., 10
      if (text.charCodeAt(i) === 46 && text.charCodeAt(i + 1) !== 46) {
        i++;
        while (i < n && isDigit(text.charCodeAt(i))) i++;
      }
      const e = text.charCodeAt(i);
      if (e === 101 || e === 69) {
        let k = i + 1;
        const sign = text.charCodeAt(k);
        if (sign === 43 || sign === 45) k++;
        if (!isDigit(text.charCodeAt(k))) return undefined;
        while (k < n && isDigit(text.charCodeAt(k))) k++;
        i = k;
      }
      // 123abc, 0x1F, 1_000: junk or forms of their own
      if (i < n && isIdentCont(text.charCodeAt(i))) return undefined;
      push(start, i, 'number');
    } else if (c === 58) {
      // :: and := and :
      const d = text.charCodeAt(i + 1);
      const len = d === 58 || d === 61 ? 2 : 1;
      push(i, i + len, d === 58 ? 'op' : 'other');
      i += len;
    } else if (c === 46) {
      const len = text.charCodeAt(i + 1) === 46 ? 2 : 1;
      push(i, i + len, 'other');
      i += len;
    } else if (c === 40 || c === 41 || c === 44 || c === 59 || c === 91 || c === 93 || c === 92 || c === 123 || c === 125) {
      // ( ) , ; [ ] and the characters the scanner passes on one by one
      push(i, i + 1, c === 40 || c === 41 || c === 44 || c === 59 ? 'punct' : 'other');
      i++;
    } else if (isOpChar(c)) {
      const end = operatorEnd(text, i);
      // PostgreSQL rejects operators of NAMEDATALEN (64) characters or more.
      if (end - i >= 64) return undefined;
      const op = text.slice(i, end);
      out.push({ start: base + i, end: base + end, text: op, keyword: '', kind: end - i === 1 ? (PUNCT_TEXT.has(op) ? 'punct' : 'other') : OP_TEXT.has(op) ? 'op' : 'other' });
      i = end;
    } else return undefined;
  }
  return out;
}

/**
 * The tokens of a statement's `text` at file offset `base` (`toUtf16` maps the text's UTF-8 byte
 * offsets to its UTF-16 ones): from scanTokensFast when it covers the text, else from libpg-query.
 */
export function scanTokens(text: string, base: number, toUtf16: (byte: number) => number): Token[] {
  return scanTokensFast(text, base) ?? convertTokens(scanText(text), base === 0 ? toUtf16 : (byte) => base + toUtf16(byte));
}
