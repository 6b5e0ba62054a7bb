import type { Node, RawStmt } from 'libpg-query';
import type { Span } from '../engine/types';
import type { NodeIndex } from './node-index';

/** What the splitter returns for each piece of a SQL file. */
export interface Segment {
  /** UTF-16 offsets into the file; `start` is the first character that is not blank or comment. */
  start: number;
  /** Exclusive end, before the terminating `;` (or at the end of the file). */
  end: number;
  /** `file.slice(start, end)`. */
  text: string;
  /**
   * `statement`: SQL for the parser. `meta`: a psql backslash command line (`\i x.sql`, `\set`).
   * `copy-data`: the rows after `COPY ... FROM STDIN;` up to `\.`.
   */
  kind: 'statement' | 'meta' | 'copy-data';
  /** Set when the segment runs to the end of the file inside an open quote, comment or body. */
  unterminated?: 'quote' | 'identifier' | 'dollar' | 'comment';
  /** Offset of the opening delimiter of the unterminated construct. */
  unterminatedAt?: number;
}

/** The index of the item whose segment holds `offset` (binary search over segments in file order); -1 outside every one. */
export function segmentIndexAt(list: readonly { segment: Segment }[], offset: number): number {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const seg = list[mid].segment;
    if (offset < seg.start) hi = mid - 1;
    else if (offset > seg.end) lo = mid + 1;
    else return mid;
  }
  return -1;
}

/** A scanner token of one statement, in UTF-16 offsets of the file. */
export interface Token {
  start: number;
  end: number;
  text: string;
  /** Lower-cased keyword text, or '' for identifiers, literals and punctuation. */
  keyword: string;
  kind: 'keyword' | 'ident' | 'string' | 'number' | 'param' | 'op' | 'punct' | 'other';
}

export interface ParseErrorInfo {
  message: string;
  /** UTF-16 offset in the file where PostgreSQL's parser stopped. */
  offset: number;
}

/**
 * One parsed statement. `ast` is libpg-query's node for the statement (e.g. `{ CreateStmt: {...} }`)
 * or undefined when it failed to parse.
 */
export interface SqlStatement {
  /** Index in the file's statement list. */
  index: number;
  segment: Segment;
  ast?: Node;
  raw?: RawStmt;
  error?: ParseErrorInfo;
  /** Converts a libpg-query `location` (UTF-8 bytes into the statement text) to a file offset. */
  at(byteLocation: number): number;
  /** The statement's scanner tokens (computed on first use, then kept). */
  tokens(): readonly Token[];
  /** Every AST node of the statement grouped by type (computed once per distinct text). */
  nodes(): NodeIndex;
  /** The span of the whole statement. */
  span(): Span;
  /** The span of the statement's first line (for findings about a whole statement). */
  firstLine(): Span;
  /** Set on SQL statements embedded in a PL/pgSQL body or DO block; undefined at top level. */
  container?: ContainerInfo;
}

/** Where an embedded statement lives: its routine and its place in the PL/pgSQL structure. */
export interface ContainerInfo {
  kind: 'function' | 'procedure' | 'do';
  /** Routine name as written (`app.debit`), `DO` for an anonymous block. */
  name: string;
  securityDefiner: boolean;
  language: string;
  /** Index of the CREATE FUNCTION / DO statement in the file's statement list. */
  ownerStatementIndex: number;
  /** Variables a `SELECT ... INTO` (or FOR loop) fills from this statement. */
  into?: string[];
  /** The statement is a SELECT with FOR UPDATE / FOR NO KEY UPDATE. */
  forUpdate: boolean;
  /** Enclosing loops, IF/CASE branches, exception-protected blocks and handlers, outermost first. */
  frames: ReadonlyArray<{ kind: 'loop' | 'if' | 'case' | 'protected' | 'handler'; node: string; lineno: number }>;
  /** PL/pgSQL statement node type and node (`PLpgSQL_stmt_execsql`, ...). */
  plpgsqlType: string;
  plpgsqlNode: unknown;
}
