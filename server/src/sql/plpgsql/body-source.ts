// Where a routine's body sits in its CREATE FUNCTION / CREATE PROCEDURE / DO statement, and how
// offsets in the body's *value* (what PL/pgSQL parses: quotes removed, '' unescaped) map back to
// the statement text. All offsets here are UTF-16 indexes into the owner statement's text.
import type { Token } from '../statement';

export type ContainerKind = 'function' | 'procedure' | 'do';

export interface RoutineHeader {
  kind: ContainerKind;
  /** Qualified name as written (`app.debit`), or 'DO' for an anonymous block. */
  name: string;
  language: string;
  securityDefiner: boolean;
  /** `SET search_path ...` among the routine's attributes. */
  setsSearchPath: boolean;
  /** Argument types for a REVOKE/GRANT signature: IN/INOUT/VARIADIC parameters only. */
  argTypes: string[];
}

export interface BodySource {
  /** The body as PL/pgSQL sees it. */
  value: string;
  /** Offset of the body's string token (including its opening delimiter) in the statement text. */
  tokenStart: number;
  tokenEnd: number;
  /** `toStatement[i]` = statement offset of value index i; `toStatement[value.length]` = closing delimiter. */
  toStatement: Int32Array | ((i: number) => number);
}

export function bodyOffset(body: BodySource, i: number): number {
  const map = body.toStatement;
  const k = Math.max(0, Math.min(i, body.value.length));
  return typeof map === 'function' ? map(k) : map[k];
}

function defElems(ast: any): any[] {
  const stmt = ast?.CreateFunctionStmt ?? ast?.DoStmt;
  return (stmt?.options ?? stmt?.args ?? []).map((o: any) => o?.DefElem).filter(Boolean);
}

/** Header facts from the statement AST; undefined for statements that carry no PL/pgSQL body. */
export function routineHeader(ast: any): RoutineHeader | undefined {
  const fn = ast?.CreateFunctionStmt;
  const doStmt = ast?.DoStmt;
  if (!fn && !doStmt) return undefined;
  const elems = defElems(ast);
  const language = String(elems.find((d) => d.defname === 'language')?.arg?.String?.sval ?? (doStmt ? 'plpgsql' : 'sql')).toLowerCase();
  if (doStmt) return { kind: 'do', name: 'DO', language, securityDefiner: false, setsSearchPath: false, argTypes: [] };
  const names: string[] = (fn.funcname ?? []).map((n: any) => n?.String?.sval).filter(Boolean);
  const argTypes: string[] = [];
  for (const p of fn.parameters ?? []) {
    const param = p?.FunctionParameter;
    if (!param || param.mode === 'FUNC_PARAM_OUT' || param.mode === 'FUNC_PARAM_TABLE') continue;
    argTypes.push(typeNameText(param.argType));
  }
  return {
    kind: fn.is_procedure ? 'procedure' : 'function',
    name: names.join('.'),
    language,
    securityDefiner: elems.some((d) => d.defname === 'security' && d.arg?.Boolean?.boolval === true),
    setsSearchPath: elems.some((d) => d.defname === 'set' && String(d.arg?.VariableSetStmt?.name ?? '').toLowerCase() === 'search_path'),
    argTypes,
  };
}

const CATALOG_NAMES: Record<string, string> = {
  int2: 'smallint', int4: 'integer', int8: 'bigint', float4: 'real', float8: 'double precision',
  bool: 'boolean', bpchar: 'character', varchar: 'character varying', timestamptz: 'timestamp with time zone',
  timestamp: 'timestamp without time zone', timetz: 'time with time zone', time: 'time without time zone',
};

/** `pg_catalog.int8` -> bigint; `app.money_t` -> app.money_t; arrays keep `[]`. */
function typeNameText(typeName: any): string {
  const names: string[] = (typeName?.names ?? []).map((n: any) => n?.String?.sval).filter(Boolean);
  let text = names[0] === 'pg_catalog' && names.length === 2 ? CATALOG_NAMES[names[1]] ?? names[1] : names.join('.');
  if (typeName?.arrayBounds?.length) text += '[]'.repeat(typeName.arrayBounds.length);
  return text || 'unknown';
}

/**
 * The body's string token: the string constant right after the `AS` keyword of a CREATE
 * FUNCTION/PROCEDURE (the AST gives the DefElem's location, which is the `AS`), or the only string
 * constant of a DO statement. `asOffset` is the statement offset of that DefElem.
 */
export function locateBody(tokens: readonly Token[], asOffset: number, kind: ContainerKind, statementText: string): BodySource | undefined {
  let tok: Token | undefined;
  for (const t of tokens) {
    if (t.start < asOffset) continue;
    if (t.kind === 'string') {
      tok = t;
      break;
    }
    // DO's `as` DefElem points at the string itself; CREATE's at the AS keyword: skip only that.
    if (kind !== 'do' && t.keyword !== 'as') return undefined;
  }
  if (!tok) return undefined;
  const raw = statementText.slice(tok.start, tok.end);
  const dollar = /^\$([A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*)?\$/.exec(raw);
  if (dollar) {
    const open = dollar[0].length;
    const value = raw.slice(open, raw.length - open);
    const base = tok.start + open;
    return { value, tokenStart: tok.start, tokenEnd: tok.end, toStatement: (i) => base + i };
  }
  if (raw.startsWith("'") && raw.endsWith("'") && raw.length >= 2) {
    // Standard string: '' stands for one quote. (E'' strings are left alone: no embedded statements.)
    const chars: string[] = [];
    const map: number[] = [];
    for (let i = 1; i < raw.length - 1; i++) {
      map.push(tok.start + i);
      chars.push(raw[i]);
      if (raw[i] === "'" && raw[i + 1] === "'") i++;
    }
    map.push(tok.end - 1);
    return { value: chars.join(''), tokenStart: tok.start, tokenEnd: tok.end, toStatement: Int32Array.from(map) };
  }
  return undefined;
}

/** The statement offset of the `as` DefElem (a UTF-8 byte location converted by the caller). */
export function asLocation(ast: any): number | undefined {
  const d = defElems(ast).find((e) => e.defname === 'as');
  return typeof d?.location === 'number' ? d.location : undefined;
}
