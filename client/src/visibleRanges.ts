/**
 * Tells the server which lines of which SQL/TypeScript files are on screen: a file with more
 * findings than ledgerlint.maxDiagnosticsPerFile publishes the ones the user is looking at first.
 * Throttled: a scroll fires this for every frame, the server needs the view once it settles a little.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { VISIBLE_RANGES_NOTIFICATION, type VisibleRangesParams } from '../../server/src/lsp/visible-ranges';

const THROTTLE_MS = 150;

function params(languages: readonly string[]): VisibleRangesParams {
  const editors = vscode.window.visibleTextEditors
    .filter((e) => languages.includes(e.document.languageId))
    .map((e) => ({
      uri: e.document.uri.toString(),
      ranges: e.visibleRanges.map((r) => ({ start: { line: r.start.line, character: 0 }, end: { line: r.end.line, character: 0 } })),
    }));
  return { editors };
}

export function sendVisibleRanges(client: LanguageClient, languages: readonly string[]): vscode.Disposable {
  let timer: NodeJS.Timeout | undefined;
  let last = '';
  const send = () => {
    timer = undefined;
    if (!client.isRunning()) return;
    const p = params(languages);
    const json = JSON.stringify(p);
    if (json === last) return;
    last = json;
    void client.sendNotification(VISIBLE_RANGES_NOTIFICATION, p).catch(() => (last = ''));
  };
  const schedule = () => {
    timer ??= setTimeout(send, THROTTLE_MS);
  };
  const disposables = [
    vscode.window.onDidChangeTextEditorVisibleRanges(schedule),
    vscode.window.onDidChangeVisibleTextEditors(schedule),
    // A restarted server knows nothing of the view.
    client.onDidChangeState(() => {
      last = '';
      schedule();
    }),
  ];
  schedule();
  return new vscode.Disposable(() => {
    if (timer) clearTimeout(timer);
    for (const d of disposables) d.dispose();
  });
}
