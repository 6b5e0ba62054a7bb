/**
 * The plan webview: one panel, reused, showing the last EXPLAIN result.
 * Rendering is delegated to a `PlanRenderer` so a richer viewer (e.g. pev2) can be swapped in.
 */
import * as vscode from 'vscode';
import { htmlTreeRenderer, type PlanPayload, type PlanRenderer } from './planHtml';

export class PlanView implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private lastPlan: PlanPayload | undefined;

  constructor(private readonly renderer: PlanRenderer = htmlTreeRenderer) {}

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
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel(
        'ledgerlint.plan',
        'Ledgerlint Plan',
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        { enableScripts: false, localResourceRoots: [] },
      );
      this.panel.onDidDispose(() => (this.panel = undefined));
    }
    this.panel.title = `Plan: ${this.lastPlan.title}`;
    this.panel.webview.html = this.renderer.html(this.lastPlan, this.panel.webview.cspSource);
    this.panel.reveal(undefined, true);
    return true;
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
