// A new migration next to the file being linted, named the way the folder's own tool names them
// (via workspace/naming). Rules do not see the discovered MigrationFolder, so the folder is
// rebuilt from the linted file's path and the migration files the schema has seen.
import * as path from 'path';
import type { FileContext } from '../../engine/rule';
import type { Fix } from '../../engine/types';
import type { SchemaModel } from '../../model/schema';
import { DIESEL_DIR, FLYWAY_FILE, GOLANG_FILE, isSqlMigrateText, PRISMA_DIR, type Convention } from '../../workspace/conventions';
import type { MigrationFolder } from '../../workspace/discover';
import { indexMigrationFiles } from '../../workspace/index-migration';
import { nextMigrationFileName } from '../../workspace/naming';

function isUri(p: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(p);
}

/** The folder holding the migrations and its convention, judged from one file's path and text. */
function folderOf(file: string, text: string): { dir: string; convention: Convention } {
  const posix = file.split(path.sep).join('/');
  const base = path.posix.basename(posix);
  const parent = path.posix.dirname(posix);
  const parentName = path.posix.basename(parent);
  if (base === 'up.sql' || base === 'down.sql') {
    if (DIESEL_DIR.test(parentName)) return { dir: path.posix.dirname(parent), convention: 'diesel' };
  }
  if (base === 'migration.sql' && PRISMA_DIR.test(parentName)) return { dir: path.posix.dirname(parent), convention: 'prisma' };
  if (FLYWAY_FILE.test(base)) return { dir: parent, convention: 'flyway' };
  if (GOLANG_FILE.test(base)) return { dir: parent, convention: 'golang-migrate' };
  if (isSqlMigrateText(text)) return { dir: parent, convention: 'sql-migrate' };
  if (/^\d{4}_.+\.sql$/.test(base) && /drizzle/i.test(parent)) return { dir: parent, convention: 'drizzle-kit' };
  return { dir: parent, convention: 'plain' };
}

function knownFiles(schema: SchemaModel): Set<string> {
  const out = new Set<string>();
  for (const t of schema.tables.values()) {
    if (t.created) out.add(t.created.file);
    for (const i of t.indexes) out.add(i.source.file);
    for (const f of t.foreignKeys) out.add(f.source.file);
  }
  return out;
}

export interface PlannedMigration {
  path: string;
  note?: string;
  /** The folder the path was planned in (its convention decides the files to create). */
  folder?: MigrationFolder;
}

/**
 * Path for a new migration after the linted one. Paths stay in the form the linter was given
 * (relative paths stay relative); undefined for URIs, which the rule cannot turn into a
 * workspace-relative path.
 */
export function plannedMigration(context: FileContext, schema: SchemaModel, slug: string, now = new Date()): PlannedMigration | undefined {
  const file = context.file.path;
  if (!context.fileInfo.migration || isUri(file)) return undefined;
  // The discovered folder when the engine knows it; otherwise judged from the path and text.
  const known = context.fileInfo.migrationFolder;
  const { dir, convention } = known ? { dir: known.path, convention: known.convention } : folderOf(file, context.file.text);
  return planIn(dir, convention, [...knownFiles(schema), ...(known?.files ?? []), file], context.fileInfo.runnerWrapsTransaction, slug, now);
}

/**
 * Like `plannedMigration`, but a file outside the migration folders (application queries) gets its
 * new migration in the folder of the last migration, numbered after every file in it; undefined
 * when there is none.
 */
export function plannedMigrationForQueries(context: FileContext, schema: SchemaModel, slug: string, now = new Date()): PlannedMigration | undefined {
  if (context.fileInfo.migration) return plannedMigration(context, schema, slug, now);
  const target = context.fileInfo.queryMigrationFolder;
  // Not from the schema: which files created tables or indexes changes as any migration is typed
  // in, so this file's cached findings would keep a name numbered after another set of files.
  if (target) return planIn(target.path, target.convention, [...target.files], !!context.migrations.runnerWrapsTransaction, slug, now);
  // A linter run without discovered folders: the folder of the latest migration the schema has seen.
  let latest: { file: string; order: number } | undefined;
  for (const t of schema.tables.values()) {
    for (const ref of [t.created, ...t.indexes.map((i) => i.source), ...t.foreignKeys.map((f) => f.source)]) {
      if (ref && Number.isFinite(ref.order) && (!latest || ref.order > latest.order)) latest = ref;
    }
  }
  if (!latest || isUri(latest.file)) return undefined;
  const { dir, convention } = folderOf(latest.file, '');
  return planIn(dir, convention, [...knownFiles(schema)], !!context.migrations.runnerWrapsTransaction, slug, now);
}

function planIn(dir: string, convention: Convention, files: string[], runnerWrapsTransaction: boolean, slug: string, now: Date): PlannedMigration | undefined {
  const siblings = files.filter((f) => f.split(path.sep).join('/').startsWith(dir === '.' ? '' : `${dir}/`));
  const folder: MigrationFolder = {
    path: dir,
    convention,
    runnerWrapsTransaction,
    files: siblings.map((p, order) => ({ path: p, order, role: 'up', folder: dir, convention })),
  };
  const planned = nextMigrationFileName(folder, slug, now);
  const first = planned.files[0];
  if (!first) return undefined;
  return { path: first.split(path.sep).join('/'), note: planned.note, folder };
}

/**
 * A fix that creates a new migration holding `statement` (a CREATE [UNIQUE] INDEX CONCURRENTLY),
 * after `comment` lines, with a note when the runner would wrap it in a transaction.
 */
export function concurrentIndexMigrationFix(
  context: FileContext,
  schema: SchemaModel,
  slug: string,
  title: string,
  comment: string[],
  statement: string,
  plan: typeof plannedMigration = plannedMigration,
): Fix[] | undefined {
  const planned = plan(context, schema, slug);
  if (!planned) return undefined;
  const folder: MigrationFolder = planned.folder ?? { path: path.posix.dirname(planned.path), convention: 'plain', runnerWrapsTransaction: context.fileInfo.runnerWrapsTransaction, files: [] };
  const files = indexMigrationFiles({ folder, slug, comment, statement, configuredWraps: context.migrations.runnerWrapsTransaction })
    // Fixes carry workspace-relative paths (the editor resolves them against its root).
    .map((f) => ({ path: workspacePath(f.path, context.fileInfo.root), text: f.text }));
  if (!files.length) return undefined;
  return [{ title: `${title} in a new migration ${files[0].path}`, edits: [], newFiles: files, preferred: true }];
}

/** `file` relative to `root` with forward slashes; unchanged when there is no root or it lies outside. */
function workspacePath(file: string, root: string | undefined): string {
  const posix = file.split(path.sep).join('/');
  if (!root || !path.isAbsolute(file)) return posix;
  const rel = path.relative(root, file);
  return rel.startsWith('..') || path.isAbsolute(rel) ? posix : rel.split(path.sep).join('/');
}
