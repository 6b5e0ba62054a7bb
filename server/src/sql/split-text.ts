/**
 * Character classes and line helpers for the statement splitter, and the searches it uses to
 * recover from constructs left open at the end of a file. Pure functions over char codes.
 */

export const SEMI = 59;
export const BACKSLASH = 92;

export function isSpace(c: number): boolean {
  // U+FEFF: a BOM at the start of a file (or pasted mid-file) is never SQL.
  return c === 32 || (c >= 9 && c <= 13) || c === 0xfeff;
}

/** PostgreSQL's ident_start: ASCII letters, `_`, and every non-ASCII character. */
export function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || (c >= 0x80 && c !== 0xfeff);
}

/** Dollar-quote tags follow identifier rules but cannot contain `$`. */
export function isTagChar(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57);
}

export function isAsciiLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

// Character classes of ASCII codes for the hot loop (non-ASCII is IDENT, U+FEFF is SPACE).
export const SPACE = 1;
export const IDENT = 2; // identifier start
export const OTHER = 3; // digits, operators, commas: part of a statement, nothing to track
const SPECIAL = 4; // - / ; \ ' " $ ( ): may start a construct
export const IDENT_CONT = 8; // flag: continues an identifier
export const ASCII = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  ASCII[c] = isSpace(c) ? SPACE : isIdentStart(c) ? IDENT | IDENT_CONT : OTHER;
  if ((c >= 48 && c <= 57) || c === 36) ASCII[c] |= IDENT_CONT;
}
for (const ch of '-/;\\\'"$()') ASCII[ch.charCodeAt(0)] = SPECIAL | (ASCII[ch.charCodeAt(0)] & IDENT_CONT);

/** Offset of the line break ending the line that contains `i` (or the text length). */
export function lineEnd(t: string, i: number): number {
  const n = t.length;
  while (i < n) {
    const c = t.charCodeAt(i);
    if (c === 10 || c === 13) return i;
    i++;
  }
  return n;
}

/** Start of the next line, given the offset of a line break (`\r\n`, `\n` or a lone `\r`). */
export function nextLineStart(t: string, eol: number): number {
  if (t.charCodeAt(eol) === 13 && t.charCodeAt(eol + 1) === 10) return eol + 2;
  return eol < t.length ? eol + 1 : eol;
}

/** Case-insensitive comparison of `t[s, s+len)` with a lower-case ASCII word, without slicing. */
export function wordIs(t: string, s: number, len: number, word: string): boolean {
  if (len !== word.length) return false;
  for (let i = 0; i < len; i++) if ((t.charCodeAt(s + i) | 0x20) !== word.charCodeAt(i)) return false;
  return true;
}

// Used only during recovery, on at most one short slice per line, never per character.
const STATEMENT_START =
  /^(?:(?:create|alter|drop|insert|update|delete|select|with|grant|revoke|comment|commit|rollback|set|do|truncate|copy|vacuum|analyze|call|lock|refresh|reindex)\b|begin\s*(?:;|(?:transaction|work|isolation)\b))/i;

/** First `;` at or after `from` followed only by blanks up to a line break. */
export function semicolonAtLineEnd(t: string, from: number): number {
  const n = t.length;
  for (let k = t.indexOf(';', from); k >= 0; k = t.indexOf(';', k + 1)) {
    let i = k + 1;
    while (i < n && (t.charCodeAt(i) === 32 || t.charCodeAt(i) === 9)) i++;
    const c = t.charCodeAt(i);
    if (c === 10 || c === 13) return k;
  }
  return -1;
}

/**
 * Start of the first line after the one containing `from` that begins at column 0 with a statement
 * keyword and follows a line ending in `;` (or of the blank and `--` lines in between). Both
 * conditions keep the lines of a PL/pgSQL or SQL body (`DECLARE x int;` then `BEGIN`, `AS $$` then
 * `SELECT`) from being mistaken for the next statement.
 */
export function statementLineAfter(t: string, from: number): number {
  const n = t.length;
  let le = lineEnd(t, from);
  let afterSemi = lastNonBlank(t, from, le) === SEMI;
  let ls = nextLineStart(t, le);
  // Blank and comment lines right after the `;` line belong in front of the next statement.
  let cut = ls;
  while (ls < n) {
    le = lineEnd(t, ls);
    const last = lastNonBlank(t, ls, le);
    let first = ls;
    while (first < le && isSpace(t.charCodeAt(first))) first++;
    const comment = t.charCodeAt(first) === 45 && t.charCodeAt(first + 1) === 45;
    const next = nextLineStart(t, le);
    if (last >= 0 && !comment) {
      if (afterSemi && isAsciiLetter(t.charCodeAt(ls)) && STATEMENT_START.test(t.slice(ls, Math.min(le, ls + 40)))) {
        return cut;
      }
      afterSemi = last === SEMI;
      cut = next;
    }
    ls = next;
  }
  return -1;
}

function lastNonBlank(t: string, s: number, e: number): number {
  while (e > s && isSpace(t.charCodeAt(e - 1))) e--;
  return e > s ? t.charCodeAt(e - 1) : -1;
}
