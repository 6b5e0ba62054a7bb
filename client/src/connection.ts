/**
 * Choosing, opening and closing the database connection. The server owns the actual pool; this
 * side picks non-secret settings, fetches the password from secret storage and tells the server.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { ConnectionSettings, StatusParams } from '../../server/src/protocol';
import { connectionLabel, isEmptyConnection, parseConnectionUrl } from './connectionSettings';
import { notify } from './rpc';
import type { PasswordStore } from './secrets';
import type { ConnectionStatusBar } from './statusBar';

/** Workspace state keys; they hold non-secret settings only. */
const LAST_KEY = 'ledgerlint.lastConnection';
const RECENT_KEY = 'ledgerlint.recentConnections';
const MAX_RECENT = 5;

interface PendingPassword {
  label: string;
  password: string;
}

export class Connections {
  private status: StatusParams | undefined;
  private current: ConnectionSettings | undefined;
  /** A newly typed password, stored only once the server reports the connection works. */
  private pending: PendingPassword | undefined;

  constructor(
    private readonly client: LanguageClient,
    private readonly state: vscode.Memento,
    private readonly passwords: PasswordStore,
    private readonly statusBar: ConnectionStatusBar,
  ) {}

  get lastStatus(): StatusParams | undefined {
    return this.status;
  }

  get currentLabel(): string | undefined {
    return this.current ? connectionLabel(this.current) : undefined;
  }

  /** Interactive: pick (or type) a connection, ask for the password if none is stored, connect. */
  async connect(preset?: ConnectionSettings): Promise<void> {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showInformationMessage('Ledgerlint connects to databases only in trusted workspaces; static checks keep running.');
      return;
    }
    const settings = preset ?? (await this.pick());
    if (!settings) return;
    const label = connectionLabel(settings);
    let password = await this.passwords.get(label);
    if (password === undefined) {
      password = await vscode.window.showInputBox({
        title: `Password for ${label}`,
        prompt: 'Leave empty if the server needs none (trust, peer, .pgpass). Kept in the OS keychain once the connection works.',
        password: true,
        ignoreFocusOut: true,
      });
      if (password === undefined) return;
      this.pending = password ? { label, password } : undefined;
    }
    await this.open(settings, password);
  }

  /** Non-interactive: reconnect to what this workspace used last, if its password is stored. */
  async reconnectRemembered(): Promise<void> {
    const last = this.state.get<ConnectionSettings>(LAST_KEY);
    if (!last || !vscode.workspace.isTrusted) return;
    await this.open(last, await this.passwords.get(connectionLabel(last)));
  }

  async disconnect(): Promise<void> {
    this.current = undefined;
    this.pending = undefined;
    await this.state.update(LAST_KEY, undefined);
    await notify(this.client, 'ledgerlint/setConnection', { disconnect: true });
  }

  async forgetPassword(label: string): Promise<void> {
    await this.passwords.forget(label);
    void vscode.window.showInformationMessage(`Ledgerlint forgot the saved password for ${label}.`);
  }

  /** Handles `ledgerlint/status` from the server. */
  onStatus(status: StatusParams): void {
    this.status = status;
    this.statusBar.show(status);
    const pending = this.pending;
    if (status.state === 'connected') {
      // Remembered only once it works, so a typo does not come back at every start.
      if (this.current) void this.remember(this.current);
      if (pending) void this.passwords.store(pending.label, pending.password);
      this.pending = undefined;
    } else if (status.state === 'error') {
      this.pending = undefined;
      void this.offerRetry(status);
    }
  }

  private async open(settings: ConnectionSettings, password: string | undefined): Promise<void> {
    this.current = settings;
    await notify(this.client, 'ledgerlint/setConnection', { settings, password: password || undefined });
  }

  private async offerRetry(status: StatusParams): Promise<void> {
    const settings = this.current;
    const label = settings ? connectionLabel(settings) : status.connectionLabel;
    const choice = await vscode.window.showWarningMessage(
      `Ledgerlint could not connect to ${label ?? 'the database'}: ${status.message ?? 'unknown error'}. Static checks keep running.`,
      'Re-enter Password',
      'Show Output',
    );
    if (choice === 'Show Output') this.client.outputChannel.show(true);
    if (choice === 'Re-enter Password' && settings) {
      await this.passwords.forget(connectionLabel(settings));
      await this.connect(settings);
    }
  }

  private async remember(settings: ConnectionSettings): Promise<void> {
    await this.state.update(LAST_KEY, settings);
    const label = connectionLabel(settings);
    const recent = this.state.get<ConnectionSettings[]>(RECENT_KEY, []).filter((s) => connectionLabel(s) !== label);
    await this.state.update(RECENT_KEY, [settings, ...recent].slice(0, MAX_RECENT));
  }

  /** Offers the configured connection, recent ones, and typing a URL. */
  private async pick(): Promise<ConnectionSettings | undefined> {
    const resource = vscode.window.activeTextEditor?.document.uri ?? vscode.workspace.workspaceFolders?.[0]?.uri;
    const configured = vscode.workspace.getConfiguration('ledgerlint', resource).get<ConnectionSettings>('database');
    type Item = vscode.QuickPickItem & { settings?: ConnectionSettings };
    const items: Item[] = [];
    const seen = new Set<string>();
    const add = (settings: ConnectionSettings, detail: string) => {
      const label = connectionLabel(settings);
      if (seen.has(label)) return;
      seen.add(label);
      items.push({ label: `$(database) ${label}`, detail, settings });
    };
    if (configured && !isEmptyConnection(configured)) add(configured, 'From the ledgerlint.database setting');
    for (const recent of this.state.get<ConnectionSettings[]>(RECENT_KEY, [])) add(recent, 'Used recently in this workspace');
    items.push({ label: '$(edit) Enter a connection URL...' });
    const chosen = items.length === 1 ? items[0] : await vscode.window.showQuickPick(items, { title: 'Connect Ledgerlint to a database' });
    if (!chosen) return undefined;
    return chosen.settings ?? (await this.askUrl());
  }

  private async askUrl(): Promise<ConnectionSettings | undefined> {
    const text = await vscode.window.showInputBox({
      title: 'PostgreSQL connection URL (without password)',
      placeHolder: 'postgres://app@localhost:5432/payments',
      ignoreFocusOut: true,
      validateInput: (value) => {
        const parsed = parseConnectionUrl(value);
        return 'problem' in parsed ? parsed.problem : undefined;
      },
    });
    if (text === undefined) return undefined;
    const parsed = parseConnectionUrl(text);
    return 'settings' in parsed ? parsed.settings : undefined;
  }
}
