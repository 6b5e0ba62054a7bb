import type { Segment } from './statement';
import {
  ASCII, BACKSLASH, IDENT, IDENT_CONT, OTHER, SEMI, SPACE, isSpace, isIdentStart, isTagChar, isAsciiLetter,
  lineEnd, nextLineStart, semicolonAtLineEnd, statementLineAfter, wordIs,
} from './split-text';

/**
 * Splits a SQL file into statements the way psql does, plus psql meta commands and COPY data, and
 * recovers from constructs left open while the user types (psql would swallow the rest of the file;
 * an editor must keep linting the statements after the broken one).
 *
 * One pass over char codes; `indexOf` jumps over quoted bodies. Never throws, always terminates:
 * every step advances `pos`, and the rescans caused by recovery are paid from a budget that is linear
 * in the file size.
 */
export function splitSql(text: string): Segment[] {
  return new Splitter(typeof text === 'string' ? text : '', 0).run().segments;
}

/** A split of part of a file, for re-splitting only around an edit (see incremental-split.ts). */
export interface SplitRun {
  segments: Segment[];
  /**
   * Indices (into `segments`) of segments whose extent depended on the text up to the end of the
   * file: a construct left open (quote, body, comment, parens) was searched for to the end. They
   * are also the only ones that spent the recovery budget.
   */
  eofDependent: number[];
  /** Set when `stop` accepted a statement: the run ended before it (it is not in `segments`). */
  stopped: boolean;
}

/**
 * Splits `text` from `from`, which must be where a statement starts (or 0): the splitter is in its
 * initial state there. Before emitting each statement, asks `stop(start)`; when it says true the run
 * ends without that statement.
 */
export function splitSqlFrom(text: string, from: number, stop?: (start: number) => boolean): SplitRun {
  return new Splitter(text, from, stop).run();
}

type Unterminated = NonNullable<Segment['unterminated']>;

const COPY_META_FROM_STDIN = /^\\copy\b[\s\S]*\bfrom\s+stdin\b/i;

/** Routine-header progress: psql only tracks BEGIN ... END in CREATE [OR REPLACE] FUNCTION/PROCEDURE. */
const enum Routine { Unknown, Create, CreateOr, CreateOrReplace, Yes, No }
const enum Copy { No, Copy, AfterFrom, FromStdin }

class Splitter {
  private readonly n: number;
  private readonly out: Segment[] = [];
  private readonly eofDependent: number[] = [];
  private stopped = false;
  private pos: number;
  /** Characters that recoveries may rescan in total; keeps adversarial input linear. */
  private budget: number;

  // State of the statement being read; reset by `reset()`.
  private start = -1;
  private parens = 0;
  private begins = 0;
  private beginAt = -1;
  /** First `;` that did not end the statement because of open parens/BEGIN (a recovery point). */
  private nestedSemi = -1;
  private words = 0;
  private routine = Routine.Unknown;
  private copy = Copy.No;

  constructor(
    private readonly t: string,
    from: number,
    private readonly stop?: (start: number) => boolean,
  ) {
    this.n = t.length;
    this.pos = from;
    this.budget = 16 * this.n + 1_000_000;
  }

  run(): SplitRun {
    for (;;) {
      this.scan();
      if (this.stopped || this.start < 0 || !this.recoverAtEof() || this.stopped) break;
    }
    if (this.start >= 0 && !this.stopped) this.emit('statement', this.start, this.n, undefined, undefined, true);
    return { segments: this.out, eofDependent: this.eofDependent, stopped: this.stopped };
  }

  private scan(): void {
    const t = this.t;
    const n = this.n;
    // Locals for speed (imported bindings are property loads in CommonJS); `this.pos` is synced
    // around the calls that move it.
    const table = ASCII;
    const space = SPACE;
    const ident = IDENT;
    const identCont = IDENT_CONT;
    const other = OTHER;
    let pos = this.pos;
    while (pos < n) {
      const c = t.charCodeAt(pos);
      const kind = (c < 128 ? table[c] : c === 0xfeff ? space : ident) & 7;
      if (kind === space) {
        pos++;
        continue;
      }
      if (kind === ident) {
        if (this.start < 0) this.start = pos;
        const s = pos;
        pos++;
        while (pos < n) {
          const d = t.charCodeAt(pos);
          if (d < 128 ? (table[d] & identCont) === 0 : d === 0xfeff) break;
          pos++; // `$` continues identifiers: `a$$b` is one name
        }
        if (pos - s === 1 && (c | 0x20) === 101 && t.charCodeAt(pos) === 39) {
          this.quoted(pos, 39, true); // E'...'
          pos = this.pos;
          if (this.stopped) break;
        } else if (this.routine !== Routine.No || this.copy !== Copy.No || this.words === 0) {
          this.noteWord(s, pos - s);
        }
        continue;
      }
      if (kind === other) {
        if (this.start < 0) this.start = pos;
        pos++;
        continue;
      }
      const next = t.charCodeAt(pos + 1);
      this.pos = pos;
      if (c === 45 && next === 45) {
        this.pos = lineEnd(t, pos);
      } else if (c === 47 && next === 42) {
        this.blockComment();
      } else if (c === SEMI) {
        this.semicolon();
      } else if (c === BACKSLASH) {
        this.backslash();
      } else {
        if (this.start < 0) this.start = pos;
        if (c === 39) this.quoted(pos, 39, false);
        else if (c === 34) this.quoted(pos, 34, false);
        else if (c === 36) this.dollar();
        else {
          if (c === 40) this.parens++;
          else if (c === 41 && this.parens > 0) this.parens--;
          this.pos = pos + 1;
        }
      }
      pos = this.pos;
      if (this.stopped) break;
    }
    this.pos = pos;
  }

  private semicolon(): void {
    const at = this.pos;
    this.pos++;
    if (this.start < 0) return; // empty statement
    if (this.parens > 0 || this.begins > 0) {
      // psql keeps `;` inside parens (CREATE RULE ... DO (a; b)) and inside BEGIN ATOMIC bodies.
      if (this.nestedSemi < 0) this.nestedSemi = at;
      return;
    }
    this.terminate(at);
  }

  /** Ends the current statement before `end`; then reads COPY data if it was `COPY ... FROM STDIN`. */
  private terminate(end: number): void {
    const copyData = this.copy === Copy.FromStdin;
    this.emit('statement', this.start, end);
    this.reset();
    if (copyData && !this.stopped) this.copyData();
  }

  private backslash(): void {
    const t = this.t;
    const s = this.pos;
    const eol = lineEnd(t, s);
    if (this.start < 0) {
      this.emit('meta', s, eol);
      this.pos = eol;
      if (COPY_META_FROM_STDIN.test(t.slice(s, eol))) this.copyData();
      return;
    }
    if (t.charCodeAt(s + 1) === SEMI) {
      // `\;` joins statements into one query string for psql; for linting each part is its own statement.
      this.pos = s + 2;
      this.terminate(s);
      return;
    }
    let j = s + 1;
    while (isAsciiLetter(t.charCodeAt(j))) j++;
    const name = t.slice(s + 1, j).toLowerCase();
    if (name.startsWith('g') || name === 'watch' || name === 'crosstabview') {
      // \g, \gx, \gset, \gexec, \gdesc, \watch send the query buffer like `;`.
      const copyData = this.copy === Copy.FromStdin;
      this.emit('statement', this.start, s);
      this.reset();
      this.emit('meta', s, eol);
      this.pos = eol;
      if (copyData && !this.stopped) this.copyData();
      return;
    }
    // Another meta command inside a statement: psql runs it and keeps the buffer. Skip its line so
    // quotes in its arguments do not open strings; it stays inside the statement's text.
    this.pos = eol;
  }

  /** Rows after COPY ... FROM STDIN, starting on the next line, up to a line that is exactly `\.`. */
  private copyData(): void {
    const t = this.t;
    const n = this.n;
    let ls = nextLineStart(t, lineEnd(t, this.pos));
    const dataStart = ls;
    let dataEnd = ls;
    while (ls < n) {
      const le = lineEnd(t, ls);
      if (le - ls === 2 && t.charCodeAt(ls) === BACKSLASH && t.charCodeAt(ls + 1) === 46) {
        this.pushData(dataStart, dataEnd);
        this.pos = le;
        return;
      }
      dataEnd = le;
      ls = nextLineStart(t, le);
    }
    this.pushData(dataStart, dataEnd);
    this.pos = n;
  }

  private pushData(start: number, end: number): void {
    // Not trimmed: trailing tabs are empty fields in COPY text format.
    if (end > start && !this.stopped) this.out.push({ start, end, text: this.t.slice(start, end), kind: 'copy-data' });
  }

  private blockComment(): void {
    const t = this.t;
    const n = this.n;
    const open = this.pos;
    let depth = 1;
    let i = open + 2;
    while (i < n) {
      const c = t.charCodeAt(i);
      if (c === 42 && t.charCodeAt(i + 1) === 47) {
        i += 2;
        if (--depth === 0) {
          this.pos = i;
          return;
        }
      } else if (c === 47 && t.charCodeAt(i + 1) === 42) {
        depth++; // PostgreSQL block comments nest
        i += 2;
      } else i++;
    }
    this.unterminated('comment', open);
  }

  /** `'...'` (`''` escapes; with `escapes`, an E'' string where `\` escapes the next char) or `"..."`. */
  private quoted(open: number, quote: number, escapes: boolean): void {
    const t = this.t;
    const n = this.n;
    const q = quote === 39 ? "'" : '"';
    let i = open + 1;
    for (;;) {
      let k: number;
      if (escapes) {
        k = i;
        while (k < n) {
          const c = t.charCodeAt(k);
          if (c === quote) break;
          k += c === BACKSLASH ? 2 : 1;
        }
        if (k >= n) k = -1;
      } else k = t.indexOf(q, i);
      if (k < 0) return this.unterminated(quote === 39 ? 'quote' : 'identifier', open);
      if (t.charCodeAt(k + 1) !== quote) {
        this.pos = k + 1;
        return;
      }
      i = k + 2; // doubled quote
    }
  }

  private dollar(): void {
    const t = this.t;
    const open = this.pos;
    let j = open + 1;
    if (t.charCodeAt(j) !== 36) {
      // `$1` parameters and a lone `$` are not dollar quotes; neither is `$tag` without its closing `$`.
      if (!isIdentStart(t.charCodeAt(j))) return void (this.pos = j);
      j++;
      while (isTagChar(t.charCodeAt(j))) j++;
      if (t.charCodeAt(j) !== 36) return void (this.pos = open + 1);
    }
    const tag = t.slice(open, j + 1);
    const close = t.indexOf(tag, j + 1);
    if (close < 0) return this.unterminated('dollar', open);
    this.pos = close + tag.length; // `$$` inside `$fn$ ... $fn$` is just text
  }

  /** Tracks just enough words for BEGIN ATOMIC bodies and COPY ... FROM STDIN. */
  private noteWord(s: number, len: number): void {
    const t = this.t;
    const index = this.words++;
    if (index === 0) {
      if (wordIs(t, s, len, 'create')) this.routine = Routine.Create;
      else {
        this.routine = Routine.No;
        if (wordIs(t, s, len, 'copy')) this.copy = Copy.Copy;
      }
      return;
    }
    switch (this.routine) {
      case Routine.Create:
        this.routine = wordIs(t, s, len, 'or') ? Routine.CreateOr : this.routineWord(s, len);
        return;
      case Routine.CreateOr:
        this.routine = wordIs(t, s, len, 'replace') ? Routine.CreateOrReplace : Routine.No;
        return;
      case Routine.CreateOrReplace:
        this.routine = this.routineWord(s, len);
        return;
      case Routine.Yes:
        // Like psql: count BEGIN/CASE ... END outside parens; CASE only matters inside a body.
        if (this.parens > 0) return;
        if (wordIs(t, s, len, 'begin')) {
          if (this.begins++ === 0) this.beginAt = s;
        } else if (wordIs(t, s, len, 'case')) {
          if (this.begins > 0) this.begins++;
        } else if (wordIs(t, s, len, 'end')) {
          if (this.begins > 0) this.begins--;
        }
        return;
    }
    if (this.copy === Copy.No || this.parens > 0) return;
    if (wordIs(t, s, len, 'from')) this.copy = Copy.AfterFrom;
    else if (this.copy === Copy.AfterFrom && wordIs(t, s, len, 'stdin')) this.copy = Copy.FromStdin;
    else if (this.copy === Copy.AfterFrom) this.copy = Copy.Copy;
  }

  private routineWord(s: number, len: number): Routine {
    const t = this.t;
    return wordIs(t, s, len, 'function') || wordIs(t, s, len, 'procedure') ? Routine.Yes : Routine.No;
  }

  private emit(kind: Segment['kind'], start: number, end: number, unterminated?: Unterminated, at?: number, toEof = false): void {
    const t = this.t;
    while (end > start && isSpace(t.charCodeAt(end - 1))) end--;
    if (end <= start || this.stopped) return;
    if (kind === 'statement' && this.stop?.(start)) {
      this.stopped = true;
      return;
    }
    if (toEof) this.eofDependent.push(this.out.length);
    const seg: Segment = { start, end, text: t.slice(start, end), kind };
    if (unterminated) {
      seg.unterminated = unterminated;
      seg.unterminatedAt = at;
    }
    this.out.push(seg);
  }

  private reset(): void {
    this.start = -1;
    this.parens = 0;
    this.begins = 0;
    this.beginAt = -1;
    this.nestedSemi = -1;
    this.words = 0;
    this.routine = Routine.Unknown;
    this.copy = Copy.No;
  }

  /**
   * A quote, identifier, dollar body or comment opened at `open` runs to the end of the file.
   * Recovery (only while the rescan budget lasts; otherwise psql's behaviour, swallow to the end):
   * - quote / identifier: a stray quote usually breaks one line, so the statement most likely ends
   *   at the first `;` that ends a line after the quote; resume after that `;`.
   * - dollar body / comment: bodies and comments contain `;` at line ends all the time, so instead
   *   resume at the first line that starts, at column 0, with a statement keyword right after a
   *   line ending in `;` (see `statementLineAfter`).
   */
  private unterminated(kind: Unterminated, open: number): void {
    const start = this.start >= 0 ? this.start : open;
    let end = this.n;
    let resume = this.n;
    if (this.spend(start)) {
      if (kind === 'quote' || kind === 'identifier') {
        const semi = semicolonAtLineEnd(this.t, open + 1);
        if (semi >= 0) {
          end = semi;
          resume = semi + 1;
        }
      } else {
        const line = statementLineAfter(this.t, open);
        if (line >= 0) end = resume = line;
      }
    }
    this.emit('statement', start, end, kind, open, true);
    this.reset();
    this.pos = resume;
  }

  /** The file ended inside open parens or a BEGIN ATOMIC body; returns true when scanning resumes. */
  private recoverAtEof(): boolean {
    if ((this.parens === 0 && this.begins === 0) || !this.spend(this.start)) return false;
    let end = -1;
    let resume = -1;
    if (this.parens === 0 && this.beginAt >= 0) end = resume = statementLineAfter(this.t, this.beginAt);
    if (end < 0 && this.nestedSemi >= 0) {
      end = this.nestedSemi;
      resume = end + 1;
    }
    if (end < 0) return false;
    this.emit('statement', this.start, end, undefined, undefined, true);
    this.reset();
    this.pos = resume;
    return true;
  }

  private spend(from: number): boolean {
    const cost = 2 * (this.n - from);
    if (cost > this.budget) return false;
    this.budget -= cost;
    return true;
  }
}
