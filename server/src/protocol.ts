/**
 * Custom LSP messages between the Ledgerlint client (VS Code) and server.
 *
 * Both sides import this file; the client uses `import type` only, so no server code ends up in
 * the client bundle. That is why methods are described by the two maps below instead of
 * `RequestType` objects: a method name is checked by the compiler as a key of the map.
 *
 * Everything here travels as JSON: no classes, no functions, no `undefined`-only semantics.
 */
import type { WorkspaceEdit } from 'vscode-languageserver';

/** Zero-based LSP position (UTF-16 code units). */
export interface WirePosition {
  line: number;
  character: number;
}

/**
 * `initializationOptions` the client sends. The server must not open a database connection
 * while `workspaceTrusted` is false; the client restarts the server when trust is granted.
 */
export interface InitializationOptions {
  workspaceTrusted: boolean;
  clientVersion: string;
  /**
   * The extension's storage folder for this workspace (`context.storageUri`, or `globalStorageUri`
   * without a workspace), as a file-system path: the shadow database's cluster lives under it so it
   * survives restarts and reboots. Without it the server uses the temp folder.
   */
  storageDir?: string;
}

/** Non-secret connection settings, as in the `ledgerlint.database` setting. */
export interface ConnectionSettings {
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  sslmode?: 'disable' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';
  /** postgres://user@host:port/db; never contains a password. Wins over the other fields. */
  url?: string;
}

/**
 * `ledgerlint/explain`, client -> server: EXPLAIN the statement under `position`.
 *
 * `analyze` absent: plain EXPLAIN (nothing runs). `'select'`: EXPLAIN ANALYZE, which the server
 * only runs for a read-only statement. For INSERT/UPDATE/DELETE/MERGE it answers with
 * `requiresConfirmation` instead; the client then asks the user (triggers fire, sequences advance,
 * even though the server rolls the transaction back) and repeats with `'dml-confirmed'`.
 */
export interface ExplainParams {
  uri: string;
  position: WirePosition;
  analyze?: 'select' | 'dml-confirmed';
}

export interface ExplainResult {
  /** Human summary of the plan and its insights; also what the hover shows. */
  markdown: string;
  /** PostgreSQL's `EXPLAIN (FORMAT JSON)` output, untouched, for the plan view. */
  planJson?: unknown;
  /** Plan insights (rule-like findings about the plan). */
  findings?: unknown[];
  /** The statement that was explained, for the plan view's query tab. */
  sql?: string;
  /** Why there is no plan (no connection, not a statement, timeout...), said for a person. */
  error?: string;
  /** Set instead of running EXPLAIN ANALYZE on a data-modifying statement. */
  requiresConfirmation?: { statementKind: string; message: string };
}

/**
 * `ledgerlint/setConnection`, client -> server notification. `password` comes from VS Code's
 * secret storage and is only held in the server's memory. `disconnect: true` closes the pool.
 */
export interface SetConnectionParams {
  settings?: ConnectionSettings;
  password?: string;
  disconnect?: boolean;
}

/** `ledgerlint/status`, server -> client notification after every connection change. */
export interface StatusParams {
  state: 'connected' | 'disconnected' | 'error';
  /** e.g. `app@localhost:5432/payments`; never a password. */
  connectionLabel?: string;
  /** PostgreSQL `server_version`, e.g. `16.4`. */
  serverVersion?: string;
  message?: string;
}

/** `ledgerlint/fixAll`, client -> server: every safe fix for one document, as one edit. */
export interface FixAllParams {
  uri: string;
}
export type FixAllResult = WorkspaceEdit;

/** Requests: method -> params and result. */
export interface LedgerlintRequests {
  'ledgerlint/explain': { params: ExplainParams; result: ExplainResult };
  'ledgerlint/fixAll': { params: FixAllParams; result: FixAllResult };
}

/** Notifications: method -> params. Direction is noted on each params type. */
export interface LedgerlintNotifications {
  'ledgerlint/setConnection': SetConnectionParams;
  'ledgerlint/status': StatusParams;
}
