// Files arrive as bytes in the CLI. A BOM is dropped (as editors do) and a file that is not
// UTF-8 is decoded with replacement characters and reported once, so one odd file never
// stops a CI run.

export interface DecodedText {
  text: string;
  /** Byte offset of the first invalid UTF-8 sequence, when there is one. */
  invalidUtf8At?: number;
  hadBom: boolean;
}

const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lossy = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

function firstInvalidByte(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) if (((bytes[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    i += need + 1;
  }
  return bytes.length;
}

export function decodeBytes(bytes: Uint8Array): DecodedText {
  const hadBom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = hadBom ? bytes.subarray(3) : bytes;
  try {
    return { text: strict.decode(body), hadBom };
  } catch {
    return { text: lossy.decode(body), hadBom, invalidUtf8At: firstInvalidByte(body) };
  }
}
