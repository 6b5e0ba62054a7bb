/**
 * Status bar item: which database Ledgerlint uses and its PostgreSQL version. Clicking it opens
 * the connection menu. Shows labels only; a label never contains a password.
 */
import * as vscode from 'vscode';
import type { StatusParams } from '../../server/src/protocol';

export const STATUS_MENU_COMMAND = 'ledgerlint.statusBarMenu';

export class ConnectionStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('ledgerlint.connection', vscode.StatusBarAlignment.Left, 0);

  constructor() {
    this.item.name = 'Ledgerlint database';
    this.item.command = STATUS_MENU_COMMAND;
    this.show(undefined);
    this.item.show();
  }

  show(status: StatusParams | undefined): void {
    const item = this.item;
    item.backgroundColor = undefined;
    if (!vscode.workspace.isTrusted) {
      item.text = '$(shield) Ledgerlint: static only';
      item.tooltip = 'This workspace is not trusted: Ledgerlint checks files but never connects to a database.';
    } else if (status?.state === 'connected') {
      const version = status.serverVersion ? ` · PostgreSQL ${status.serverVersion}` : '';
      item.text = `$(database) ${status.connectionLabel ?? 'connected'}${version}`;
      item.tooltip = `Ledgerlint uses ${status.connectionLabel ?? 'a database'} for EXPLAIN and the live schema. Click to switch or disconnect.`;
    } else if (status?.state === 'error') {
      item.text = `$(warning) Ledgerlint: ${status.connectionLabel ?? 'database'} unreachable`;
      item.tooltip = status.message ?? 'The connection failed. Click to retry or switch.';
      item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    } else {
      item.text = '$(database) Ledgerlint: no database';
      item.tooltip = 'Static checks run without a database. Click to connect one for EXPLAIN and the live schema.';
    }
  }

  dispose(): void {
    this.item.dispose();
  }
}
