// SQL written inside TypeScript: `sql\`...\`` templates and strings passed to `query`/`execute`.
// Each becomes a small SQL document whose offsets map back into the TypeScript file, so SQL rules
// run unchanged and their findings land on the template text. Interpolations become `$n`
// parameters, except table and column objects, which become their names so rules can read them.
import ts from 'typescript';
import type { Span, TextEdit } from '../engine/types';

interface Piece {
  /** Offset in the SQL text. */
  sql: number;
  /** Offset in the TypeScript text. */
  ts: number;
  length: number;
  /** Literal text maps character by character; an interpolation maps to its whole `${...}`. */
  kind: 'text' | 'interpolation';
  tsEnd: number;
}

export interface EmbeddedSql {
  /** The template or string literal node. */
  node: ts.Node;
  sql: string;
  pieces: Piece[];
  /** Interpolated expressions, in order. */
  values: ts.Expression[];
}

export type NameOf = (e: ts.Expression) => string | undefined;

export function embeddedFromTemplate(node: ts.TemplateLiteral | ts.StringLiteral, sf: ts.SourceFile, nameOf: NameOf): EmbeddedSql {
  const pieces: Piece[] = [];
  const values: ts.Expression[] = [];
  let sql = '';
  const text = (t: string, tsStart: number) => {
    pieces.push({ sql: sql.length, ts: tsStart, length: t.length, kind: 'text', tsEnd: tsStart + t.length });
    sql += t;
  };
  const start = node.getStart(sf);
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
    text(node.text, start + 1);
    return { node, sql, pieces, values };
  }
  text(node.head.text, start + 1);
  let param = 0;
  for (const span of node.templateSpans) {
    const exprStart = span.expression.getFullStart() - 2; // `${`
    const lit = span.literal;
    const closeEnd = lit.getStart(sf) + 1; // through `}`
    const name = nameOf(span.expression);
    const inserted = name ?? `$${++param}`;
    pieces.push({ sql: sql.length, ts: exprStart, length: inserted.length, kind: 'interpolation', tsEnd: closeEnd });
    sql += inserted;
    values.push(span.expression);
    text(lit.text, closeEnd);
  }
  return { node, sql, pieces, values };
}

function pieceAt(e: EmbeddedSql, offset: number, preferNext: boolean): Piece | undefined {
  let found: Piece | undefined;
  for (const p of e.pieces) {
    if (offset >= p.sql && offset < p.sql + p.length) return p;
    if (offset === p.sql + p.length) found = found ?? p;
    if (preferNext && offset === p.sql) return p;
  }
  return found ?? e.pieces.at(-1);
}

/** SQL offset -> TypeScript offset. */
export function toTs(e: EmbeddedSql, offset: number, side: 'start' | 'end'): number {
  const p = pieceAt(e, offset, side === 'start');
  if (!p) return e.node.getStart();
  if (p.kind === 'interpolation') return side === 'start' ? p.ts : p.tsEnd;
  return Math.min(p.ts + (offset - p.sql), p.tsEnd);
}

export function spanToTs(e: EmbeddedSql, span: Span): Span {
  const start = toTs(e, span.start, 'start');
  return { start, end: Math.max(start, toTs(e, span.end, 'end')) };
}

/** An edit of the SQL text as an edit of the TypeScript; undefined when it touches an interpolation or needs escaping. */
export function editToTs(e: EmbeddedSql, edit: TextEdit, template: boolean): TextEdit | undefined {
  const a = pieceAt(e, edit.start, true);
  const b = pieceAt(e, edit.end, false);
  if (!a || a !== b || a.kind !== 'text') return undefined;
  if (template ? /[`\\]|\$\{/.test(edit.newText) : /['"\\\n]/.test(edit.newText)) return undefined;
  // Escapes make the literal's text longer than its value: offsets would not line up.
  const raw = e.node.getSourceFile().text.slice(a.ts, a.tsEnd);
  if (raw.includes('\\')) return undefined;
  return { start: a.ts + (edit.start - a.sql), end: a.ts + (edit.end - a.sql), newText: edit.newText };
}

const STATEMENT_START = /^\s*(?:\(\s*)*(select|insert|update|delete|with|create|alter|drop|truncate|merge|set|begin|start|commit|rollback|lock|grant|revoke|do|call|copy|explain|values|table|refresh|reindex|vacuum|analyze|comment)\b/i;

/** Whether the SQL is a statement (not a fragment such as a check expression or a WHERE condition). */
export function looksLikeStatement(sql: string): boolean {
  return STATEMENT_START.test(sql);
}
