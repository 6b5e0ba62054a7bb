// A SQL file as the rules see it: its statements, each parsed once per distinct text.
// The cache is what makes a keystroke cheap: in a 10,000-statement file, only the statement
// whose text changed is parsed again; the others are reused with their new offsets.
import type { Node, RawStmt } from 'libpg-query';
import type { Span } from '../engine/types';
import { buildNodeIndex, type NodeIndex } from './node-index';
import { LineIndex, codePointToUtf16, utf8ByteToUtf16 } from './offsets';
import { parseText, type ParsedText } from './parser';
import { fullSplit, textChange, updateSplit, type SplitState } from './incremental-split';
import type { ParseErrorInfo, Segment, SqlStatement, Token } from './statement';
import { scanTokens } from './tokens';
import { embeddedStatements } from './plpgsql';

/** What is kept per distinct statement text; all offsets in it are relative to the statement. */
export interface ParsedEntry {
  readonly text: string;
  readonly parsed: ParsedText;
  readonly toUtf16: (byte: number) => number;
  tokens?: Token[];
  /** `tokens` at the file offset of the last statement that asked: reused while the statement does not move. */
  shiftedTokens?: { base: number; tokens: Token[] };
  nodes?: NodeIndex;
  /** Declarations (CREATE/ALTER TABLE) at a file offset, owned by the engine like `findings`. */
  decls?: unknown;
  /** Findings of statement-scoped rules, relative to the statement start; owned by the engine. */
  findings?: unknown;
  /** Findings of file-scoped rules that opted into per-statement caching; owned by the engine. */
  fileFindings?: unknown;
  /** Which file rules the statement's node types call for, per rule set; owned by the engine. */
  ruleLists?: unknown;
  /** The PL/pgSQL body analysis (sql/plpgsql). */
  plpgsql?: unknown;
  /** Facts rules derived from the statement's text, by name (rules/lib/statement-memo.ts). */
  memos?: unknown;
}

// Every field present from the start, in one order: entries then share one hidden class, and the
// per-statement loops of a keystroke (10,000 statements, several fields each) read them through
// monomorphic property loads instead of megamorphic ones.
function newEntry(sliced: string): ParsedEntry {
  // A statement's text is a slice of its file's text, and V8 keeps a slice's whole parent alive: an
  // entry reused across edits kept the file as it was when the statement was first parsed, one more
  // version of the file per edited statement (a 10,000-statement file after 50 edits: ~18 MB). An
  // own copy (one statement's length) pins nothing; its tokens are sliced from it, not from the file.
  const text = ownCopy(sliced);
  return {
    text,
    parsed: parseText(text),
    toUtf16: utf8ByteToUtf16(text),
    tokens: undefined,
    shiftedTokens: undefined,
    nodes: undefined,
    decls: undefined,
    findings: undefined,
    fileFindings: undefined,
    ruleLists: undefined,
    plpgsql: undefined,
    memos: undefined,
  };
}

/** `text` as a string of its own: concatenating makes a new string that the slice then flattens into. */
function ownCopy(text: string): string {
  return (' ' + text).slice(1);
}

/** A StatementMemo with every field present (one hidden class, see newEntry). */
function newMemo(): StatementMemo {
  return { tokens: undefined, findings: undefined, fileFindings: undefined, wholeFindings: undefined, decls: undefined, diagnostics: undefined };
}

// Entries parsed ahead of a lint by `prewarmStatements`, taken (not copied) by the next cache that
// asks for their text, so the slow part of a huge file's first check runs in slices between requests.
const warm = new Map<string, ParsedEntry>();

/**
 * Parses, scans (at the statement's file offset `start`) and indexes the statements whose text `known` does not have yet, in slices of about
 * `sliceMs`, yielding to the event loop between slices. Resolves false
 * as soon as `stale()` says a newer edit made the work useless (the caller clears what is left).
 */
export async function prewarmStatements(statements: ReadonlyArray<{ text: string; start: number }>, known: (text: string) => boolean, stale: () => boolean, sliceMs = 20): Promise<boolean> {
  let sliceStart = performance.now();
  for (let i = 0; i < statements.length; i++) {
    const { text, start } = statements[i];
    if (!known(text) && !warm.has(text)) {
      const entry = newEntry(text);
      entry.shiftedTokens = { base: start, tokens: scanTokens(entry.text, start, entry.toUtf16) };
      entry.nodes = buildNodeIndex(entry.parsed.ast);
      warm.set(text, entry);
    }
    if (performance.now() - sliceStart < sliceMs) continue;
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (stale()) return false;
    sliceStart = performance.now();
  }
  return true;
}

/**
 * Hands parsed statements (of a first look at a big file's opening statements) to the next lint:
 * their parse, tokens and statement-rule findings are taken like prewarmed ones instead of redone.
 */
export function keepWarm(statements: ReadonlyArray<{ readonly entry: ParsedEntry }>): void {
  for (const { entry } of statements) warm.set(entry.text, entry);
}

/** Forgets prewarmed entries no lint took (after a lint, or when a check was cancelled). */
export function clearPrewarmed(): void {
  warm.clear();
}

interface Slot {
  entry: ParsedEntry;
  /** Statements of the last file parsed with the cache that have this text. */
  uses: number;
}

function takeWarm(text: string): ParsedEntry | undefined {
  const entry = warm.get(text);
  if (entry) warm.delete(text);
  return entry;
}

export class StatementCache {
  private slots = new Map<string, Slot>();
  private next?: Map<string, Slot>;
  /** The last file parsed with this cache: the next parse re-splits and re-parses only around the edit. */
  last?: { file: SqlFile; split: SplitState };

  /** One statement of a full pass (ended by `sweep`). */
  get(text: string): ParsedEntry {
    const next = (this.next ??= new Map());
    const slot = next.get(text);
    if (slot) {
      slot.uses++;
      return slot.entry;
    }
    const entry = this.slots.get(text)?.entry ?? takeWarm(text) ?? newEntry(text);
    // Keyed by the entry's own copy of the text: a key sliced from this version of the file would keep it (newEntry).
    next.set(entry.text, { entry, uses: 1 });
    return entry;
  }

  /** Drops the entries of statements that no longer exist; call after each full pass. */
  sweep(): void {
    this.slots = this.next ?? new Map();
    this.next = undefined;
  }

  /** A statement added by an edit (between full passes). */
  acquire(text: string): ParsedEntry {
    const slot = this.slots.get(text);
    if (slot) {
      slot.uses++;
      return slot.entry;
    }
    const entry = takeWarm(text) ?? newEntry(text);
    this.slots.set(entry.text, { entry, uses: 1 });
    return entry;
  }

  /** A statement removed by an edit; its entry goes when no statement has its text any more. */
  release(text: string): void {
    const slot = this.slots.get(text);
    if (slot && --slot.uses <= 0) this.slots.delete(text);
  }

  /** Forgets cached findings (after a configuration change), keeping parse results. */
  clearFindings(): void {
    for (const { entry: e } of this.slots.values()) e.findings = e.fileFindings = undefined;
    for (const { entry: e } of this.next?.values() ?? []) e.findings = e.fileFindings = undefined;
  }

  get size(): number {
    return this.slots.size;
  }
}

class ParsedStatement implements Statement {
  readonly ast?: Node;
  readonly raw?: RawStmt;
  readonly error?: ParseErrorInfo;
  private shifted?: Token[];

  constructor(
    readonly index: number,
    readonly segment: Segment,
    readonly entry: ParsedEntry,
    readonly memo: StatementMemo = newMemo(),
  ) {
    const { parsed } = entry;
    this.ast = parsed.ast;
    this.raw = parsed.raw;
    if (parsed.error) {
      const rel = codePointToUtf16(segment.text, parsed.error.cursor);
      this.error = { message: parsed.error.message, offset: segment.start + Math.min(rel, segment.text.length) };
    }
  }

  at(byteLocation: number): number {
    return this.segment.start + this.entry.toUtf16(Math.max(0, byteLocation));
  }

  tokens(): readonly Token[] {
    if (this.shifted) return this.shifted;
    const entry = this.entry;
    const base = this.segment.start;
    // After an edit elsewhere in the file most statements keep their offset: reuse their tokens
    // instead of copying every token of the file on every keystroke. Kept per occurrence, so
    // statements with the same text (BEGIN, a repeated ALTER) do not take turns re-copying them.
    const memo = this.memo;
    if (memo.tokens?.base === base) return (this.shifted = memo.tokens.tokens);
    let tokens: Token[];
    if (base === 0) tokens = entry.tokens ??= scanTokens(entry.text, 0, entry.toUtf16);
    else {
      tokens = tokensAt(entry, base);
      // The entry keeps the newest copy too (the next move copies from it), not one more array.
      entry.shiftedTokens = memo.tokens = { base, tokens };
      return (this.shifted = tokens);
    }
    memo.tokens = { base, tokens };
    return (this.shifted = tokens);
  }

  nodes(): NodeIndex {
    if (!this.entry.nodes) this.entry.nodes = buildNodeIndex(this.ast);
    return this.entry.nodes;
  }

  span(): Span {
    return { start: this.segment.start, end: this.segment.end };
  }

  firstLine(): Span {
    // The statement's own text up to its first line break: no line index of the file, which a
    // statement kept across edits would otherwise hold on to (and with it that version's text).
    const { start, end, text } = this.segment;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || c === 13) return { start, end: start + i };
    }
    return { start, end };
  }
}

/**
 * The entry's tokens at file offset `base`. A statement seen for the first time is scanned straight
 * at its offset: building the statement-relative array too would double the token objects (and the
 * garbage collection) of a big file's first check; PL/pgSQL analysis builds that one when it needs it.
 */
function tokensAt(entry: ParsedEntry, base: number): Token[] {
  const from = entry.shiftedTokens ?? (entry.tokens ? { base: 0, tokens: entry.tokens } : undefined);
  if (!from) return scanTokens(entry.text, base, entry.toUtf16);
  const delta = base - from.base;
  if (delta === 0) return from.tokens;
  return from.tokens.map((t) => ({ ...t, start: t.start + delta, end: t.end + delta }));
}

/** A statement as rules see it: top-level (ParsedStatement) or embedded in a PL/pgSQL body. */
export interface Statement extends SqlStatement {
  readonly entry: ParsedEntry;
  /** Kept for this occurrence of the statement across edits; absent on embedded statements. */
  readonly memo?: StatementMemo;
}

/**
 * What one occurrence of a statement keeps from lint to lint, handed on to its moved copy after an
 * edit above it. Offsets in it are file offsets at `base`; the engine owns all but `tokens`.
 */
export interface StatementMemo {
  tokens?: { base: number; tokens: Token[] };
  findings?: unknown;
  fileFindings?: unknown;
  /** Its file-rule findings together with the reused whole-file ones (engine/whole-file-statements.ts). */
  wholeFindings?: unknown;
  decls?: unknown;
  /** The statement's LSP diagnostics, owned by the language server (lsp/statement-diagnostics.ts). */
  diagnostics?: unknown;
}

export interface SqlFile {
  /** A path or URI string; used in messages and to find the file's migration folder. */
  readonly path: string;
  readonly text: string;
  readonly lines: LineIndex;
  readonly segments: readonly Segment[];
  /** Ascending indices of segments that depended on the text up to the end of the file (see SplitState). */
  readonly eofDependent?: readonly number[];
  readonly statements: readonly Statement[];
  /** SQL statements inside PL/pgSQL bodies and DO blocks, after their owner's position; see `container`. */
  readonly embedded: readonly Statement[];
  /** This version's identity: what `edit.from` of the next version names (a token, so the next one does not keep this text alive). */
  readonly id?: object;
  /** Set when this version was re-split from the one before it: which statements the edit replaced. */
  readonly edit?: StatementEdit;
}

/**
 * Statements `[0, head)` are the previous version's objects; the previous `[head, head + removed.length)`
 * were replaced by `[head, head + added)`; every later statement is the previous one moved by `delta`
 * characters and `added - removed.length` indices (the same object when both are 0). Lets work done per
 * statement on the previous version be kept, and only the replaced statements looked at again.
 */
export interface StatementEdit {
  /** The `id` of the version this one was made from. */
  readonly from: object;
  readonly head: number;
  readonly removed: readonly Statement[];
  readonly added: number;
  readonly delta: number;
  /** The first offset at which the two versions' texts differ (the text before it is the same in both). */
  readonly changedFrom: number;
}

export function parseSqlFile(path: string, text: string, cache: StatementCache = new StatementCache()): SqlFile {
  const last = cache.last;
  const file = (last && last.file.path === path && reparse(text, cache, last.file, last.split)) || parseWhole(path, text, cache);
  return file;
}

function parseWhole(path: string, text: string, cache: StatementCache): SqlFile {
  const lines = new LineIndex(text);
  const split = fullSplit(text);
  const statements: Statement[] = [];
  for (const segment of split.segments) {
    if (segment.kind !== 'statement') continue;
    statements.push(new ParsedStatement(statements.length, segment, cache.get(segment.text)));
  }
  cache.sweep();
  const file = sqlFile(path, text, lines, split, statements);
  cache.last = { file, split };
  return file;
}

/**
 * The file after an edit, from the file before it: statements before the edit are the same
 * objects, those after it keep their parse (moved copies when their offset or index changed), and
 * only the statements the edit touched are split and looked up again. Undefined when only a full
 * parse is exact (see updateSplit).
 */
function reparse(text: string, cache: StatementCache, before: SqlFile, split: SplitState): SqlFile | undefined {
  const change = textChange(before.text, text);
  const update = updateSplit(split, text, change);
  if (!update) return undefined;
  const lines = LineIndex.edited(before.lines, text, change);
  const oldSegments = split.segments;
  const old = before.statements;
  const head = statementsBefore(old, update.keptBefore < oldSegments.length ? oldSegments[update.keptBefore].start : Infinity);
  const tail = statementsBefore(old, update.resumeOld < oldSegments.length ? oldSegments[update.resumeOld].start : Infinity);
  const statements: Statement[] = old.slice(0, head);
  const segments = update.state.segments;
  for (let i = update.keptBefore; i < update.resumeNew; i++) {
    const segment = segments[i];
    if (segment.kind === 'statement') statements.push(new ParsedStatement(statements.length, segment, cache.acquire(segment.text)));
  }
  // Statements after the edit that neither moved nor changed index (a replacement of the same
  // length) are kept as they are, with their tokens and body views; their first line, all they
  // ask of the line index, depends only on the unchanged text after their start.
  const keep = statements.length === tail && update.delta === 0;
  let at = update.resumeNew;
  for (let k = tail; k < old.length; k++) {
    const stmt = old[k];
    if (keep) {
      statements.push(stmt);
      continue;
    }
    const start = stmt.segment.start + update.delta;
    while (segments[at].start !== start) at++;
    statements.push(new ParsedStatement(statements.length, segments[at], stmt.entry, stmt.memo));
  }
  for (let k = head; k < tail; k++) cache.release(old[k].segment.text);
  const edit: StatementEdit | undefined = before.id && { from: before.id, head, removed: old.slice(head, tail), added: tail - head + statements.length - old.length, delta: update.delta, changedFrom: change.start };
  const file = sqlFile(before.path, text, lines, update.state, statements, edit);
  cache.last = { file, split: update.state };
  return file;
}

/** How many of `statements` start before `offset`. */
function statementsBefore(statements: readonly Statement[], offset: number): number {
  let lo = 0;
  let hi = statements.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (statements[mid].segment.start < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function sqlFile(path: string, text: string, lines: LineIndex, split: SplitState, statements: Statement[], edit?: StatementEdit): SqlFile {
  // Lazy: workspace indexing parses every file but only linted files need their bodies analysed.
  let embedded: Statement[] | undefined;
  return {
    path,
    text,
    lines,
    segments: split.segments,
    eofDependent: split.eofDependent,
    statements,
    id: {},
    edit,
    get embedded() {
      return (embedded ??= statements.flatMap((s) => embeddedStatements(s)));
    },
  };
}

/** The top-level node type of a statement (`CreateStmt`, `UpdateStmt`, ...), or undefined. */
export function statementType(stmt: SqlStatement): string | undefined {
  if (!stmt.ast) return undefined;
  for (const k in stmt.ast) return k;
  return undefined;
}
