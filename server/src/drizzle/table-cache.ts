// A pgTable call's own extraction (its columns, and the `.references()` it leaves to resolve), kept
// across keystrokes: after an incremental re-parse a table the parser reused is the same node
// object with its positions moved, so while its text and the meaning of every name it mentions
// (imports, enums, customTypes, pgSchemas, table creators, the casing) are unchanged, its columns
// are the cached ones moved by the offset change. Cross-table work (references, extra config)
// is redone by the caller on every analysis.
import type ts from 'typescript';
import type { ChainLink } from './columns';
import type { DrizzleColumn, DrizzleTable } from './schema-types';
import type { Scope } from './scope';
import type { Span } from '../engine/types';

/** The syntax tree a cached column's lazy edits (retype) read: updated when the entry is reused. */
export interface SourceRef {
  sf: ts.SourceFile;
}

export interface TableParts {
  /** Without foreign keys and extra config: those depend on the other tables. */
  table: DrizzleTable;
  refs: Array<{ column: string; link: ChainLink }>;
}

/** A table handed out, with the syntax tree its lazy edits read (the cached entry's, kept current). */
export interface TablePartsCopy extends TableParts {
  src: SourceRef;
}

interface Entry {
  pos: number;
  text: string;
  ids: readonly string[];
  deps: string;
  /** The fingerprint of the scope `deps` was last found under. */
  scope: string;
  parts: TableParts;
  src: SourceRef;
}

const entries = new WeakMap<ts.Node, Entry>();
/** A table handed out -> the cached parts it was copied from and by how much it moved since they were made. */
const origins = new WeakMap<DrizzleTable, { parts: TableParts; delta: number }>();

/** The cached extraction a table was copied from: the same object while the table's text and scope are unchanged. */
export function tableOrigin(table: DrizzleTable): { parts: TableParts; delta: number } | undefined {
  return origins.get(table);
}

/** How often a table's extraction was reused or made: for tests and benches. */
export const tableCacheStats = { reused: 0, made: 0 };

const IDENTIFIER = /[A-Za-z_$][\w$]*/g;

/** The distinct names a text mentions (also inside strings: looking those up costs little). */
export function identifiersOf(text: string): string[] {
  return [...new Set(text.match(IDENTIFIER))];
}

/**
 * What the names a table's text mentions mean in the file's scope, as a string; undefined when the
 * table uses a helper function (its chain lies elsewhere in the file, so its nodes and spans would
 * not move with the table).
 */
export function scopeDeps(ids: readonly string[], scope: Scope): string | undefined {
  const parts = [scope.casing ?? ''];
  for (const id of ids) {
    if (scope.helpers.has(id)) return undefined;
    const named = scope.imports.named.get(id);
    if (named) parts.push(`n:${id}=${named.name}@${named.module}`);
    const ns = scope.imports.namespaces.get(id);
    if (ns !== undefined) parts.push(`ns:${id}=${ns}`);
    const custom = scope.customTypes.get(id);
    if (custom) parts.push(`c:${id}=${custom.dataType ?? ''},${custom.jsNumber}`);
    const en = scope.enums.get(id);
    if (en !== undefined) parts.push(`e:${id}=${en}`);
    // `e.status(...)` through `import * as e`: the enums are known by dotted names.
    const localNs = scope.imports.localNamespaces.get(id);
    if (localNs) for (const m of localNs.members) parts.push(`e:${id}.${m}=${scope.enums.get(`${id}.${m}`) ?? ''}`);
    const schema = scope.schemas.get(id);
    if (schema !== undefined) parts.push(`s:${id}=${schema}`);
    const creator = scope.creators.get(id);
    if (creator) parts.push(`t:${id}=${creator('\u0000')}`);
  }
  return parts.join('\u0001');
}

/**
 * Everything scopeDeps reads, for every name at once: under scopes of equal fingerprints, the deps of
 * any text are equal, so a keystroke that changes no declaration (most) lists no table's deps again.
 */
function fingerprintOf(scope: Scope): string {
  let key = fingerprints.get(scope);
  if (key === undefined) {
    const entries = (m: ReadonlyMap<string, unknown>, value: (v: never) => string) => [...m].map(([k, v]) => `${k}=${value(v as never)}`).join('\u0002');
    key = [
      scope.casing ?? '',
      [...scope.helpers.keys()].join('\u0002'),
      entries(scope.imports.named, (v: { name: string; module: string }) => `${v.name}@${v.module}`),
      entries(scope.imports.namespaces, (v: string) => v),
      entries(scope.customTypes, (v: { dataType?: string; jsNumber: boolean }) => `${v.dataType ?? ''},${v.jsNumber}`),
      entries(scope.enums, (v: string) => v),
      entries(scope.imports.localNamespaces, (v: { members: string[] }) => v.members.join(',')),
      entries(scope.schemas, (v: string) => v),
      entries(scope.creators, (v: (name: string) => string) => v('\u0000')),
    ].join('\u0001');
    fingerprints.set(scope, key);
  }
  return key;
}

const fingerprints = new WeakMap<Scope, string>();

const shift = (s: Span, d: number): Span => ({ start: s.start + d, end: s.end + d });
const shiftOptional = (s: Span | undefined, d: number) => (s ? shift(s, d) : undefined);

function shiftColumn(c: DrizzleColumn, d: number): DrizzleColumn {
  if (d === 0) return c;
  return { ...c, nameSpan: shift(c.nameSpan, d), typeSpan: shift(c.typeSpan, d), span: shift(c.span, d), modeValueSpan: shiftOptional(c.modeValueSpan, d), modeRemoval: shiftOptional(c.modeRemoval, d) };
}

/** A copy the caller may complete (foreign keys, indexes, ...): the cached parts stay as made. */
function copyParts(parts: TableParts, d: number, cached: boolean, src: SourceRef): TablePartsCopy {
  const t = parts.table;
  const columns = t.columns.map((c) => shiftColumn(c, d));
  const table: DrizzleTable = { ...t, nameSpan: shift(t.nameSpan, d), span: shift(t.span, d), columns, foreignKeys: [], indexes: [], uniques: [], checks: [], policies: [], primaryKey: undefined, extra: undefined };
  if (cached) origins.set(table, { parts, delta: d });
  return { table, refs: parts.refs, src };
}

/** The table of `node` (a pgTable call, or `.enableRLS()` around one): cached, or read now with `read`. */
export function tablePartsOf(node: ts.CallExpression, sf: ts.SourceFile, scope: Scope, read: (src: SourceRef) => TableParts): TablePartsCopy {
  const text = sf.text.slice(node.pos, node.end);
  const hit = entries.get(node);
  const fingerprint = fingerprintOf(scope);
  // The names are listed once per text: the lookups in the scope are what an edit elsewhere can change.
  const ids = hit?.text === text ? hit.ids : identifiersOf(text);
  const deps = hit?.text === text && hit.scope === fingerprint ? hit.deps : scopeDeps(ids, scope);
  if (hit && deps !== undefined && hit.deps === deps && hit.text === text) {
    hit.src.sf = sf;
    hit.scope = fingerprint;
    tableCacheStats.reused++;
    return copyParts(hit.parts, node.pos - hit.pos, true, hit.src);
  }
  const src: SourceRef = { sf };
  const parts = read(src);
  tableCacheStats.made++;
  if (deps === undefined) entries.delete(node);
  else entries.set(node, { pos: node.pos, text, ids, deps, scope: fingerprint, parts, src });
  return copyParts(parts, 0, deps !== undefined, src);
}
