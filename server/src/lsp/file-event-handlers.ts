// Files created, changed, renamed or deleted outside the editor's buffers (git, a generator, the
// explorer): the workspace model follows, and open files re-check against it.
import { casingStateOf, configDocumentChanged } from '../drizzle/casing-refresh';
import { isDrizzleConfigPath } from '../drizzle/config-files';
import { modelKey } from './document-kinds';
import { applyFileChanges, renamesAsChanges, type FileChange } from './file-events';
import type { Folder } from './folders';
import type { ServerContext } from './server-context';

export interface FileEventActions {
  /** The workspace casing changed (typescript-checks.ts casingChanged). */
  casingChanged(folder: Folder, except: string): void;
  refreshSettings(): Promise<void>;
}

export function registerFileEvents(ctx: ServerContext, actions: FileEventActions): void {
  const { connection, documents, folders, services } = ctx;

  function onFilesChanged(all: readonly FileChange[]): void {
    // A drizzle.config.* changed on disk (git, another tool) while not open: its casing holds again.
    const configs = all.filter((c) => isDrizzleConfigPath(modelKey(c.uri)));
    for (const c of configs) {
      const folder = folders.of(c.uri);
      if (!documents.get(c.uri) && configDocumentChanged(folder.project.model, modelKey(c.uri), undefined)) actions.casingChanged(folder, c.uri);
    }
    const changes = all.filter((c) => !configs.includes(c));
    // A closed db.ts whose drizzle() call gains or loses its casing changes no table of its own.
    const casingBefore = new Map(folders.all().map((f) => [f, casingStateOf(f.project.model)]));
    const outcome = applyFileChanges(changes, folders, (uri) => !!documents.get(uri));
    for (const [folder, before] of casingBefore) if (casingStateOf(folder.project.model) !== before) actions.casingChanged(folder, '');
    if (outcome.config) void actions.refreshSettings();
    for (const uri of outcome.gone) {
      ctx.lastDiagnostics.delete(uri);
      ctx.storedFindings.delete(uri);
      connection.sendDiagnostics({ uri, diagnostics: [] });
    }
    // Migrations changed on disk (git checkout, a generator): open files re-check against the new schema.
    if (outcome.modelChanged) services.forgetEstimates();
    if (outcome.modelChanged) for (const doc of documents.all()) ctx.schedule(doc, 50);
  }

  connection.onDidChangeWatchedFiles((e) => onFilesChanged(e.changes as FileChange[]));
  connection.workspace.onDidRenameFiles((e) => onFilesChanged(renamesAsChanges(e.files)));
  // A folder deleted in the explorer: a watcher on **/*.sql does not report the files inside it.
  connection.workspace.onDidDeleteFiles((e) => onFilesChanged(e.files.map((f) => ({ uri: f.uri, type: 3 as const }))));
}
