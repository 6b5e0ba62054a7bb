// A document closed in the editor: its last check is forgotten and its diagnostics cleared; the
// model reads it from disk again.
import { configDocumentChanged } from '../drizzle/casing-refresh';
import { forgetTypeScriptDocument } from '../drizzle/project';
import { isSql, isTypeScript, modelKey } from './document-kinds';
import type { Folder } from './folders';
import type { ServerContext } from './server-context';

export interface CloseActions {
  /** Drops the document's scheduled check. */
  cancelCheck(uri: string): void;
  recheckTypeScript(folder: Folder, except: string): void;
}

export function registerDocumentClose(ctx: ServerContext, actions: CloseActions): void {
  const { connection, documents, folders } = ctx;
  documents.onDidClose((e) => {
    actions.cancelCheck(e.document.uri);
    ctx.lastDiagnostics.delete(e.document.uri);
    ctx.lastFiles.delete(e.document.uri);
    ctx.storedFindings.delete(e.document.uri);
    if (isTypeScript(e.document)) forgetTypeScriptDocument(modelKey(e.document.uri));
    // A drizzle.config closed unsaved: the disk's casing holds again.
    if (isTypeScript(e.document) && configDocumentChanged(folders.of(e.document.uri).project.model, modelKey(e.document.uri), undefined)) actions.recheckTypeScript(folders.of(e.document.uri), e.document.uri);
    const folder = folders.of(e.document.uri);
    const key = modelKey(e.document.uri);
    const version = folder.project.model.versionOf(key);
    folder.project.close(key);
    // Closed unsaved: the text on disk holds again, and the open files reading its tables follow it.
    if (folder.project.model.versionOf(key) !== version) ctx.scheduleDependents(folder, key, e.document.uri);
    if (isSql(e.document) || isTypeScript(e.document)) connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });
}
