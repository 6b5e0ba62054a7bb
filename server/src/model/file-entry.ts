// One file of the workspace model and what it keeps between schema builds. A file the editor has
// open keeps its parse (statements, tokens, node indexes, the parse cache a keystroke reuses). A file
// that is only indexed can be "dormant" (WorkspaceModel.retainParses): it keeps its text, its place
// and what its replay contributed (tables created and touched, the source refs rules and hovers point
// at), and is parsed again whenever a rebuild or schemaBefore replays it, the parse dropped after.
// Over 2,000 migrations the parses were 40 of the model's 64 MB of heap (tokens 21, ASTs and
// statements 16, replay shapes 3); parsing all 2,000 files again takes ~130 ms, ~2 ms for the 32
// files a rebuild usually replays.
import { parseSqlFile, StatementCache, type ParsedEntry, type SqlFile } from '../sql/document';
import type { Convention, MigrationRole, Sections } from '../workspace/conventions';
import type { ContributionFn } from './workspace-model';
import type { FileContribution } from './replay-context';
import type { FileReplayState } from './file-checkpoints';
import type { DormantParses } from './dormant-parses';
import type { ContributionShape, ReplayedContribution } from './kept-contribution';

export interface FileInfo {
  /** Run order (0 = first); Infinity for files outside migration folders. */
  order: number;
  /** 'other' = not a migration (queries, functions); its DDL still counts, after all migrations. */
  role: MigrationRole | 'other';
  convention?: Convention;
  folder?: string;
  /** sql-migrate Up/Down sections, recomputed from the text on every change. */
  sections?: Sections;
  /** The migration runner wraps this file in a transaction (from the folder's convention or config). */
  runnerWrapsTransaction?: boolean;
}

/** The schema-changing statements of a file: their index and text (the parse cache entry is per text). */
export interface SchemaShape {
  readonly indices: readonly number[];
  readonly entries: readonly ParsedEntry[];
}

export interface FileEntry {
  path: string;
  text?: string;
  /** Bumped whenever `text` changes: tells whether the last replay saw the current text. */
  version: number;
  info: FileInfo;
  /** Absent while dormant, and until the first kept parse. */
  cache?: StatementCache;
  parsed?: SqlFile;
  apply?: ContributionFn;
  /** What `apply` declares, when its front-end tells (kept-contribution.ts). */
  applyShape?: ContributionShape;
  /** What the last build's replay of `apply` handed out, when it had a shape and did not fail. */
  replayedContribution?: ReplayedContribution;
  contribution: FileContribution;
  /** Tables touched before the last change: a change matters to files using either the old or new ones. */
  previousTouched: Set<string>;
  /**
   * What the last replay of this file's SQL depended on (see WorkspaceModel.keepSchema): its info, the
   * text version, and the schema-changing statements, which a dormant file does not keep (they hold
   * parse entries) and gets back when it is parsed again with the same text.
   */
  replayed?: { shape?: SchemaShape; info: FileInfo; version: number };
  /** The last change left the schema as it was (an edit inside a query or a comment): nothing depends on it. */
  schemaKept?: boolean;
  /** Its last replay read and wrote only the tables and types it touched (later-chunks.ts narrowReplay). */
  narrow?: boolean;
  /** Checkpoints inside a long file from its last replay (file-checkpoints.ts); not kept while dormant. */
  checkpoints?: FileReplayState;
  /**
   * The key engine/file-shape.ts tracks this file's statements under (a WeakMap holding parse
   * entries): replaced when the parse is released, so the tracking goes with it.
   */
  shapeOwner: object;
}

export interface ParseContext {
  dormant: DormantParses;
  schemaStatements: (file: SqlFile) => SchemaShape;
  /** Counts the parses made for kept entries (dormant ones count their own). */
  counted: () => void;
}

/**
 * The entry's parsed file. Kept on the entry (with its parse cache) only when `keep`; a dormant
 * file's parse is left to `ctx.dormant`, which keeps it or not.
 */
export function parseEntry(e: FileEntry, keep: boolean, ctx: ParseContext): SqlFile | undefined {
  if (e.text === undefined) return undefined;
  if (e.parsed) return e.parsed;
  if (!keep) return ctx.dormant.parse(e, e.text);
  const taken = ctx.dormant.take(e);
  if (taken) e.cache = taken.cache;
  else {
    e.cache ??= new StatementCache();
    ctx.counted();
  }
  const file = (e.parsed = taken?.file ?? parseSqlFile(e.path, e.text, e.cache));
  // A file opened after a dormant replay of this same text: the statements a keystroke compares
  // against are this parse's, so its first edit can keep the schema without a rebuild.
  if (e.replayed && !e.replayed.shape && e.replayed.version === e.version) e.replayed = { ...e.replayed, shape: ctx.schemaStatements(file) };
  return file;
}

/** Drops everything that holds the file's statements; what the schema and workspace rules need stays. */
export function releaseParse(e: FileEntry): void {
  e.parsed = undefined;
  e.cache = undefined;
  e.checkpoints = undefined;
  e.shapeOwner = {};
  if (e.replayed?.shape) e.replayed = { ...e.replayed, shape: undefined };
}

export function sameSections(a: Sections | undefined, b: Sections | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function sameInfo(a: FileInfo, b: FileInfo): boolean {
  return a.order === b.order && a.role === b.role && a.convention === b.convention && a.folder === b.folder && a.runnerWrapsTransaction === b.runnerWrapsTransaction;
}
