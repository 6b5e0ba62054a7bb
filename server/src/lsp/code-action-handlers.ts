// Quick fixes, "disable" actions, what-if index actions and fix-all, wired to the connection. The
// fixes come from the last check (inline in the diagnostics, or from the stored findings).
import * as path from 'node:path';
import { CodeActionKind } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { actionsWithWhatIf } from '../explain/whatif/lsp-actions';
import type { FixAllParams, FixAllResult } from '../protocol';
import { LineIndex } from '../sql/offsets';
import { codeActionsFor, FIX_ALL_KIND, fixAllEdits, type DocumentView } from './code-actions';
import { isSql, isTypeScript, modelKey } from './document-kinds';
import { pathToUri } from './folders';
import type { ServerContext } from './server-context';

export function registerCodeActions(ctx: ServerContext): void {
  const { connection, documents, folders, services, lastDiagnostics, lastFiles, storedFindings } = ctx;

  function viewOf(doc: TextDocument): DocumentView {
    const folder = folders.of(doc.uri);
    return {
      uri: doc.uri,
      text: doc.getText(),
      lines: new LineIndex(doc.getText()),
      comment: isSql(doc) ? '--' : '//',
      resolveNewFile: folder.root ? (p) => pathToUri(path.join(folder.root!, p)) : undefined,
    };
  }

  connection.onCodeAction(async (params) => {
    await ctx.checkedNow(params.textDocument.uri);
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return [];
    const diagnostics = params.context.only?.some((k) => FIX_ALL_KIND.startsWith(k)) ? lastDiagnostics.get(doc.uri) ?? [] : params.context.diagnostics;
    const actions = codeActionsFor(viewOf(doc), diagnostics, params.context.only, storedFindings.lookup(doc.uri, doc.version));
    // What-if index estimates need a database; without one the menu is the static one.
    const folder = folders.of(doc.uri);
    if (!services.connectionOf(folder)) return actions;
    const view = viewOf(doc);
    return actionsWithWhatIf({
      actions,
      whatIf: services.whatIfFor(folder),
      file: lastFiles.get(doc.uri),
      range: params.range,
      wantsQuickFix: !params.context.only || params.context.only.some((k) => CodeActionKind.QuickFix.startsWith(k)),
      root: folder.root,
      migrations: folder.project.config.migrations,
      resolveNewFile: view.resolveNewFile,
      timeoutMs: 1000,
      typescript: isTypeScript(doc) ? { path: modelKey(doc.uri), text: doc.getText(), uri: doc.uri } : undefined,
    }).catch(() => actions);
  });

  connection.onRequest('ledgerlint/fixAll', async (params: FixAllParams): Promise<FixAllResult> => {
    await ctx.checkedNow(params.uri);
    const edits = fixAllEdits(lastDiagnostics.get(params.uri) ?? [], storedFindings.lookup(params.uri, documents.get(params.uri)?.version));
    return { changes: { [params.uri]: edits } };
  });
}
