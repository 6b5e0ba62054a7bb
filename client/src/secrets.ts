/**
 * Database passwords live only in VS Code's secret storage (the OS keychain), keyed by the
 * connection label, never in settings or workspace state.
 */
import type * as vscode from 'vscode';

const KEY_PREFIX = 'ledgerlint.password:';

export class PasswordStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  get(label: string): Thenable<string | undefined> {
    return this.secrets.get(KEY_PREFIX + label);
  }

  store(label: string, password: string): Thenable<void> {
    return this.secrets.store(KEY_PREFIX + label, password);
  }

  forget(label: string): Thenable<void> {
    return this.secrets.delete(KEY_PREFIX + label);
  }
}
