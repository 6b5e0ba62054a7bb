// Drizzle column builders -> PostgreSQL types, and back: the builder text that declares a given
// SQL type, for quick fixes that retype a column.
import ts from 'typescript';
import type { TypeRef } from '../model/schema';
import { canonicalTypeName } from '../sql/type-name';
import { numberValue, propValue, stringValue } from './imports';

/** The SQL spelling of each built-in pg-core builder (before options). */
const BUILDER_SQL: Record<string, string> = {
  integer: 'integer',
  int: 'integer',
  smallint: 'smallint',
  bigint: 'bigint',
  serial: 'serial',
  smallserial: 'smallserial',
  bigserial: 'bigserial',
  real: 'real',
  doublePrecision: 'double precision',
  numeric: 'numeric',
  decimal: 'numeric',
  text: 'text',
  varchar: 'varchar',
  char: 'char',
  json: 'json',
  jsonb: 'jsonb',
  uuid: 'uuid',
  boolean: 'boolean',
  date: 'date',
  time: 'time',
  timestamp: 'timestamp',
  interval: 'interval',
  inet: 'inet',
  cidr: 'cidr',
  macaddr: 'macaddr',
  macaddr8: 'macaddr8',
  bytea: 'bytea',
  point: 'point',
  line: 'line',
  vector: 'vector',
  geometry: 'geometry',
};

export function isBuiltinBuilder(name: string): boolean {
  return name in BUILDER_SQL;
}

/** Reads `builder(name?, options?)`: the DB name given as first string, and the options object. */
export function builderArgs(call: ts.CallExpression): { dbName?: string; options?: ts.Expression } {
  const [a, b] = call.arguments;
  if (a && ts.isObjectLiteralExpression(a)) return { options: a };
  // The name may be a helper's parameter (`numeric(name, {...})`): only a literal is a known name.
  return { dbName: stringValue(a), options: b };
}

/** The PostgreSQL type a built-in builder declares, with its options applied. */
export function builderType(builder: string, options: ts.Expression | undefined, array: boolean): TypeRef {
  const opt = (k: string) => propValue(options, k);
  let written = BUILDER_SQL[builder] ?? builder;
  const mods: number[] = [];
  if (builder === 'numeric' || builder === 'decimal') {
    const p = numberValue(opt('precision'));
    const s = numberValue(opt('scale'));
    if (p !== undefined) mods.push(p, ...(s !== undefined ? [s] : []));
  } else if (builder === 'varchar' || builder === 'char') {
    const n = numberValue(opt('length'));
    if (n !== undefined) mods.push(n);
  } else if (builder === 'timestamp' || builder === 'time') {
    if (opt('withTimezone')?.kind === ts.SyntaxKind.TrueKeyword) written = `${builder} with time zone`;
    const p = numberValue(opt('precision'));
    if (p !== undefined) mods.push(p);
  }
  const name = canonicalTypeName(written);
  const shown = mods.length && !written.includes(' ') ? `${written}(${mods.join(',')})` : written;
  return { name, mods, array, written: shown + (array ? '[]' : '') };
}

/** A SQL type string (from `customType`'s dataType or a fix) -> TypeRef. */
export function sqlTypeRef(sqlType: string, array = false): TypeRef {
  const m = /^\s*([a-z_ ][a-z0-9_ ]*?)\s*(?:\(([\d\s,]+)\))?\s*((?:\[\])*)\s*$/i.exec(sqlType);
  if (!m) return { name: canonicalTypeName(sqlType), mods: [], array, written: sqlType };
  const mods = (m[2] ?? '').split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  return { name: canonicalTypeName(m[1]), mods, array: array || !!m[3], written: sqlType.trim() };
}

/** Existing options other than the ones a retype sets (e.g. `mode: 'date'` on a timestamp). */
function keptOptions(options: ts.Expression | undefined, drop: Set<string>, sf: ts.SourceFile): string[] {
  if (!options || !ts.isObjectLiteralExpression(options)) return [];
  return options.properties
    .filter((p) => !(p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && drop.has(p.name.text)))
    .map((p) => p.getText(sf));
}

function call(qualifier: string, builder: string, dbName: string | undefined, opts: string[]): string {
  const args = [dbName !== undefined ? `'${dbName.replace(/'/g, "\\'")}'` : undefined, opts.length ? `{ ${opts.join(', ')} }` : undefined].filter(Boolean);
  return `${qualifier}${builder}(${args.join(', ')})`;
}

/**
 * The builder call that declares `sqlType` for a column currently written as `original`, keeping
 * its qualifier (`p.`, `t.`), its DB name argument and unrelated options; undefined when Drizzle
 * has no clean equivalent.
 */
export function retypeBuilder(sqlType: string, qualifier: string, dbName: string | undefined, original: ts.CallExpression | undefined, sf: ts.SourceFile): string | undefined {
  const t = sqlTypeRef(sqlType);
  if (t.array) return undefined;
  const oldOptions = original ? builderArgs(original).options : undefined;
  const identity = /generated always as identity/i.test(sqlType);
  const base = identity ? 'int8' : t.name;
  const modeKept = (drop: string[]) => keptOptions(oldOptions, new Set(drop), sf);
  switch (base) {
    case 'numeric':
      return call(qualifier, 'numeric', dbName, [
        ...(t.mods.length ? [`precision: ${t.mods[0]}`] : []),
        ...(t.mods.length > 1 ? [`scale: ${t.mods[1]}`] : []),
      ]);
    case 'timestamptz':
    case 'timestamp': {
      const opts = modeKept(['withTimezone', 'precision']);
      if (t.mods.length) opts.push(`precision: ${t.mods[0]}`);
      if (base === 'timestamptz') opts.push('withTimezone: true');
      return call(qualifier, 'timestamp', dbName, opts);
    }
    case 'int8':
      return call(qualifier, 'bigint', dbName, [identity ? "mode: 'number'" : "mode: 'bigint'"]) + (identity ? '.generatedAlwaysAsIdentity()' : '');
    case 'serial8':
      return call(qualifier, 'bigserial', dbName, ["mode: 'bigint'"]);
    case 'int4':
      return call(qualifier, 'integer', dbName, []);
    case 'jsonb':
    case 'json':
    case 'text':
    case 'uuid':
    case 'date':
      return call(qualifier, base, dbName, []);
    default:
      return undefined;
  }
}
