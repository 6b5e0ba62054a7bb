// libpg-query TypeName -> TypeRef. The AST spells most built-in types canonically
// (`double precision` -> pg_catalog.float8) but keeps `serial`/`bigserial` and unqualified
// aliases such as `int` or `decimal` as written, so both spellings are folded here.
import type { Span } from '../engine/types';
import type { Token } from '../sql/statement';
import type { TypeRef } from './schema';
import { tokenAt } from './tokens-util';

const ALIASES: Record<string, string> = {
  int: 'int4',
  integer: 'int4',
  smallint: 'int2',
  bigint: 'int8',
  real: 'float4',
  'double precision': 'float8',
  decimal: 'numeric',
  dec: 'numeric',
  boolean: 'bool',
  'character varying': 'varchar',
  char: 'bpchar',
  character: 'bpchar',
  serial: 'serial4',
  bigserial: 'serial8',
  smallserial: 'serial2',
  'timestamp without time zone': 'timestamp',
  'timestamp with time zone': 'timestamptz',
  'time without time zone': 'time',
  'time with time zone': 'timetz',
};

/** Canonical lower-case name for a type as written or as the AST spells it. */
export function canonicalTypeName(name: string): string {
  const n = name.toLowerCase().replace(/\s+/g, ' ').trim();
  return ALIASES[n] ?? n;
}

/** The integer value of an A_Const typmod; libpg-query omits `ival` when it is 0. */
function constInt(node: any): number | undefined {
  const c = node?.A_Const;
  if (!c || !c.ival) return undefined;
  return typeof c.ival.ival === 'number' ? c.ival.ival : 0;
}

const INTERVAL_FIELDS = new Set(['year', 'month', 'day', 'hour', 'minute', 'second', 'to']);

function skipGroup(tokens: readonly Token[], i: number): number {
  let depth = 0;
  for (; i < tokens.length; i++) {
    const t = tokens[i].text;
    if (t === '(' || t === '[') depth++;
    else if ((t === ')' || t === ']') && --depth === 0) return i;
  }
  return tokens.length - 1;
}

/** Index of the last token of a type written from token `first`: `numeric(19, 4)[]`, `double precision`. */
export function typeEndToken(tokens: readonly Token[], first: number): number {
  const head = tokens[first];
  if (!head) return first;
  let last = first;
  let i = first + 1;
  while (i < tokens.length) {
    const t = tokens[i];
    const next = tokens[i + 1];
    if (t.text === '.' && next && (next.kind === 'ident' || next.kind === 'keyword')) {
      last = i + 1;
    } else if (t.text === '(' || t.text === '[') {
      last = skipGroup(tokens, i);
    } else if (t.keyword === 'precision' || t.keyword === 'varying' || t.keyword === 'array') {
      last = i;
    } else if ((t.keyword === 'with' || t.keyword === 'without') && next?.keyword === 'time' && tokens[i + 2]?.keyword === 'zone') {
      last = i + 2;
    } else if (head.keyword === 'interval' && INTERVAL_FIELDS.has(t.keyword)) {
      last = i;
    } else {
      break;
    }
    i = last + 1;
  }
  return last;
}

/** The TypeRef of a TypeName node (unwrapped) whose `location` maps to file offset `start`. */
export function typeRefOf(typeName: any, tokens: readonly Token[], start: number, text: string): { type: TypeRef; span: Span } {
  const names: string[] = (typeName?.names ?? []).map((n: any) => String(n?.String?.sval ?? ''));
  const last = names[names.length - 1] ?? '';
  const schema = names.length > 1 ? names[0] : undefined;
  const name = schema && schema !== 'pg_catalog' && schema !== 'public' ? `${schema}.${last}` : canonicalTypeName(last);
  const mods: number[] = [];
  for (const m of typeName?.typmods ?? []) {
    const v = constInt(m);
    if (v !== undefined) mods.push(v);
  }
  const first = tokenAt(tokens, start);
  let span: Span = { start, end: start };
  if (first < tokens.length) span = { start: tokens[first].start, end: tokens[typeEndToken(tokens, first)].end };
  const written = text.slice(span.start, span.end);
  const array = Array.isArray(typeName?.arrayBounds) && typeName.arrayBounds.length > 0;
  return { type: { name, mods, array, written }, span };
}
