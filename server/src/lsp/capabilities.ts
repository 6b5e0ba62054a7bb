// What the server offers at initialize, and what it reads from the client's capabilities.
import { CodeActionKind, TextDocumentSyncKind, type ClientCapabilities, type ServerCapabilities } from 'vscode-languageserver/node';
import { FIX_ALL_KIND } from './code-actions';
import type { FixTransport } from './diagnostics';
import { FILE_OPERATION_FILTERS } from './file-events';

export const SERVER_CAPABILITIES: ServerCapabilities = {
  textDocumentSync: TextDocumentSyncKind.Incremental,
  codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: false },
  hoverProvider: true,
  codeLensProvider: { resolveProvider: true },
  // Renames and deletions in the editor's explorer; in a terminal they arrive as watched-file events.
  workspace: { workspaceFolders: { supported: true, changeNotifications: true }, fileOperations: { didRename: { filters: FILE_OPERATION_FILTERS }, didDelete: { filters: FILE_OPERATION_FILTERS } } },
};

/**
 * A client that resolves code actions' edits (VS Code) gets diagnostics without fix text: the code
 * actions take the fixes from the stored findings. Others get the fixes inline, as before.
 */
export function fixTransportFor(client: ClientCapabilities): FixTransport {
  return client.textDocument?.codeAction?.resolveSupport?.properties.includes('edit') === true ? 'stored' : 'inline';
}

/**
 * Whether diagnostics carry `codeDescription` (the rule's docs link): only for clients that declare it.
 * The other optional fields we send are `data` (fix payloads and keys; kept for every client, since
 * code actions read them back) and `version`; we send no `tags` or `relatedInformation`.
 */
export function docsLinksFor(client: ClientCapabilities): boolean {
  return client.textDocument?.publishDiagnostics?.codeDescriptionSupport === true;
}
