// An SQL statement found inside a PL/pgSQL body, seen as an ordinary statement by the rules: its
// `at()`, `tokens()` and `span()` are offsets in the file, mapped through the body's string.
import type { Node, RawStmt } from 'libpg-query';
import type { Span } from '../../engine/types';
import type { ParsedEntry, Statement } from '../document';
import { buildNodeIndex, type NodeIndex } from '../node-index';
import type { ContainerInfo, ParseErrorInfo, Segment, Token } from '../statement';
import { mapQueryOffset, type EmbeddedData } from './analyze';

function shift(span: Span, base: number): Span {
  return { start: span.start + base, end: span.end + base };
}

/** End of the line containing `offset` in `text` (before its line break). */
function lineEnd(text: string, offset: number): number {
  for (let i = offset; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return i;
  }
  return text.length;
}

export class EmbeddedStatement implements Statement {
  readonly ast?: Node;
  readonly raw?: RawStmt;
  readonly error?: ParseErrorInfo;
  readonly segment: Segment;
  private shifted?: Token[];

  constructor(
    readonly index: number,
    readonly entry: ParsedEntry,
    private readonly data: EmbeddedData | undefined,
    private readonly relSpan: Span,
    /** The owner statement's start in the file and its text. */
    private readonly base: number,
    private readonly ownerText: string,
    readonly container: ContainerInfo,
    error?: { message: string; offset: number },
  ) {
    this.ast = entry.parsed.ast;
    this.raw = entry.parsed.raw;
    if (error) this.error = { message: error.message, offset: error.offset + base };
    const span = shift(relSpan, base);
    this.segment = { start: span.start, end: span.end, text: ownerText.slice(relSpan.start, relSpan.end), kind: 'statement' };
  }

  at(byteLocation: number): number {
    if (!this.data) return this.segment.start;
    return this.base + mapQueryOffset(this.data, this.entry.toUtf16(Math.max(0, byteLocation)));
  }

  tokens(): readonly Token[] {
    if (!this.shifted) this.shifted = (this.data?.tokens ?? []).map((t) => ({ ...t, start: t.start + this.base, end: t.end + this.base }));
    return this.shifted;
  }

  nodes(): NodeIndex {
    if (!this.entry.nodes) this.entry.nodes = buildNodeIndex(this.ast);
    return this.entry.nodes;
  }

  span(): Span {
    return { start: this.segment.start, end: this.segment.end };
  }

  firstLine(): Span {
    const end = lineEnd(this.ownerText, this.relSpan.start);
    return { start: this.segment.start, end: this.base + Math.min(end, this.relSpan.end) };
  }
}
