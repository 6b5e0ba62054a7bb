// After an edit to an old migration, the chunks of files after the edited one (between two
// workspace checkpoints, workspace-model.ts) are taken from the last build instead of replayed
// when their replay cannot have changed. In an editor those files are dormant: replaying them
// meant parsing them again, and an edit in the 1,000th of 2,000 migrations parsed ~1,000 files.
//
// The workspace state after a later chunk differs from the last build's only in the tables and
// enum types the edit changed (`changed`). A chunk whose files are all "narrow" (each statement
// reads and writes only the tables and types it touches, see narrowReplay) and touch none of those
// names (compared by bare name, as rules and replay look tables up) replays exactly as last time:
// the state after it is the old one with the changed entries put in. Any other chunk is replayed
// onto the new state, and what it leaves differently joins `changed`; tables it rebuilt equal to
// the old ones (spans included) take back the old objects, so `changed` does not grow with every
// table a replayed chunk names. Functions and revoked EXECUTE are not tracked per name: when a
// replayed chunk leaves them different, the rest of the workspace replays as before.
//
// Map order: entries put in keep the old place when the key was there, and go last otherwise.
// Only a bare-name lookup can see that order (two schemas with a table of the same name), so
// reuse stops when a changed table shares its bare name with another table.
import type { ParsedEntry, SqlFile } from '../sql/document';
import { SCHEMA_STATEMENT_TYPES } from './replay';
import type { EnumModel, SourceRef, TableModel } from './schema';
import type { MutableSchema } from './schema-builder';
import { sameTableExactly } from './same-table';
import type { FileEntry } from './file-entry';

/** Tests turn `replayTouching` off, or `wideIsNarrow` on, to check that such shortcuts fail them. */
export const laterChunkPolicy = { reuse: true, replayTouching: true, wideIsNarrow: false };

/** Chunks taken from the last build or replayed, and rebuilds where reuse stopped, since the process started (tests, benches). */
export const laterChunkStats = { reused: 0, replayed: 0, stopped: 0 };

const TYPE_PREFIX = 'type:';
const NARROW_RENAMES = new Set(['OBJECT_COLUMN', 'OBJECT_TABCONSTRAINT', 'OBJECT_POLICY', 'OBJECT_TRIGGER']);
const NARROW_DROPS = new Set(['OBJECT_TABLE', 'OBJECT_POLICY', 'OBJECT_TRIGGER', 'OBJECT_TYPE', 'OBJECT_FUNCTION']);
/** Whose replay reaches only the tables and types they touch (functions are compared whole, see the header). */
const NARROW_TYPES = new Set(['CreateStmt', 'CreateTableAsStmt', 'IndexStmt', 'CreatePolicyStmt', 'CreateTrigStmt', 'CreateFunctionStmt', 'AlterFunctionStmt', 'CreateEnumStmt', 'AlterEnumStmt', 'DoStmt']);

/**
 * Whether every statement of `file` reads and writes only the tables and types its replay touches
 * (ReplayContext.touch). Not so: DROP INDEX and RENAME of a table or index (they look through every
 * table), ALTER TYPE RENAME (columns of that type), GRANT ON ALL TABLES, DETACH PARTITION, and any
 * statement type not listed here, so a new replay handler counts as wide until it is looked at.
 * With `schemaEntries` (the parse entries of the file's schema-changing statements, which the
 * workspace tracks per edit) only those are looked at: the others are never wide.
 */
export function narrowReplay(file: SqlFile, schemaEntries?: readonly ParsedEntry[]): boolean {
  if (laterChunkPolicy.wideIsNarrow) return true;
  if (schemaEntries) return schemaEntries.every((e) => narrowStatement(e.parsed.ast as Record<string, any> | undefined));
  for (const s of file.statements) if (!s.error && !narrowStatement(s.ast as Record<string, any> | undefined)) return false;
  return true;
}

function narrowStatement(ast: Record<string, any> | undefined): boolean {
  if (!ast) return true;
  let type: string | undefined;
  for (const k in ast) {
    type = k;
    break;
  }
  if (!type || !SCHEMA_STATEMENT_TYPES.has(type) || NARROW_TYPES.has(type)) return true;
  const node = ast[type];
  if (type === 'AlterTableStmt' && !(node?.cmds ?? []).some((c: any) => c?.AlterTableCmd?.subtype === 'AT_DetachPartition')) return true;
  if (type === 'RenameStmt' && NARROW_RENAMES.has(node?.renameType)) return true;
  if (type === 'DropStmt' && NARROW_DROPS.has(node?.removeType)) return true;
  if (type === 'GrantStmt' && (node?.targtype !== 'ACL_TARGET_ALL_IN_SCHEMA' || node?.objtype !== 'OBJECT_TABLE')) return true;
  return false;
}

function bareOf(key: string): string {
  const typed = key.startsWith(TYPE_PREFIX);
  const name = typed ? key.slice(TYPE_PREFIX.length) : key;
  return (typed ? TYPE_PREFIX : '') + name.slice(name.lastIndexOf('.') + 1).toLowerCase();
}

/** What a chunk's files depended on before it was replayed again. */
export interface ChunkBefore {
  touched: Array<ReadonlySet<string>>;
  narrow: boolean;
}

export function chunkBefore(files: readonly FileEntry[]): ChunkBefore {
  return { touched: files.flatMap((e) => [e.contribution.touched, e.previousTouched]), narrow: files.every((e) => e.narrow) };
}

export class LaterChunks {
  /** Entries whose state differs from the last build's after the chunks done so far (undefined: gone). */
  private tables = new Map<string, TableModel | undefined>();
  private enums = new Map<string, EnumModel | undefined>();
  private bare = new Set<string>();
  /** Files replayed in this rebuild, and whether objects they made may still be swapped for old ones. */
  private replayedFiles: FileEntry[] = [];
  private swapping = true;

  /** `old[k]`: the last build's state before chunk k; `oldEnd`: after the last chunk. */
  constructor(
    private readonly old: readonly MutableSchema[],
    private readonly oldEnd: MutableSchema,
    private readonly dirty: ReadonlySet<string>,
  ) {}

  private oldAfter(k: number): MutableSchema {
    return this.old[k + 1] ?? this.oldEnd;
  }

  /** Whether chunk `k` (not the edited one) can take the last build's state after it, patched. */
  skips(files: readonly FileEntry[]): boolean {
    for (const e of files) if (this.dirty.has(e.path)) return false;
    if (this.tables.size === 0 && this.enums.size === 0) return true;
    if (!laterChunkPolicy.replayTouching) return true;
    for (const e of files) {
      if (!e.narrow) return false;
      for (const key of e.contribution.touched) if (this.bare.has(bareOf(key))) return false;
    }
    return true;
  }

  /** The state after skipped chunk `k`: the last build's, with the changed entries put in. */
  patchedAfter(k: number): MutableSchema {
    laterChunkStats.reused++;
    const f = this.oldAfter(k).fork();
    // Not through setTable: the fork must not own (and change in place) what other checkpoints share.
    for (const [key, t] of this.tables) t ? f.tables.set(key, t) : f.tables.delete(key);
    for (const [key, e] of this.enums) e ? f.enums.set(key, e) : f.enums.delete(key);
    return f;
  }

  /**
   * Chunk `k` was replayed into `after` (its files in `files`, their earlier replay in `before`):
   * notes what differs from the last build, and gives back old objects that are the same. False
   * when reuse must stop (functions differ, or a bare name is ambiguous).
   */
  replayed(k: number, after: MutableSchema, files: readonly FileEntry[], before: ChunkBefore): boolean {
    laterChunkStats.replayed++;
    const old = this.oldAfter(k);
    const moved = new Map<object, SourceRef>();
    this.replayedFiles.push(...files);
    // Within-file checkpoints of a long open file hold its new objects (and refs): keep those then.
    if (files.some((e) => (e.checkpoints?.chunks.length ?? 0) > 1)) this.swapping = false;
    const swap = this.swapping;
    if (!sameEntries(after.functions, old.functions, swap, moved) || !sameSet(after.revokedExecute, old.revokedExecute)) return this.stop();
    const wide = !before.narrow || files.some((e) => !e.narrow);
    const named = new Set<string>();
    for (const set of [...before.touched, ...files.map((e) => e.contribution.touched)]) for (const key of set) named.add(key);
    const tableKeys = wide ? new Set([...after.tables.keys(), ...old.tables.keys()]) : new Set([...this.tables.keys(), ...[...named].filter((k) => !k.startsWith(TYPE_PREFIX))]);
    const enumKeys = wide ? new Set([...after.enums.keys(), ...old.enums.keys()]) : new Set([...this.enums.keys(), ...[...named].filter((k) => k.startsWith(TYPE_PREFIX)).map((k) => k.slice(TYPE_PREFIX.length))]);
    diff(after.tables, old.tables, tableKeys, this.tables, swap, moved);
    diff(after.enums, old.enums, enumKeys, this.enums, swap, moved);
    // The files' refs must be the objects the schema holds, for a later query edit to move them: an
    // object given back may hold refs of files replayed in earlier chunks of this rebuild too.
    if (moved.size) for (const e of this.replayedFiles) for (const r of e.contribution.refs ?? []) r.ref = moved.get(r.ref) ?? r.ref;
    this.bare = new Set([...this.tables.keys()].map(bareOf));
    for (const key of this.enums.keys()) this.bare.add(bareOf(TYPE_PREFIX + key));
    if (this.tables.size && ambiguous(this.tables, after, old)) return this.stop();
    return true;
  }

  private stop(): false {
    laterChunkStats.stopped++;
    return false;
  }
}

/** Notes in `changed` the keys whose entry differs; an equal one in `now` becomes the old object again (when `swap`). */
function diff<V extends object>(now: Map<string, V>, old: Map<string, V>, keys: Iterable<string>, changed: Map<string, V | undefined>, swap: boolean, moved: Map<object, SourceRef>): void {
  for (const key of keys) {
    const n = now.get(key);
    const o = old.get(key);
    if (n === o || (n && o && swap && same(n, o) && (pairRefs(n, o, '', moved, 0), now.set(key, o), true))) changed.delete(key);
    else changed.set(key, n);
  }
}

function same(a: object, b: object): boolean {
  // Compares any model object field by field, declaration spans included.
  return sameTableExactly(a as TableModel, b as TableModel);
}

function sameEntries<V extends object>(now: Map<string, V>, old: Map<string, V>, swap: boolean, moved: Map<object, SourceRef>): boolean {
  if (now.size !== old.size) return false;
  for (const [key, n] of now) {
    const o = old.get(key);
    if (n === o) continue;
    if (!o || !swap || !same(n, o)) return false;
    pairRefs(n, o, '', moved, 0);
    now.set(key, o);
  }
  return true;
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

const REF_KEYS = new Set(['source', 'created', 'nameSpan']);

/** Pairs each source ref in `n` with the one in the same place in `o` (equal objects, see `same`). */
function pairRefs(n: unknown, o: unknown, key: string, into: Map<object, SourceRef>, depth: number): void {
  if (typeof n !== 'object' || n === null || typeof o !== 'object' || o === null || n === o || depth > 20) return;
  if (REF_KEYS.has(key)) {
    into.set(n, o as SourceRef);
    return;
  }
  if (n instanceof Map && o instanceof Map) {
    const ov = [...o.values()];
    let i = 0;
    for (const v of n.values()) pairRefs(v, ov[i++], '', into, depth + 1);
  } else if (Array.isArray(n) && Array.isArray(o)) n.forEach((v, i) => pairRefs(v, o[i], '', into, depth + 1));
  else for (const k in n as Record<string, unknown>) pairRefs((n as Record<string, unknown>)[k], (o as Record<string, unknown>)[k], k, into, depth + 1);
}

/** A changed table's bare name is also another table's, in the new or the old state. */
function ambiguous(changed: ReadonlyMap<string, unknown>, now: MutableSchema, old: MutableSchema): boolean {
  const names = new Set([...changed.keys()].map(bareOf));
  for (const tables of [now.tables, old.tables]) {
    const seen = new Map<string, string>();
    for (const [key, t] of tables) {
      for (const name of new Set([bareOf(key), t.name.toLowerCase()])) {
        if (!names.has(name)) continue;
        const other = seen.get(name);
        if (other !== undefined && other !== key) return true;
        seen.set(name, key);
      }
    }
  }
  return false;
}
