/**
 * Offset conversions. Inside the server every offset is a UTF-16 code unit index (a JS string
 * index); libpg-query speaks UTF-8 bytes and code points, LSP speaks line/character.
 */

export interface LinePosition {
  /** 0-based line. */
  line: number;
  /** 0-based UTF-16 code units from the line start (what LSP calls `character`). */
  character: number;
}

export class LineIndex {
  // A typed array: copying it after an edit is a block copy, not an array grown push by push.
  private readonly starts: Int32Array;

  constructor(
    private readonly text: string,
    known?: Int32Array,
  ) {
    if (known) {
      this.starts = known;
      return;
    }
    const starts = [0];
    if (text.indexOf('\r') < 0) {
      // The common case: indexOf is far faster than a per-character loop on megabyte files.
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    } else {
      const n = text.length;
      for (let i = 0; i < n; i++) {
        const c = text.charCodeAt(i);
        if (c === 10) starts.push(i + 1);
        else if (c === 13) {
          if (text.charCodeAt(i + 1) === 10) i++; // `\r\n` is one break
          starts.push(i + 1);
        }
      }
    }
    this.starts = Int32Array.from(starts);
  }

  /**
   * The index of `text`, which is the text of `old` with `[start, oldEnd)` replaced by what is now
   * `[start, newEnd)`: only the changed lines are scanned, the others are copied (a keystroke in a
   * megabyte file need not look for every line break again).
   */
  static edited(old: LineIndex, text: string, change: { start: number; oldEnd: number; newEnd: number }): LineIndex {
    const before = old.starts;
    const { start, oldEnd, newEnd } = change;
    // A line start depends on the character before it and the one at it (`\r\n` is one break):
    // starts before the change are unchanged, and so are those more than one character after it.
    const head = Math.max(1, firstAtOrAfter(before, start));
    const changed: number[] = [];
    for (let i = Math.max(0, start - 1); i < newEnd; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) changed.push(i + 1);
    }
    const tail = firstAtOrAfter(before, oldEnd + 1);
    const starts = new Int32Array(head + changed.length + before.length - tail);
    starts.set(before.subarray(0, head));
    starts.set(changed, head);
    const delta = newEnd - oldEnd;
    for (let k = tail, j = head + changed.length; k < before.length; k++, j++) starts[j] = before[k] + delta;
    return new LineIndex(text, starts);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  lineStart(line: number): number {
    return this.starts[this.clampLine(line)];
  }

  /** Offset of the line's end, before its `\n`, `\r\n` or `\r`. */
  lineEnd(line: number): number {
    const l = this.clampLine(line);
    if (l + 1 >= this.starts.length) return this.text.length;
    let end = this.starts[l + 1] - 1;
    if (end > this.starts[l] && this.text.charCodeAt(end) === 10 && this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }

  positionAt(offset: number): LinePosition {
    const o = clamp(offset, 0, this.text.length);
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    // An offset inside a line break (between `\r` and `\n`) belongs to the end of its line.
    return { line: lo, character: Math.min(o, this.lineEnd(lo)) - this.starts[lo] };
  }

  /** Clamps like LSP clients expect: past the line end gives the line end, past the last line the text end. */
  offsetAt(position: LinePosition): number {
    if (!(position.line >= 0)) return 0;
    if (position.line >= this.starts.length) return this.text.length;
    const start = this.starts[position.line];
    const character = position.character > 0 ? position.character : 0;
    return Math.min(start + character, this.lineEnd(position.line));
  }

  private clampLine(line: number): number {
    return clamp(Math.trunc(line), 0, this.starts.length - 1);
  }
}

function firstAtOrAfter(sorted: Int32Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function clamp(v: number, lo: number, hi: number): number {
  if (!(v >= lo)) return lo; // also NaN
  return v > hi ? hi : v;
}

/** A character outside ASCII: searched for natively (a loop over every statement's characters ran on the CLI's baseline tiers). */
const NON_ASCII = /[^\x00-\x7f]/;

export function isAscii(text: string): boolean {
  return !NON_ASCII.test(text);
}

/**
 * A converter from UTF-8 byte offsets into `text` (libpg-query `location`s, scan token bounds) to
 * UTF-16 offsets. A byte inside a multi-byte character maps to that character's start; offsets past
 * the end clamp to `text.length`.
 */
export function utf8ByteToUtf16(text: string): (byte: number) => number {
  const len = text.length;
  if (isAscii(text)) return (byte) => clamp(Math.trunc(byte), 0, len);
  // bytes[i] = UTF-8 offset of UTF-16 index i; built on first use because most statements never
  // need a location converted. A low surrogate shares its pair's offset so lookups land on the pair start.
  let bytes: Uint32Array | undefined;
  return (byte) => {
    if (!bytes) bytes = buildByteTable(text);
    const b = Math.trunc(byte);
    if (!(b > 0)) return 0;
    if (b >= bytes[len]) return len;
    // Smallest index whose byte offset is > b, minus one, then back over a tied low surrogate.
    let lo = 0;
    let hi = len;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (bytes[mid] > b) hi = mid;
      else lo = mid + 1;
    }
    let i = lo - 1;
    while (i > 0 && bytes[i - 1] === bytes[i]) i--;
    return i;
  };
}

function buildByteTable(text: string): Uint32Array {
  const len = text.length;
  const bytes = new Uint32Array(len + 1);
  let b = 0;
  for (let i = 0; i < len; i++) {
    bytes[i] = b;
    const c = text.charCodeAt(i);
    if (c < 0x80) b += 1;
    else if (c < 0x800) b += 2;
    else if (c >= 0xd800 && c <= 0xdbff && isLowSurrogate(text.charCodeAt(i + 1))) {
      bytes[++i] = b;
      b += 4;
    } else b += 3; // BMP characters; a lone surrogate is encoded as 3 bytes (U+FFFD) as well
  }
  bytes[len] = b;
  return bytes;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/**
 * UTF-16 offset of the code point with 0-based index `cp` (libpg-query's `cursorPosition` is already
 * 0-based and counts code points: an emoji is one code point but two UTF-16 units). Clamps to the text.
 */
export function codePointToUtf16(text: string, cp: number): number {
  const len = text.length;
  let i = 0;
  for (let k = 0; k < cp && i < len; k++) {
    const c = text.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff && isLowSurrogate(text.charCodeAt(i + 1)) ? 2 : 1;
  }
  return i;
}
