// Quick fixes, "disable" actions, what-if index actions and fix-all, wired to the connection. The
// fixes come from the last check (inline in the diagnostics, or from the stored findings).
import * as path from 'node:path';
import { CodeActionKind, type Diagnostic } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { actionsWithWhatIf } from '../explain/whatif/lsp-actions';
import type { FixAllParams, FixAllResult } from '../protocol';
import { LineIndex } from '../sql/offsets';
import { codeActionsFor, FIX_ALL_KIND, fixAllEdits, type DocumentView } from './code-actions';
import { sameRange } from './diagnostics';
import { isSql, isTypeScript, modelKey } from './document-kinds';
import { pathToUri } from './folders';
import type { ServerContext } from './server-context';
import type { FixLookup } from './stored-findings';

/**
 * The client's diagnostics with the fixes of the last check. A check the client has not shown yet (an
 * open file re-checked because another file changed its schema) makes new findings with new keys,
 * while the client still asks with the old ones; a quick look withholds the inline fixes of findings
 * in the statements just typed in, which the complete check (run before code actions) has again.
 * The same rule at the same range of this version is the same finding.
 */
function withCurrentFixes(sent: readonly Diagnostic[], current: readonly Diagnostic[], lookup: FixLookup): Diagnostic[] {
  return sent.map((d) => {
    const data = d.data as { key?: unknown } | undefined;
    const stale = typeof data?.key === 'number' ? lookup(data.key).length === 0 : data === undefined && d.source === 'ledgerlint';
    if (!stale) return d;
    // One server speaks to one client: the current diagnostics carry fixes the same way (keys or inline).
    const now = current.find((c) => c.code === d.code && sameRange(c.range, d.range) && c.data !== undefined);
    return now ? { ...d, data: now.data } : d;
  });
}

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
    const lookup = storedFindings.lookup(doc.uri, doc.version);
    const diagnostics = params.context.only?.some((k) => FIX_ALL_KIND.startsWith(k)) ? lastDiagnostics.get(doc.uri) ?? [] : withCurrentFixes(params.context.diagnostics, lastDiagnostics.get(doc.uri) ?? [], lookup);
    const actions = codeActionsFor(viewOf(doc), diagnostics, params.context.only, lookup);
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
