/**
 * Files created, changed, deleted and renamed under the server (git checkout, a generator, the
 * explorer): the workspace model follows the disk, except for files an editor owns.
 * Watched-file events and `workspace/didRenameFiles` arrive for the same rename in VS Code, so
 * applying a change twice must be harmless.
 */
import * as path from 'node:path';
import { CONFIG_FILE_NAME } from '../engine/project';
import { isTypeScriptPath } from '../cli/files';
import { migrationInfo } from '../model/workspace-model';
import { discoverMigrations } from '../workspace/discover';
import { pathToUri, uriToPath, type Folder, type Folders } from './folders';

/** LSP FileChangeType: 1 created, 2 changed, 3 deleted. */
export interface FileChange {
  uri: string;
  type: 1 | 2 | 3;
}

export interface FileChangesOutcome {
  /** A ledgerlint.json was touched: settings are read again. */
  config: boolean;
  /** The schema model may have changed: open files are checked again. */
  modelChanged: boolean;
  /** Closed files that are gone: their diagnostics must be cleared (an editor still shows them otherwise). */
  gone: string[];
}

/** A rename is a deletion of the old name and a creation of the new one (same as a file watcher says). */
export function renamesAsChanges(files: ReadonlyArray<{ oldUri: string; newUri: string }>): FileChange[] {
  return files.flatMap((f): FileChange[] => [
    { uri: f.oldUri, type: 3 },
    { uri: f.newUri, type: 1 },
  ]);
}

/** The filters for the `workspace.fileOperations` didRename and didDelete capabilities: SQL and TypeScript files, folders, the config file. */
export const FILE_OPERATION_FILTERS = [
  { scheme: 'file', pattern: { glob: '**/*.sql', matches: 'file' as const } },
  { scheme: 'file', pattern: { glob: '**/*.{ts,tsx,mts,cts}', matches: 'file' as const } },
  { scheme: 'file', pattern: { glob: `**/${CONFIG_FILE_NAME}`, matches: 'file' as const } },
  { scheme: 'file', pattern: { glob: '**/*', matches: 'folder' as const } },
];

export function applyFileChanges(changes: readonly FileChange[], folders: Folders, isOpen: (uri: string) => boolean): FileChangesOutcome {
  const outcome: FileChangesOutcome = { config: false, modelChanged: false, gone: [] };
  // A created or deleted migration shifts the run order of the others: their place is computed again once per folder.
  const reorder = new Set<Folder>();
  // A folder created (renamed in) brings files the model has never read.
  const reindex = new Set<Folder>();
  for (const change of changes) {
    if (change.uri.endsWith('/' + CONFIG_FILE_NAME)) {
      outcome.config = true;
      continue;
    }
    const file = uriToPath(change.uri);
    if (!file) continue;
    const folder = folders.of(change.uri);
    const project = folder.project;
    if (isTypeScriptPath(file)) {
      // A Drizzle schema's tables count for the workspace open or not; an open one's editor text holds.
      if (isOpen(change.uri) || file.split(path.sep).includes('node_modules')) continue;
      const known = !!project.model.fileInfo(file);
      project.refreshFromDisk(file);
      if (known || project.model.fileInfo(file)) outcome.modelChanged = true;
      continue;
    }
    if (!file.endsWith('.sql')) {
      // A folder deleted or renamed: the files the model knows below it (watchers often report only the folder).
      if (change.type === 2) continue;
      const below = project.model.files().map((f) => f.path).filter((p) => p.startsWith(file + path.sep));
      for (const p of below) {
        const uri = pathToUri(p);
        if (change.type !== 3 || isOpen(uri)) continue;
        project.removeFile(p);
        outcome.gone.push(uri);
      }
      if (change.type === 1) reindex.add(folder);
      else if (below.length) reorder.add(folder);
      continue;
    }
    // An open file keeps its editor text (deleted or not): the editor owns it until it is closed.
    if (isOpen(change.uri)) continue;
    if (change.type === 3) {
      project.removeFile(file);
      outcome.gone.push(change.uri);
      reorder.add(folder);
    } else {
      project.refreshFromDisk(file);
      if (change.type === 1) reorder.add(folder);
    }
    outcome.modelChanged = true;
  }
  for (const folder of reindex) {
    outcome.modelChanged = true;
    // Unchanged files cost a read, no re-parse (1000 migrations: ~190 ms CPU).
    if (folder.indexed) folder.project.index();
  }
  for (const folder of reorder) {
    outcome.modelChanged = true;
    if (!reindex.has(folder)) reorderMigrations(folder);
  }
  return outcome;
}

/** Run order and role of every migration the model holds, from the folders on disk; no text is read again (1000 migrations: ~50 ms CPU). */
function reorderMigrations(folder: Folder): void {
  if (!folder.root || !folder.indexed) return;
  const discovery = discoverMigrations(folder.root, folder.project.config.migrations);
  for (const migrations of discovery.folders) {
    for (const file of migrations.files) folder.project.model.setInfo(file.path, migrationInfo(file, migrations));
  }
}
