// libpg-query TypeName -> TypeRef, and the exact source span of a type as written.
// The AST only knows where a type starts; `double precision` or `timestamp(3) without time zone`
// end several tokens later, so the end comes from the scanner tokens.
import type { Span } from '../engine/types';
import type { TypeRef } from '../model/schema';
import type { SqlStatement, Token } from './statement';
import { tokenIndexAt } from './tokens';

const ALIASES: Record<string, string> = {
  int: 'int4',
  integer: 'int4',
  smallint: 'int2',
  bigint: 'int8',
  real: 'float4',
  float: 'float8',
  'double precision': 'float8',
  decimal: 'numeric',
  dec: 'numeric',
  boolean: 'bool',
  varchar: 'varchar',
  'character varying': 'varchar',
  char: 'bpchar',
  character: 'bpchar',
  serial: 'serial4',
  bigserial: 'serial8',
  smallserial: 'serial2',
  serial4: 'serial4',
  serial8: 'serial8',
  serial2: 'serial2',
  'timestamp without time zone': 'timestamp',
  'timestamp with time zone': 'timestamptz',
  'time without time zone': 'time',
  'time with time zone': 'timetz',
};

/** Canonical lower-case PostgreSQL type name for a name as written or as the AST spells it. */
export function canonicalTypeName(name: string): string {
  const n = name.toLowerCase().replace(/\s+/g, ' ').trim();
  return ALIASES[n] ?? n;
}

function constValue(node: any): number | undefined {
  const c = node?.A_Const;
  if (!c) return undefined;
  if (c.ival) return typeof c.ival.ival === 'number' ? c.ival.ival : 0;
  return undefined;
}

const CONTINUATION = new Set(['precision', 'varying', 'array']);
const INTERVAL_FIELDS = new Set(['year', 'month', 'day', 'hour', 'minute', 'second', 'to']);

function skipBalanced(tokens: readonly Token[], i: number, open: string, close: string): number {
  let depth = 0;
  for (; i < tokens.length; i++) {
    if (tokens[i].text === open) depth++;
    else if (tokens[i].text === close && --depth === 0) return i + 1;
  }
  return i;
}

/** The span of a type written at `start` (a file offset): `double precision`, `numeric(19, 4)[]`. */
export function typeSpanAt(tokens: readonly Token[], start: number): Span {
  let i = tokenIndexAt(tokens, start);
  if (i >= tokens.length) return { start, end: start };
  const first = tokens[i];
  const isInterval = first.keyword === 'interval';
  let end = first.end;
  i++;
  while (i < tokens.length) {
    const t = tokens[i];
    const next = tokens[i + 1];
    if (t.text === '.' && next && (next.kind === 'ident' || next.kind === 'keyword')) {
      end = next.end;
      i += 2;
    } else if (t.text === '(') {
      i = skipBalanced(tokens, i, '(', ')');
      end = tokens[i - 1]?.end ?? end;
    } else if (t.text === '[') {
      i = skipBalanced(tokens, i, '[', ']');
      end = tokens[i - 1]?.end ?? end;
    } else if (CONTINUATION.has(t.keyword) || (first.keyword === 'character' && t.keyword === 'varying')) {
      end = t.end;
      i++;
    } else if ((t.keyword === 'with' || t.keyword === 'without') && next?.keyword === 'time' && tokens[i + 2]?.keyword === 'zone') {
      end = tokens[i + 2].end;
      i += 3;
    } else if (isInterval && INTERVAL_FIELDS.has(t.keyword)) {
      end = t.end;
      i++;
    } else {
      break;
    }
  }
  return { start: first.start, end };
}

/** A TypeRef for a TypeName node (unwrapped) whose `location` maps to file offset `start`. */
export function typeRefAt(typeName: any, tokens: readonly Token[], start: number, text: string): { type: TypeRef; span: Span } {
  const names: string[] = (typeName?.names ?? []).map((n: any) => String(n?.String?.sval ?? ''));
  const last = names[names.length - 1] ?? '';
  const schema = names.length > 1 ? names[0] : undefined;
  // pg_catalog and public spell the built-in types (`public.money` is still money).
  const name = schema && schema !== 'pg_catalog' && schema !== 'public' ? `${schema}.${last}`.toLowerCase() : canonicalTypeName(last);
  const mods: number[] = [];
  for (const m of typeName?.typmods ?? []) {
    const v = constValue(m);
    if (v !== undefined) mods.push(v);
  }
  const span = typeSpanAt(tokens, start);
  // A copy, not a slice: schema columns and cached findings keep it across edits, and a slice keeps the whole file text alive.
  const written = (' ' + text.slice(span.start, span.end)).slice(1);
  return { type: { name, mods, array: Array.isArray(typeName?.arrayBounds) && typeName.arrayBounds.length > 0, written }, span };
}

/** A TypeRef for a libpg-query TypeName node (unwrapped), with `written` taken from the source. */
export function typeRefOf(typeName: any, stmt: SqlStatement, text: string): { type: TypeRef; span: Span } {
  return typeRefAt(typeName, stmt.tokens(), stmt.at(typeName?.location ?? 0), text);
}

export const FLOAT_TYPES = new Set(['float4', 'float8']);
export const INT32_OR_SMALLER = new Set(['int2', 'int4', 'serial2', 'serial4']);
export const SERIAL_TYPES = new Set(['serial2', 'serial4', 'serial8']);
