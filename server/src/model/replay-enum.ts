// Enum types: CREATE TYPE ... AS ENUM, ALTER TYPE ... ADD VALUE / RENAME VALUE / RENAME TO, DROP TYPE,
// and the CREATE TYPE that drizzle-kit before 0.2x wrapped in `DO $$ BEGIN ... EXCEPTION WHEN
// duplicate_object THEN null; END $$;`. Each label keeps the span of its literal, so rules can say
// which file and statement declared it.
import type { Span } from '../engine/types';
import { parseSqlFile } from '../sql/document';
import type { Token } from '../sql/statement';
import type { EnumModel, EnumValueModel, SchemaModel, SourceRef, TypeRef } from './schema';
import { nameListKey, tableKey } from './schema-builder';
import type { ReplayContext } from './replay-context';

type Handler = (ctx: ReplayContext, node: any) => void;

/** The key an enum is recorded under in a file's `touched` set: files sharing it depend on each other like files sharing a table. */
export function enumTouchKey(key: string): string {
  return `type:${key}`;
}

/**
 * Built-in types written as one name (those written with keywords, `bigint` or `timestamp with time
 * zone`, come as pg_catalog names): a column of one of these uses no enum.
 */
const ONE_NAME_BUILTINS = new Set([
  'text', 'uuid', 'json', 'jsonb', 'date', 'bytea', 'money', 'inet', 'cidr', 'macaddr', 'macaddr8', 'xml', 'tsvector', 'tsquery',
  'citext', 'oid', 'regclass', 'point', 'line', 'box', 'circle', 'polygon', 'path', 'lseg', 'int2', 'int4', 'int8', 'float4', 'float8',
  'numeric', 'bool', 'varchar', 'bpchar', 'timestamp', 'timestamptz', 'time', 'timetz', 'interval', 'serial2', 'serial4', 'serial8',
  'bit', 'varbit', 'int4range', 'int8range', 'numrange', 'tsrange', 'tstzrange', 'daterange', 'hstore', 'ltree', 'name', 'char',
]);

/**
 * The touch key of the enum a column's type may be (`type:payment_status`), or undefined for a
 * built-in type. A column of an enum makes its file depend on the enum's: the enum checks of a
 * pgEnum list the columns that use it, wherever they are declared.
 */
export function columnTypeTouchKey(type: TypeRef): string | undefined {
  return ONE_NAME_BUILTINS.has(type.name) ? undefined : enumTouchKey(type.name);
}

function labels(list: any[] | undefined): string[] {
  return (list ?? []).map((v: any) => String(v?.String?.sval ?? ''));
}

const quoted = (label: string) => `'${label.replace(/'/g, "''")}'`;

/** String-literal tokens of the statement, in order. */
function literals(tokens: readonly Token[]): Token[] {
  return tokens.filter((t) => t.kind === 'string');
}

function splitKey(key: string): { name: string; schema?: string } {
  const dot = key.lastIndexOf('.');
  return dot >= 0 ? { name: key.slice(dot + 1), schema: key.slice(0, dot) } : { name: key };
}

function createEnum(ctx: ReplayContext, key: string, vals: string[], spans: Array<Span | undefined>, whole: Span): void {
  const created = ctx.ref(whole);
  const values: EnumValueModel[] = vals.map((label, i) => ({ label, source: spans[i] ? ctx.ref(spans[i]!) : created }));
  ctx.touch(enumTouchKey(key));
  ctx.schema.setEnum(key, { ...splitKey(key), values, created, front: 'sql' });
}

export function replayCreateEnum(ctx: ReplayContext, node: any): void {
  const key = nameListKey(node.typeName);
  if (!key) return;
  const vals = labels(node.vals);
  const strings = literals(ctx.tokens);
  // The labels are the statement's last string literals (nothing else in CREATE TYPE is a string).
  const offset = strings.length - vals.length;
  createEnum(ctx, key, vals, vals.map((v, i) => {
    const t = strings[offset + i];
    return t?.text === quoted(v) ? { start: t.start, end: t.end } : undefined;
  }), ctx.stmt.span());
}

/** The enum under `key`, created as an "only altered here" placeholder when the workspace never created it. */
function ensureEnum(ctx: ReplayContext, key: string): EnumModel {
  const e = ctx.schema.mutableEnum(key);
  if (e) return e;
  const placeholder: EnumModel = { ...splitKey(key), values: [], front: 'sql' };
  ctx.schema.setEnum(key, placeholder);
  return placeholder;
}

export function replayAlterEnum(ctx: ReplayContext, node: any): void {
  const key = nameListKey(node.typeName);
  if (!key || node.newVal === undefined) return;
  ctx.touch(enumTouchKey(key));
  const e = ensureEnum(ctx, key);
  const newVal = String(node.newVal);
  const literal = literals(ctx.tokens).find((t) => t.text === quoted(newVal));
  const source: SourceRef = literal ? ctx.ref({ start: literal.start, end: literal.end }) : ctx.statementRef();
  if (node.oldVal !== undefined) {
    const v = e.values.find((x) => x.label === String(node.oldVal));
    if (v) Object.assign(v, { label: newVal, source });
    return;
  }
  // IF NOT EXISTS skips an existing label; without it PostgreSQL rejects the statement. Either way the enum keeps it.
  if (e.values.some((x) => x.label === newVal)) return;
  const value = { label: newVal, source };
  const at = node.newValNeighbor !== undefined ? e.values.findIndex((x) => x.label === String(node.newValNeighbor)) : -1;
  if (at < 0) e.values.push(value);
  else e.values.splice(node.newValIsAfter ? at + 1 : at, 0, value);
}

/** ALTER TYPE ... RENAME TO: columns follow the type (PostgreSQL stores its OID), so their type names change too. */
function renameEnum(ctx: ReplayContext, node: any): void {
  const key = nameListKey(node.object?.List?.items);
  const e = ctx.schema.enums.get(key);
  if (!e) return;
  const newKey = tableKey(String(node.newname ?? ''), e.schema);
  ctx.touch(enumTouchKey(key));
  ctx.touch(enumTouchKey(newKey));
  ctx.schema.enums.delete(key);
  ctx.schema.setEnum(newKey, { ...e, ...splitKey(newKey), values: e.values.map((v) => ({ ...v })) });
  const old = key.toLowerCase();
  for (const [tableKeyName, t] of [...ctx.schema.tables]) {
    if (![...t.columns.values()].some((c) => c.type.name === old)) continue;
    const table = ctx.schema.mutable(tableKeyName)!;
    for (const c of table.columns.values()) if (c.type.name === old) c.type.name = newKey.toLowerCase();
  }
}

function dropEnums(ctx: ReplayContext, node: any): void {
  for (const obj of node.objects ?? []) {
    const key = nameListKey(obj?.TypeName?.names);
    if (!key) continue;
    ctx.touch(enumTouchKey(key));
    ctx.schema.enums.delete(key);
  }
}

/** RenameStmt / DropStmt handler that takes types itself and leaves everything else to `handler`. */
export function orEnum(handler: Handler): Handler {
  return (ctx, node) => {
    if (node?.renameType === 'OBJECT_TYPE') return renameEnum(ctx, node);
    if (node?.removeType === 'OBJECT_TYPE') return dropEnums(ctx, node);
    handler(ctx, node);
  };
}

const WRAPPED_CREATE = /create\s+type\s+[^;]*?\s+as\s+enum\s*\([^;]*?\)\s*;/i;

/** `DO $$ BEGIN CREATE TYPE ... AS ENUM (...); EXCEPTION WHEN duplicate_object THEN null; END $$;` */
export function replayDoEnum(ctx: ReplayContext): void {
  const span = ctx.stmt.span();
  const text = ctx.slice(span);
  if (!/duplicate_object/i.test(text)) return;
  const m = WRAPPED_CREATE.exec(text);
  if (!m) return;
  const base = span.start + m.index;
  const inner = parseSqlFile(`${ctx.file}#do`, m[0]).statements[0];
  const node = (inner?.ast as any)?.CreateEnumStmt;
  if (!node || inner.error) return;
  const key = nameListKey(node.typeName);
  if (!key) return;
  // Created only if missing: the EXCEPTION clause swallows duplicate_object.
  if (ctx.schema.enums.has(key) && ctx.schema.enums.get(key)!.created) return;
  const vals = labels(node.vals);
  const strings = literals(inner.tokens());
  const offset = strings.length - vals.length;
  const spans = vals.map((v, i) => {
    const t = strings[offset + i];
    return t?.text === quoted(v) ? { start: base + t.start, end: base + t.end } : undefined;
  });
  createEnum(ctx, key, vals, spans, { start: base, end: base + m[0].length });
}

export const ENUM_HANDLERS: Record<string, Handler> = {
  CreateEnumStmt: replayCreateEnum,
  AlterEnumStmt: replayAlterEnum,
  DoStmt: replayDoEnum,
};

/** Columns (`table.column`) whose type is the enum `e` (arrays of it too). */
export function enumColumns(schema: SchemaModel, e: EnumModel): string[] {
  // TypeRef names are lower-cased and drop `public.`, as enum keys do.
  const name = tableKey(e.name, e.schema).toLowerCase();
  const out: string[] = [];
  for (const t of schema.tables.values()) {
    for (const c of t.columns.values()) if (c.type.name.toLowerCase() === name) out.push(`${t.name}.${c.name}`);
  }
  return out;
}
