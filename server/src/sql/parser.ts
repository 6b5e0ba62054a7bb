// Adapter over libpg-query: one asynchronous WASM load, then synchronous parsing of single
// statements. Nothing else in the server imports libpg-query directly, so the parser can be
// swapped or instrumented in one place.
import type * as LibPgQuery from 'libpg-query';
import type { Node, RawStmt, ScanToken } from 'libpg-query';
import type { PgApi } from './pg-glue';

// Required on first initParser, not at import: libpg-query starts compiling its WebAssembly as soon
// as it is loaded (~60 ms of CPU), which a warm `--cache` run that never parses would pay for nothing.
let pg: PgApi;
let loading: Promise<void> | undefined;
let ready = false;
let direct = false;

/**
 * For the CLI (before initParser): the module's entry points through sql/pg-glue.ts instead of the
 * package's wrappers. The language server keeps the wrappers, which its explain features load anyway.
 */
export function useDirectParserGlue(): void {
  direct = true;
}

export function initParser(): Promise<void> {
  if (!loading) {
    try {
      if (direct) {
        loading = (require('./pg-glue') as typeof import('./pg-glue')).loadPgGlue().then((api) => {
          pg = api;
          ready = true;
        });
      } else {
        const lib = require('libpg-query') as typeof LibPgQuery;
        pg = lib;
        loading = lib.loadModule().then(() => {
          ready = true;
        });
      }
    } catch (err) {
      loading = Promise.reject(err);
    }
  }
  return loading;
}

export function isParserReady(): boolean {
  return ready;
}

export interface ParsedText {
  raw?: RawStmt;
  ast?: Node;
  /** Set when PostgreSQL rejects the text; `cursor` counts code points from the text's start. */
  error?: { message: string; cursor: number };
  /** More than one statement in the text (only possible when the splitter disagrees with PostgreSQL). */
  extra?: number;
}

function assertReady(): void {
  if (!ready) throw new Error('libpg-query is not loaded: await initParser() first');
}

export function parseText(text: string): ParsedText {
  assertReady();
  try {
    const result = pg.parseSync(text);
    const stmts = result.stmts ?? [];
    if (stmts.length === 0) return {};
    const raw = stmts[0] as RawStmt;
    return { raw, ast: raw.stmt as Node, extra: stmts.length - 1 };
  } catch (err) {
    const details = (err as { sqlDetails?: { message?: string; cursorPosition?: number } }).sqlDetails;
    const message = details?.message ?? (err instanceof Error ? err.message : String(err));
    return { error: { message, cursor: Math.max(0, details?.cursorPosition ?? 0) } };
  }
}

/** Scanner tokens of `text`, comments included; never throws (junk yields what could be scanned). */
export function scanText(text: string): ScanToken[] {
  assertReady();
  try {
    return pg.scanSync(text).tokens ?? [];
  } catch {
    return [];
  }
}

export function parsePlpgsqlText(text: string): { result?: unknown; error?: { message: string; cursor: number } } {
  assertReady();
  try {
    return { result: pg.parsePlPgSQLSync(text) };
  } catch (err) {
    const details = (err as { sqlDetails?: { message?: string; cursorPosition?: number } }).sqlDetails;
    const message = details?.message ?? (err instanceof Error ? err.message : String(err));
    return { error: { message, cursor: Math.max(0, details?.cursorPosition ?? 0) } };
  }
}
