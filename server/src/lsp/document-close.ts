// A document closed in the editor: its last check is forgotten and its diagnostics cleared; the
// model reads it from disk again.
import { casingStateOf, configDocumentChanged } from '../drizzle/casing-refresh';
import { forgetTypeScriptDocument } from '../drizzle/project';
import { isSql, isTypeScript, modelKey } from './document-kinds';
import type { Folder } from './folders';
import type { ServerContext } from './server-context';

export interface CloseActions {
  /** Drops the document's scheduled check. */
  cancelCheck(uri: string): void;
  /** The workspace casing changed (typescript-checks.ts casingChanged). */
  casingChanged(folder: Folder, except: string): void;
}

export function registerDocumentClose(ctx: ServerContext, actions: CloseActions): void {
  const { connection, documents, folders } = ctx;
  documents.onDidClose((e) => {
    actions.cancelCheck(e.document.uri);
    ctx.lastDiagnostics.delete(e.document.uri);
    ctx.lastFiles.delete(e.document.uri);
    ctx.storedFindings.delete(e.document.uri);
    if (isTypeScript(e.document)) forgetTypeScriptDocument(modelKey(e.document.uri));
    const folder = folders.of(e.document.uri);
    const key = modelKey(e.document.uri);
    const casingBefore = casingStateOf(folder.project.model);
    // A drizzle.config closed unsaved: the disk's casing holds again.
    if (isTypeScript(e.document)) configDocumentChanged(folder.project.model, key, undefined);
    const version = folder.project.model.versionOf(key);
    // A TypeScript file is read from disk again, and with it its drizzle() call's casing, and the closed
    // files importing pgEnums from it when its exports changed.
    const importers = folder.project.close(key);
    const after = folder.project.model.versionOf(key);
    if (casingStateOf(folder.project.model) !== casingBefore) actions.casingChanged(folder, e.document.uri);
    for (const file of importers) {
      const open = documents.all().find((d) => modelKey(d.uri) === file);
      // An open importer's tables follow its check, and the open files reading them follow it.
      if (open) ctx.schedule(open, 50, true);
      else ctx.scheduleDependents(folder, file, e.document.uri);
    }
    // Deleted on disk while it was open: it leaves the model now, and with it what the other files
    // shared with it (which the model no longer knows, and the deletion's event, handled while the file
    // was open, did not re-check): every open file of the folder is checked again.
    if (after === undefined && version !== undefined) {
      for (const doc of documents.all()) if (folders.of(doc.uri) === folder) ctx.schedule(doc, 50);
    } else if (after !== version) {
      // Closed unsaved: the text on disk holds again, and the open files reading its tables follow it.
      ctx.scheduleDependents(folder, key, e.document.uri);
    }
    if (isSql(e.document) || isTypeScript(e.document)) connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });
}
