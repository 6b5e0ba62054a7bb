// The schema of a whole workspace: every migration replayed in run order, plus the DDL of
// files outside migration folders (order Infinity). Each file keeps its own parse cache, so an
// edit re-parses only the edited statements of the edited file; the cheap replay of the
// already-parsed files is redone lazily on the next schema() call. In an editor only open files
// keep their parse: the others are dormant and parsed again when replayed (file-entry.ts).
import { filesGuessingTables } from './guessed-references';
import type { SqlFile, Statement } from '../sql/document';
import type { Span } from '../engine/types';
import { isSqlMigrateText, sqlMigrateSections, type Convention } from '../workspace/conventions';
import type { MigrationFile, MigrationFolder } from '../workspace/discover';
import { emptyContribution, type FileContribution } from './replay-context';
import { referencedTables, replayFile } from './replay';
import type { SchemaModel, SourceRef } from './schema';
import { MutableSchema } from './schema-builder';
import { referencedTablesOf, sameSchemaStatements, schemaStatements } from '../engine/file-shape';
import { recordGenerations } from './schema-generations';
import { sameIndexNaming } from './index-naming';
import { checkpointBefore, replayWithCheckpoints, schemaStatements as schemaStatementList } from './file-checkpoints';
import { DormantParses } from './dormant-parses';
import { RecentMap } from './recent-map';
import { keptContributionSpans, moveContributionRefs, refMaker, type ContributionShape } from './kept-contribution';
import { chunkBefore, LaterChunks, laterChunkPolicy, narrowReplay } from './later-chunks';
import { parseEntry, releaseParse, sameInfo, sameSections, type FileEntry, type FileInfo } from './file-entry';

export type { FileInfo } from './file-entry';

/** The FileInfo of a discovered migration, for `setFile`. */
export function migrationInfo(m: MigrationFile, folder?: MigrationFolder): Partial<FileInfo> {
  return { order: m.order, role: m.role, convention: m.convention, folder: m.folder, runnerWrapsTransaction: folder?.runnerWrapsTransaction };
}

/**
 * Adds a non-SQL front-end's tables (e.g. Drizzle's pgTable calls) to the schema being built; add tables with `schema.setTable` and change existing ones only through `schema.mutable`.
 * With a `shape`, a build after a change that keeps the shape keeps the schema and moves the refs (kept-contribution.ts).
 */
export type ContributionFn = ((schema: MutableSchema, out: FileContribution, ref: (span: Span) => SourceRef) => void) & { shape?: ContributionShape };

export interface ModelStats {
  /** parseSqlFile calls since the model was created. */
  fileParses: number;
  /** Rebuilds of the schema (one per schema() call after a change). */
  rebuilds: number;
  /** Files replayed over all rebuilds (a rebuild replays from the checkpoint before the first changed file). */
  filesReplayed: number;
  /** Statements skipped because replaying them threw. */
  replayFailures: number;
  /** Changes that left every schema-changing statement as it was, so the schema was kept. */
  schemaKept: number;
  /** Statements of dormant files whose parses are kept between replays. */
  dormantStatements: number;
}

const DEFAULT_INFO: FileInfo = { order: Infinity, role: 'other' };

/** Statements of dormant files whose parses are kept (see dormant-parses.ts): ~5 MB of heap. */
const DORMANT_STATEMENTS = 1024;

/** Files whose schemaBefore answers are kept until the next build (recent-map.ts). */
const SCHEMAS_BEFORE_KEPT = 8;

/** Files between schema checkpoints: an edit replays at most this many files before the edited one. */
const CHECKPOINT_EVERY = 32;

function normalizeKey(name: string): string {
  return name.startsWith('public.') ? name.slice(7) : name;
}

export class WorkspaceModel {
  private entries = new Map<string, FileEntry>();
  private keep?: (path: string) => boolean;
  private dormant = new DormantParses(DORMANT_STATEMENTS);
  private parses = 0;
  private parseContext = { dormant: this.dormant, schemaStatements: schemaStatementList, counted: () => this.parses++ };
  private built?: MutableSchema;
  /** The last schema built, kept while changes leave every schema-changing statement as it was. */
  private lastBuilt?: MutableSchema;
  /** The last build changed how the workspace names its indexes (index-naming.ts): every file's fixes may change. */
  private namingChanged = false;
  /** checkpoints[c]: the schema before the file at position c * CHECKPOINT_EVERY; never changed once taken. */
  private checkpoints: MutableSchema[] = [new MutableSchema()];
  /** File paths in run order at the last build, and files changed since. */
  private lastOrder: string[] = [];
  private dirty = new Set<string>();
  /** Position of each file in run order at the last build. */
  private position = new Map<string, number>();
  /** schemaBefore results since the last build (a build may move every file's predecessors). */
  private before = new RecentMap<string, MutableSchema>(SCHEMAS_BEFORE_KEPT);
  /** The last schemaBefore(path, statementIndex) answer per file, to continue from. */
  private within = new RecentMap<string, { index: number; schema: MutableSchema }>(SCHEMAS_BEFORE_KEPT);
  private counters = { rebuilds: 0, filesReplayed: 0, replayFailures: 0, schemaKept: 0 };

  /** Adds or updates a SQL file; a no-op when neither text nor info changed. */
  setFile(path: string, text: string, info?: Partial<FileInfo>): void {
    const old = this.entries.get(path);
    // The same text and no info (every lint of a file the CLI indexed, an editor's re-check): the
    // merge below would keep the old info (its fields come from it), so nothing changes. Checked
    // first: merging and looking for sql-migrate markers in the text cost ~35 us a file.
    if (old && info === undefined && old.text === text && !old.apply) return;
    const merged: FileInfo = { ...DEFAULT_INFO, ...old?.info, ...info };
    merged.sections = isSqlMigrateText(text) ? sqlMigrateSections(text) : undefined;
    if (old && old.text === text && !old.apply && sameInfo(old.info, merged)) return;
    const entry: FileEntry = old ?? newEntry(path, merged);
    if (old?.text !== text) {
      entry.parsed = undefined;
      entry.version++;
    }
    entry.previousTouched = entry.contribution.touched;
    entry.text = text;
    entry.info = merged;
    entry.apply = undefined;
    this.entries.set(path, entry);
    this.invalidate(path);
  }

  /** Updates a file's run order, role or folder, keeping its text; a no-op for unknown files or no change. */
  setInfo(path: string, info: Partial<FileInfo>): void {
    const e = this.entries.get(path);
    if (!e) return;
    const merged: FileInfo = { ...e.info, ...info };
    if (sameInfo(e.info, merged)) return;
    e.previousTouched = e.contribution.touched;
    e.info = merged;
    this.invalidate(path);
  }

  /** Registers a front-end's contribution for `path` (replaces any SQL text for it). */
  setContribution(path: string, apply: ContributionFn, info: Partial<FileInfo> = {}): void {
    const old = this.entries.get(path);
    const entry: FileEntry = old ?? newEntry(path, { ...DEFAULT_INFO });
    entry.info = { ...DEFAULT_INFO, ...old?.info, ...info };
    entry.previousTouched = entry.contribution.touched;
    entry.apply = apply;
    entry.applyShape = apply.shape;
    entry.text = undefined;
    entry.version++;
    releaseParse(entry);
    this.entries.set(path, entry);
    this.invalidate(path);
  }

  /** Removes a file; returns the files whose findings may change because it is gone. */
  removeFile(path: string): string[] {
    const dependents = this.filesSharingTables(path);
    const e = this.entries.get(path);
    if (e) this.dormant.delete(e);
    if (this.entries.delete(path)) this.invalidate(path);
    return dependents;
  }

  private invalidate(path: string): void {
    this.dirty.add(path);
    this.built = undefined;
  }

  /** The parsed file (parsed on first use after a change, and on every use while dormant), for rules to reuse. */
  sqlFile(path: string): SqlFile | undefined {
    const e = this.entries.get(path);
    return e && this.parse(e);
  }

  private parse(e: FileEntry): SqlFile | undefined {
    return parseEntry(e, this.keeps(e), this.parseContext);
  }

  /**
   * Which files keep their parse between uses (undefined: all, as the CLI, which lints every file
   * right after the build, wants). The others are dormant (see file-entry.ts): their parses are
   * released now, and later parses of them are kept only within DormantParses' budget.
   */
  retainParses(keep: ((path: string) => boolean) | undefined): void {
    this.keep = keep;
    if (keep) for (const e of this.entries.values()) if (!keep(e.path)) releaseParse(e);
  }

  /** Releases a file's parse if it is no longer kept (e.g. the editor closed it), and the schemas made for its checks. */
  release(path: string): void {
    const e = this.entries.get(path);
    if (e && !this.keeps(e)) releaseParse(e);
    // Up to CHECKPOINT_EVERY earlier files replayed into a fork, per file checked since the last build.
    this.before.delete(path);
    this.within.delete(path);
  }

  private keeps(e: FileEntry): boolean {
    return !this.keep || this.keep(e.path);
  }

  /** Files in run order: migrations by order, then other files by path. */
  files(): Array<{ path: string; info: FileInfo }> {
    return this.ordered().map((e) => ({ path: e.path, info: e.info }));
  }

  fileInfo(path: string): FileInfo | undefined {
    return this.entries.get(path)?.info;
  }

  /** The discovered folder of the last migration in run order (one pass, no sort: asked on every lint of a query file). */
  lastMigrationFolder(): { folder: string; convention: Convention } | undefined {
    let last: FileEntry | undefined;
    for (const e of this.entries.values()) {
      const { order, folder, convention, role } = e.info;
      if (role === 'other' || !folder || !convention || !Number.isFinite(order)) continue;
      if (!last || order > last.info.order || (order === last.info.order && e.path > last.path)) last = e;
    }
    return last && { folder: last.info.folder!, convention: last.info.convention! };
  }

  stats(): ModelStats {
    return { ...this.counters, fileParses: this.parses + this.dormant.parses, dormantStatements: this.dormant.size };
  }

  private ordered(): FileEntry[] {
    return [...this.entries.values()].sort((a, b) => a.info.order - b.info.order || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  schema(): SchemaModel {
    if (this.built) return this.built;
    const ordered = this.ordered();
    if (this.keepSchema(ordered)) {
      this.namingChanged = false;
      return this.built!;
    }
    // Files before the first changed (or moved) one replay exactly as before: start from the
    // checkpoint taken just before the chunk that holds it.
    const first = ordered.findIndex((e, i) => this.lastOrder[i] !== e.path || this.dirty.has(e.path));
    const from = first < 0 ? ordered.length : first;
    const K = CHECKPOINT_EVERY;
    const c = Math.min(Math.floor(from / K), this.checkpoints.length - 1);
    const sameOrder = ordered.length === this.lastOrder.length && ordered.every((e, i) => e.path === this.lastOrder[i]);
    // Later chunks may come from the last build (later-chunks.ts) when the files kept their places.
    const chunks = Math.ceil(ordered.length / K);
    let later = laterChunkPolicy.reuse && sameOrder && this.lastBuilt && this.checkpoints.length === chunks && c + 1 < chunks ? new LaterChunks(this.checkpoints.slice(), this.lastBuilt, this.dirty) : undefined;
    this.checkpoints.length = c + 1;
    let schema = this.checkpoints[c];
    for (let k = c; k * K < ordered.length; k++) {
      const files = ordered.slice(k * K, (k + 1) * K);
      if (k > c) this.checkpoints.push(schema);
      if (k > c && later?.skips(files)) {
        schema = later.patchedAfter(k);
        // Within-file checkpoints of a long open file hold the whole schema of their time.
        for (const e of files) e.checkpoints = undefined;
        continue;
      }
      const before = later && chunkBefore(files);
      schema = schema.fork();
      // The first changed file, in its old place, replays from its own checkpoint before the change.
      for (const [j, e] of files.entries()) schema = this.replayEntry(e, schema, k * K + j === from && this.lastOrder[from] === e.path && !!e.replayed && sameInfo(e.replayed.info, e.info));
      this.counters.filesReplayed += files.length;
      if (later && !later.replayed(k, schema, files, before!)) later = undefined;
    }
    if (schema === this.checkpoints[c]) schema = schema.fork();
    this.counters.rebuilds++;
    this.counters.replayFailures = ordered.reduce((n, e) => n + e.contribution.failures, 0);
    recordGenerations(schema, ordered.map((e) => e.path), this.lastBuilt, sameOrder && this.dirty.size === 1 ? [...this.dirty][0] : undefined);
    this.namingChanged = !!this.lastBuilt && !sameIndexNaming(this.lastBuilt, schema);
    this.lastOrder = ordered.map((e) => e.path);
    this.position = new Map(this.lastOrder.map((p, i) => [p, i]));
    this.before.clear();
    this.within.clear();
    this.dirty.clear();
    this.built = schema;
    this.lastBuilt = schema;
    return schema;
  }

  /** Replays one file into `schema`; returns the schema after it (a fork of `schema` past a file checkpoint). */
  private replayEntry(e: FileEntry, schema: MutableSchema, reusable: boolean): MutableSchema {
    e.replayedContribution = undefined;
    const keep = this.keeps(e);
    // Rollbacks replay nothing: not parsed just for this (indexing would parse every down file).
    const file = !e.apply && (e.parsed || e.info.role !== 'down') ? this.parse(e) : undefined;
    // A kept file's schema statements are tracked per edit (engine/file-shape.ts): no pass over its
    // statements for them. A dormant file's would keep its parse entries: found by a pass, not kept.
    const shape = file && keep ? schemaStatements(e.shapeOwner, file) : undefined;
    if (file && e.info.role !== 'down' && !e.info.sections) {
      const r = replayWithCheckpoints(file, schema, e.info.order, reusable ? e.checkpoints : undefined, shape);
      e.contribution = r.out;
      // Checkpoints hold the statements' parse entries: a dormant file replays whole instead.
      e.checkpoints = keep ? r.state : undefined;
      schema = r.schema;
    } else {
      const refs: SourceRef[] | undefined = e.apply && e.applyShape ? [] : undefined;
      e.contribution = this.replayInto(e, schema, Infinity, 0, file, refs);
      e.replayedContribution = refs && !e.contribution.failures ? { shape: e.applyShape!, info: e.info, refs } : undefined;
      e.checkpoints = undefined;
    }
    e.schemaKept = false;
    e.narrow = !e.apply && (!file || narrowReplay(file, shape?.entries));
    e.replayed = file ? { shape, info: e.info, version: e.version } : undefined;
    return schema;
  }

  /**
   * A keystroke inside a query or a comment leaves the schema as it was: when every changed file
   * kept its schema-changing statements (same text, same index) and its place, keep the built
   * schema (and its identity, which the linter's caches are keyed by) instead of replaying the
   * workspace. Only the source spans move with the text, and the queries' table references are
   * recomputed for `dependents`.
   */
  private keepSchema(ordered: FileEntry[]): boolean {
    if (!this.lastBuilt || ordered.length !== this.lastOrder.length) return false;
    for (let i = 0; i < ordered.length; i++) if (ordered[i].path !== this.lastOrder[i]) return false;
    const changed: Array<[FileEntry, SqlFile]> = [];
    const contributions: Array<[FileEntry, Span[]]> = [];
    for (const path of this.dirty) {
      const e = this.entries.get(path);
      const spans = e?.apply && keptContributionSpans(e);
      if (e && spans) {
        contributions.push([e, spans]);
        continue;
      }
      if (!e || e.apply || e.text === undefined || !e.replayed?.shape || !e.contribution.refs || !e.contribution.schemaTouched) return false;
      if (!sameInfo(e.replayed.info, e.info) || !sameSections(e.replayed.info.sections, e.info.sections)) return false;
      const file = this.parse(e)!;
      // Tracked per version from the edit (engine/file-shape.ts): a keystroke looks at the statements it replaced.
      if (!sameSchemaStatements(e.replayed.shape, schemaStatements(e.shapeOwner, file))) return false;
      changed.push([e, file]);
    }
    for (const [e, spans] of contributions) {
      moveContributionRefs(e, spans);
      e.schemaKept = true;
    }
    for (const [e, file] of changed) {
      for (const r of e.contribution.refs!) {
        const start = file.statements[r.index]?.segment.start ?? NaN;
        if (start === r.base) continue;
        r.ref.span = { start: r.ref.span.start + start - r.base, end: r.ref.span.end + start - r.base };
        r.base = start;
      }
      if (e.info.role !== 'down' && !e.info.sections) e.contribution.touched = referencedTablesOf(e.shapeOwner, file, e.contribution.schemaTouched ?? []);
      else if (e.info.role !== 'down') {
        const touched = new Set(e.contribution.schemaTouched);
        const up = e.info.sections?.up;
        for (const s of file.statements) {
          if (!s.ast || s.error || (e.info.sections && !(up && s.segment.start >= up.start && s.segment.start < up.end))) continue;
          try {
            referencedTables(s, touched);
          } catch {
            // replay skips such a statement too
          }
        }
        e.contribution.touched = touched;
      }
      e.replayed = { shape: e.replayed!.shape, info: e.info, version: e.version };
      e.schemaKept = true;
    }
    this.counters.schemaKept++;
    // Cached schemaBefore answers replayed the old text: their source spans are stale.
    this.before.clear();
    this.within.clear();
    this.dirty.clear();
    this.built = this.lastBuilt;
    return true;
  }

  /** Replays one file into `schema`; `from`/`before` limit it to the file's statements in [from, before). */
  private replayInto(e: FileEntry, schema: MutableSchema, before = Infinity, from = 0, parsed?: SqlFile, refs?: SourceRef[]): FileContribution {
    const out = emptyContribution();
    // Rollbacks describe how to undo a migration, not the schema the app runs against.
    if (e.info.role === 'down' && before === Infinity) return out;
    const order = e.info.order;
    if (e.apply) {
      try {
        e.apply(schema, out, refMaker(e.path, order, refs));
      } catch {
        out.failures++;
      }
      return out;
    }
    const file = parsed ?? this.parse(e);
    if (!file) return out;
    const up = e.info.sections?.up;
    const inUp = e.info.sections ? (s: Statement) => !!up && s.segment.start >= up.start && s.segment.start < up.end : () => true;
    return replayFile(file, schema, { order, include: (s) => s.index >= from && s.index < before && inUp(s) });
  }

  /**
   * The schema as it was just before `path` ran: every earlier file replayed, none of the later
   * ones (the schema() end state also holds what later migrations did). With `statementIndex`,
   * the file's own statements before that index are replayed too. Forks the nearest checkpoint,
   * so it costs at most CHECKPOINT_EVERY file replays; the per-file result is cached until the
   * next change. The returned schema must not be changed.
   */
  schemaBefore(path: string, statementIndex?: number): SchemaModel {
    this.schema();
    const at = this.position.get(path);
    const entry = this.entries.get(path);
    if (at === undefined || !entry) return new MutableSchema();
    let start = this.before.get(path);
    if (!start) {
      const K = CHECKPOINT_EVERY;
      const c = Math.min(Math.floor(at / K), this.checkpoints.length - 1);
      start = this.checkpoints[c].fork();
      for (let i = c * K; i < at; i++) {
        const e = this.entries.get(this.lastOrder[i]);
        if (e) this.replayInto(e, start);
      }
      this.before.set(path, start);
    }
    if (statementIndex === undefined || statementIndex <= 0) return start;
    // Rules ask in statement order: continue from the last answer instead of replaying the file's
    // earlier statements again for every statement (quadratic on long files).
    const last = this.within.get(path);
    let base = last && last.index <= statementIndex ? last : { index: 0, schema: start };
    const checkpoint = checkpointBefore(entry.checkpoints, statementIndex);
    if (checkpoint && checkpoint.index > base.index) base = checkpoint;
    if (base.index === statementIndex) return base.schema;
    const within = base.schema.fork();
    this.replayInto(entry, within, statementIndex, base.index);
    this.within.set(path, { index: statementIndex, schema: within });
    return within;
  }

  /**
   * Whether rules should treat `name` as an existing (possibly large, in use) table at statement
   * `statementIndex` of `file`: false only when the same file created it at or before that statement.
   */
  isExistingTable(name: string, file: string, statementIndex: number): boolean {
    this.schema();
    const created = this.entries.get(file)?.contribution.newTables.get(normalizeKey(name));
    return !(created !== undefined && created <= statementIndex);
  }

  /**
   * Files whose findings may change when `path` changes: the other files touching the same tables,
   * earlier ones included: workspace-wide rules judge an earlier file's tables by the final schema
   * ("no CHECK in any migration"), which a later file's CHECK, index, policy or trigger changes.
   */
  dependents(path: string): string[] {
    this.schema();
    if (this.keptSchema(path)) return [];
    // Fixes anywhere name their indexes after the style and the names taken in the whole schema.
    if (this.namingChanged) return this.ordered().map((e) => e.path).filter((p) => p !== path);
    return this.filesSharingTables(path);
  }

  /** Bumped whenever the file's text or contribution changes: tells a caller whether an operation changed it. */
  versionOf(path: string): number | undefined {
    return this.entries.get(path)?.version;
  }

  /** Whether the last build kept the schema through this file's edit (a keystroke in a query): then no other file's findings change. */
  keptSchema(path: string): boolean {
    return this.entries.get(path)?.schemaKept === true;
  }

  private filesSharingTables(path: string): string[] {
    this.schema();
    const e = this.entries.get(path);
    if (!e) return [];
    const touched = new Set([...e.previousTouched, ...e.contribution.touched]);
    if (touched.size === 0) return [];
    // A `*_id` column elsewhere whose guessed table this file creates or drops (id-column-without-fk).
    const guessers = filesGuessingTables(this.schema(), touched);
    const out: string[] = [];
    for (const other of this.ordered()) {
      if (other === e) continue;
      if (guessers.has(other.path)) {
        out.push(other.path);
        continue;
      }
      for (const t of other.contribution.touched) {
        if (touched.has(t)) {
          out.push(other.path);
          break;
        }
      }
    }
    return out;
  }
}

function newEntry(path: string, info: FileInfo): FileEntry {
  return { path, version: 0, info, contribution: emptyContribution(), previousTouched: new Set(), shapeOwner: {} };
}
