/**
 * Pure helpers about non-secret connection settings. No `vscode` import, so tests run in node.
 */
import type { ConnectionSettings } from '../../server/src/protocol';

const DEFAULT_PORT = 5432;

/** True when no field that picks a server is set (an empty `{}` setting). */
export function isEmptyConnection(settings: ConnectionSettings | undefined): boolean {
  if (!settings) return true;
  return !settings.url && !settings.host && !settings.database && !settings.user && !settings.port;
}

/** A URL like postgres://user:secret@host carries a password, which must live in secret storage. */
export function urlHasPassword(url: string): boolean {
  try {
    return new URL(url).password !== '';
  } catch {
    return /^[a-z]+:\/\/[^/@]*:[^/@]*@/i.test(url);
  }
}

/** Parses what a user typed; returns a reason when it cannot be used. */
export function parseConnectionUrl(text: string): { settings: ConnectionSettings } | { problem: string } {
  const url = text.trim();
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { problem: 'Not a URL. Expected postgres://user@host:5432/database' };
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    return { problem: 'The URL must start with postgres:// or postgresql://' };
  }
  if (parsed.password !== '') {
    return { problem: 'Leave the password out of the URL; Ledgerlint asks for it next and keeps it in the OS keychain.' };
  }
  return { settings: { url } };
}

/**
 * The name a connection is shown and its password stored under: `user@host:port/database`.
 * Never contains a password, even if one slipped into the URL.
 */
export function connectionLabel(settings: ConnectionSettings): string {
  if (settings.url) {
    try {
      const url = new URL(settings.url);
      const user = decodeURIComponent(url.username) || settings.user || '';
      const host = url.hostname || settings.host || 'localhost';
      const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || settings.database || '';
      return `${user ? `${user}@` : ''}${host}:${url.port || settings.port || DEFAULT_PORT}/${database}`;
    } catch {
      return '(invalid database URL)';
    }
  }
  const user = settings.user ? `${settings.user}@` : '';
  return `${user}${settings.host || 'localhost'}:${settings.port || DEFAULT_PORT}/${settings.database ?? ''}`;
}
