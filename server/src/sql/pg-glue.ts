// libpg-query's parse, scan and PL/pgSQL parse over its WebAssembly module, for the CLI: the
// package's own wrappers copy each statement into the module's memory and its JSON result out of
// it with JavaScript byte loops (UTF8ToString looks for the closing NUL one byte at a time), which
// the CLI's baseline tiers run slowly; here the copies are TextEncoder.encodeInto, a native
// indexOf and TextDecoder. Same module, same entry points, same results and errors as the package
// (test/sql/parser-glue.test.ts compares them). The language server keeps the package's wrappers:
// its explain features load the package anyway, and one module instance is enough there.
import type * as LibPgQuery from 'libpg-query';

/** What parser.ts uses of libpg-query. */
export type PgApi = Pick<typeof LibPgQuery, 'parseSync' | 'scanSync' | 'parsePlPgSQLSync'>;

interface EmscriptenModule {
  HEAPU8: Uint8Array;
  _malloc(size: number): number;
  _free(ptr: number): void;
  _wasm_parse_query_raw(ptr: number): number;
  _wasm_free_parse_result(ptr: number): void;
  _wasm_scan(ptr: number): number;
  _wasm_parse_plpgsql(ptr: number): number;
  _wasm_free_string(ptr: number): void;
  lengthBytesUTF8(s: string): number;
  stringToUTF8(s: string, ptr: number, max: number): void;
}

/** The package's error type: parser.ts reads `sqlDetails` (message, cursorPosition). */
class SqlError extends Error {
  constructor(
    message: string,
    readonly sqlDetails: { message: string; cursorPosition: number; fileName?: string; functionName?: string; lineNumber?: number },
  ) {
    super(message);
    this.name = 'SqlError';
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export async function loadPgGlue(): Promise<PgApi> {
  const factory = require('libpg-query/wasm/libpg-query.js') as () => Promise<EmscriptenModule>;
  const m = await factory();

  const i32 = (ptr: number): number => new Int32Array(m.HEAPU8.buffer, ptr, 1)[0];

  /** The NUL-terminated UTF-8 string at `ptr`. */
  function readString(ptr: number): string {
    if (!ptr) return '';
    const heap = m.HEAPU8;
    const end = heap.indexOf(0, ptr);
    return decoder.decode(heap.subarray(ptr, end < 0 ? heap.length : end));
  }

  /** `text` as a NUL-terminated UTF-8 string in the module's memory (the caller frees it). */
  function writeString(text: string): number {
    if (typeof text !== 'string') throw new TypeError(`Expected a string, got ${typeof text}`);
    // Emscripten writes a lone surrogate its own way: such text goes through its writer, byte for byte.
    if (!(text as unknown as { isWellFormed(): boolean }).isWellFormed()) {
      const size = m.lengthBytesUTF8(text) + 1;
      const ptr = m._malloc(size);
      m.stringToUTF8(text, ptr, size);
      return ptr;
    }
    // At most 3 UTF-8 bytes per UTF-16 code unit of well-formed text.
    const size = text.length * 3 + 1;
    const ptr = m._malloc(size);
    const heap = m.HEAPU8; // read after _malloc, which may have grown (and replaced) the memory
    const { written } = encoder.encodeInto(text, heap.subarray(ptr, ptr + size - 1));
    heap[ptr + written] = 0;
    return ptr;
  }

  function parseSync(query: string) {
    if (query === null || query === undefined) throw new Error('Query cannot be null or undefined');
    if (query === '') throw new Error('Query cannot be empty');
    const queryPtr = writeString(query);
    let resultPtr = 0;
    try {
      resultPtr = m._wasm_parse_query_raw(queryPtr);
      if (!resultPtr) throw new Error('Failed to parse query: memory allocation failed');
      // PgQueryParseResult { char *parse_tree; char *stderr_buffer; PgQueryError *error; }
      const tree = i32(resultPtr);
      const error = i32(resultPtr + 8);
      if (error) {
        // PgQueryError { char *message; char *funcname; char *filename; int lineno; int cursorpos; ... }
        const messagePtr = i32(error);
        const funcnamePtr = i32(error + 4);
        const filenamePtr = i32(error + 8);
        const lineno = i32(error + 12);
        const cursorpos = i32(error + 16);
        const message = messagePtr ? readString(messagePtr) : 'Unknown error';
        throw new SqlError(message, {
          message,
          cursorPosition: cursorpos > 0 ? cursorpos - 1 : 0,
          fileName: filenamePtr ? readString(filenamePtr) : undefined,
          functionName: funcnamePtr ? readString(funcnamePtr) : undefined,
          lineNumber: lineno > 0 ? lineno : undefined,
        });
      }
      if (!tree) throw new Error('No parse tree generated');
      return JSON.parse(readString(tree));
    } finally {
      m._free(queryPtr);
      if (resultPtr) m._wasm_free_parse_result(resultPtr);
    }
  }

  /** The scanner and the PL/pgSQL parser answer a JSON object, or an error message. */
  function jsonCall(call: (ptr: number) => number, query: string, isError: (s: string) => boolean) {
    const queryPtr = writeString(query);
    let resultPtr = 0;
    try {
      resultPtr = call(queryPtr);
      const text = readString(resultPtr);
      if (isError(text)) throw new Error(text);
      return JSON.parse(text);
    } finally {
      m._free(queryPtr);
      if (resultPtr) m._wasm_free_string(resultPtr);
    }
  }

  return {
    parseSync: parseSync as PgApi['parseSync'],
    scanSync: ((query: string) =>
      jsonCall((p) => m._wasm_scan(p), query, (s) => s.startsWith('syntax error') || s.startsWith('deparse error') || s.startsWith('ERROR'))) as PgApi['scanSync'],
    parsePlPgSQLSync: ((query: string) => jsonCall((p) => m._wasm_parse_plpgsql(p), query, (s) => !s.startsWith('{'))) as PgApi['parsePlPgSQLSync'],
  };
}
