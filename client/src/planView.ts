/**
 * The plan webview: one panel, reused, showing the last EXPLAIN result as a pev2 diagram with the
 * findings beside it (client/src/planPev2Html.ts, dist/planview.js). Without the bundle (a development
 * checkout that skipped the build) it falls back to the script-free text tree of planHtml.ts.
 */
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { htmlTreeRenderer, type PlanPayload } from './planHtml';
import { newNonce, pev2Html } from './planPev2Html';

export class PlanView implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private lastPlan: PlanPayload | undefined;
  private readonly distUri: vscode.Uri | undefined;

  constructor(extensionUri?: vscode.Uri) {
    this.distUri = extensionUri && vscode.Uri.joinPath(extensionUri, 'dist');
  }

  get last(): PlanPayload | undefined {
    return this.lastPlan;
  }

  show(payload: PlanPayload): void {
    this.lastPlan = payload;
    this.reveal();
  }

  /** Reopens the last plan; returns false when there is none yet. */
  reveal(): boolean {
    if (!this.lastPlan) return false;
    const bundle = this.distUri && fs.existsSync(vscode.Uri.joinPath(this.distUri, 'planview.js').fsPath) ? this.distUri : undefined;
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel(
        'ledgerlint.plan',
        'Ledgerlint Plan',
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        // Scripts only when our bundle is there; the webview may load files from dist/ and nothing else.
        { enableScripts: !!bundle, localResourceRoots: bundle ? [bundle] : [] },
      );
      this.panel.onDidDispose(() => (this.panel = undefined));
    }
    const webview = this.panel.webview;
    this.panel.title = `Plan: ${this.lastPlan.title}`;
    webview.html = bundle
      ? pev2Html(this.lastPlan, {
        cspSource: webview.cspSource,
        scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(bundle, 'planview.js')).toString(),
        styleUri: webview.asWebviewUri(vscode.Uri.joinPath(bundle, 'planview.css')).toString(),
        nonce: newNonce(),
      })
      : htmlTreeRenderer.html(this.lastPlan, webview.cspSource);
    this.panel.reveal(undefined, true);
    return true;
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
