/**
 * One lazily opened session per connection identity. A connection whose source, name, sslmode or
 * password changed (a new password in SecretStorage) gets a new session; only a digest of the
 * password is kept, never the password.
 */
import { createHash } from 'node:crypto';
import type { ResolvedConnection } from './connection-sources';
import { openSession, type ExplainSession, type SessionOptions } from './session';

export class SessionSlot {
  private session: ExplainSession | undefined;
  private key: string | undefined;

  constructor(private readonly options?: SessionOptions) {}

  get current(): ExplainSession | undefined {
    return this.session;
  }

  /** The open session for `connection`; `opened` says whether this call had to connect. */
  async for(connection: ResolvedConnection): Promise<{ session: ExplainSession; opened: boolean }> {
    const digest = createHash('sha256').update(connection.config.password ?? '').digest('hex');
    const key = JSON.stringify([connection.source, connection.label, connection.config.sslmode, digest]);
    if (this.session?.alive && this.key === key) return { session: this.session, opened: false };
    await this.close();
    this.session = await openSession(connection, this.options);
    this.key = key;
    return { session: this.session, opened: true };
  }

  async close(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    this.key = undefined;
    await session?.close();
  }
}
