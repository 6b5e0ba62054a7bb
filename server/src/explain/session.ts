/**
 * A read-only PostgreSQL session for EXPLAIN. The server enforces the safety (read-only transactions by
 * default, short statement and lock timeouts), so a mistake in our own checks cannot write or block.
 */
import { Client, type QueryConfig } from 'pg';
import { redact, toPgClientConfig, type ResolvedConnection } from './connection-sources';

/** `standard_conforming_strings` is pinned so the server tokenises quotes the way our parser did. */
export const SESSION_OPTIONS =
  '-c default_transaction_read_only=on -c statement_timeout=3000 -c lock_timeout=500 ' +
  '-c idle_in_transaction_session_timeout=10000 -c standard_conforming_strings=on';

export interface SessionOptions {
  connectTimeoutMs?: number;
  /** Extra `-c name=value` settings (tests use it for `work_mem`). */
  settings?: Record<string, string>;
}

export interface ExplainSession {
  client: Client;
  connection: ResolvedConnection;
  /** e.g. 180004 for 18.4. */
  serverVersionNum: number;
  /** e.g. `18.4`. */
  serverVersion: string;
  /** False once the server closed the connection or a network error happened. */
  readonly alive: boolean;
  close(): Promise<void>;
  /** Drops the connection at once: a server that stopped answering never acknowledges a polite close. */
  destroy(): void;
}

/** One clear, password-free sentence for the user; `code` keeps the SQLSTATE when there is one. */
export class ExplainError extends Error {
  constructor(message: string, readonly code?: string, readonly kind: 'connect' | 'refused' | 'server' | 'lost' = 'server') {
    super(message);
    this.name = 'ExplainError';
    // Stack traces would leak paths and be noise in a hover.
    this.stack = `${this.name}: ${message}`;
  }
}

/**
 * node-pg sends a query without values over the simple protocol, which runs every statement in the text;
 * `queryMode: 'extended'` (missing from @types/pg) makes the server refuse more than one.
 */
export function extendedQuery(text: string): QueryConfig {
  return { text, queryMode: 'extended' } as QueryConfig;
}

export async function openSession(connection: ResolvedConnection, options: SessionOptions = {}): Promise<ExplainSession> {
  const extra = Object.entries(options.settings ?? {})
    .map(([name, value]) => ` -c ${name}=${String(value).replace(/\s/g, '')}`)
    .join('');
  const connectTimeoutMs = options.connectTimeoutMs ?? 5000;
  const client = new Client({
    ...toPgClientConfig(connection.config),
    application_name: 'ledgerlint',
    options: SESSION_OPTIONS + extra,
    connectionTimeoutMillis: connectTimeoutMs,
    // A peer that vanished without closing (suspended host, dropped VPN) is noticed by the OS.
    keepAlive: true,
  });
  let alive = true;
  // Without a listener an idle connection dropped by the server would crash the language server.
  client.on('error', () => {
    alive = false;
  });
  client.on('end', () => {
    alive = false;
  });
  try {
    await client.connect();
    // connectionTimeoutMillis ends with the handshake; a server that hangs right after it would hang this query.
    const hung = setTimeout(() => destroyClient(client), connectTimeoutMs);
    const result = await client.query(extendedQuery(
      "SELECT current_setting('server_version_num')::int AS num, current_setting('server_version') AS version",
    )).finally(() => clearTimeout(hung));
    const row = result.rows[0] as { num: number; version: string };
    return {
      client,
      connection,
      serverVersionNum: row.num,
      serverVersion: row.version.split(' ')[0],
      get alive() {
        return alive;
      },
      async close() {
        alive = false;
        await endWithin(client, 1000);
      },
      destroy() {
        alive = false;
        destroyClient(client);
      },
    };
  } catch (error) {
    await endWithin(client, 1000);
    throw connectError(connection, error);
  }
}

/** `end()` waits for the server to close its side, which a hung server never does: bounded, then the socket goes. */
async function endWithin(client: Client, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([client.end().catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
  destroyClient(client);
}

/** node-pg has no public way to drop a connection; its socket does. Pending queries then fail at once. */
function destroyClient(client: Client): void {
  (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
}

export function connectError(connection: ResolvedConnection, error: unknown): ExplainError {
  const { password } = connection.config;
  const err = error as { message?: string; code?: string };
  const reason = describeConnectFailure(err);
  const message =
    `Ledgerlint could not connect to ${connection.label} (from ${connection.source}): ${reason}`;
  return new ExplainError(redact(message, [password]), err.code, 'connect');
}

function describeConnectFailure(err: { message?: string; code?: string }): string {
  const text = (err.message ?? String(err)).split('\n')[0];
  switch (err.code) {
    case 'ECONNREFUSED':
      return 'nothing is listening there (is the database running?).';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the host name does not resolve.';
    case '28P01':
      return 'the server rejected the password (check the saved password or ~/.pgpass).';
    case '28000':
      return `the server refused this user (${text}).`;
    case '3D000':
      return `${text}.`;
    default:
      return text.endsWith('.') ? text : `${text}.`;
  }
}

/** Turns any error from a query into a password-free ExplainError. */
export function queryError(session: Pick<ExplainSession, 'connection' | 'alive'>, error: unknown): ExplainError {
  if (error instanceof ExplainError) return error;
  const err = error as { message?: string; code?: string };
  const secrets = [session.connection.config.password];
  const text = redact((err.message ?? String(error)).split('\n')[0], secrets);
  if (!session.alive || err.code === '57P01' || err.code === '57P02' || err.code === '57P03' || /Connection terminated|ECONNRESET|not queryable/i.test(text)) {
    return new ExplainError(`The connection to ${session.connection.label} was lost (${text}); Ledgerlint will reconnect on the next hover.`, err.code, 'lost');
  }
  if (err.code === '55P03') {
    return new ExplainError(
      `A table in this statement is locked by another session (a migration?); EXPLAIN gave up after 500 ms instead of queueing behind the lock and blocking others (${text}).`,
      err.code,
      'server',
    );
  }
  if (err.code === '57014') {
    return new ExplainError(`The statement ran into Ledgerlint's 3 s statement timeout and was cancelled (${text}).`, err.code, 'server');
  }
  return new ExplainError(text, err.code, 'server');
}
