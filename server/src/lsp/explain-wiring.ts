// Hover, CodeLens and the `ledgerlint/explain` request: find the statement under the cursor and
// hand it to the ExplainService. Where the connection comes from is decided here; everything
// that touches the database stays in explain/.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { resolveConnection, type ResolvedConnection } from '../explain/connection-sources';
import { ExplainService, type HoverResult } from '../explain/explain-service';
import { codeLensTitle } from '../explain/markdown';
import type { TableVersion } from '../explain/plan-cache';
import type { ExistingIndex } from '../explain/plan-model';
import type { SchemaModel, TableModel } from '../model/schema';
import type { SqlFile, Statement } from '../sql/document';
import { statementType } from '../sql/document';
import { segmentIndexAt } from '../sql/statement';
import type { ConnectionSettings, ExplainResult, StatusParams } from '../protocol';

const EXPLAINABLE = new Set(['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);
const WRITES = new Set(['InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);

export interface ConnectionState {
  trusted: boolean;
  settings?: ConnectionSettings;
  password?: string;
  disconnected: boolean;
  /** Workspace folder root, for `.env` and `drizzle.config.ts`. */
  root?: string;
}

function readIfExists(file: string | undefined): string | undefined {
  if (!file) return undefined;
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

export function connectionFor(state: ConnectionState): ResolvedConnection | undefined {
  if (!state.trusted || state.disconnected) return undefined;
  const root = state.root;
  const drizzleConfig = root ? ['drizzle.config.ts', 'drizzle.config.js', 'drizzle.config.mjs'].map((f) => readIfExists(path.join(root, f))).find((t) => t !== undefined) : undefined;
  return resolveConnection({
    settings: state.settings && Object.values(state.settings).some((v) => v !== undefined && v !== '') ? state.settings : undefined,
    settingsPassword: state.password,
    envFileText: root ? readIfExists(path.join(root, '.env')) : undefined,
    drizzleConfigText: drizzleConfig,
    env: process.env,
    pgpassText: readIfExists(process.env.PGPASSFILE ?? path.join(os.homedir(), '.pgpass')),
  });
}

/** The explainable statement that contains `offset`, if any. */
export function statementAt(file: SqlFile, offset: number): Statement | undefined {
  const stmt = file.statements[segmentIndexAt(file.statements, offset)];
  return stmt && EXPLAINABLE.has(statementType(stmt) ?? '') ? stmt : undefined;
}

export function isWrite(stmt: Statement): boolean {
  return WRITES.has(statementType(stmt) ?? '');
}

export function toExplainResult(r: HoverResult): ExplainResult {
  return {
    markdown: r.markdown,
    planJson: r.result?.json,
    findings: r.findings,
    ...(r.result ? { sql: r.result.statement.sql } : {}),
    ...(r.error ? { error: r.error.message } : {}),
  };
}

export function statusOf(r: HoverResult, connection: ResolvedConnection | undefined): StatusParams {
  if (!connection) return { state: 'disconnected' };
  if (r.error) return { state: 'error', connectionLabel: connection.label, message: r.error.message };
  const num = r.result?.serverVersionNum;
  const serverVersion = num ? `${Math.floor(num / 10000)}.${num % 10000}` : undefined;
  return { state: 'connected', connectionLabel: connection.label, serverVersion };
}

/**
 * The status bar learns about connections made by `ledgerlint/setConnection`; a hover that connected
 * through `.env`, `drizzle.config.ts` or `PG*` must show there too. Announces each connection once.
 */
export class ConnectedAnnouncer {
  private last: string | undefined;

  /**
   * The status to send after this hover: it connected somewhere the status bar does not show yet, or
   * the database went away (stopped, network gone), so the status bar stops claiming a connection.
   */
  after(result: HoverResult, connection: () => ResolvedConnection | undefined): StatusParams | undefined {
    const unreachable = result.error?.kind === 'connect' || result.error?.kind === 'lost';
    if (!unreachable && (!result.result || result.error)) return undefined;
    const resolved = connection();
    if (unreachable && !resolved) return undefined;
    const status = statusOf(result, resolved);
    if ((status.state !== 'connected' && !unreachable) || keyOf(status) === this.last) return undefined;
    this.last = keyOf(status);
    return status;
  }

  /** A status sent by other means (connect, disconnect). */
  sent(status: StatusParams): void {
    this.last = keyOf(status);
  }
}

/** Unreachable is said once per outage, whatever each failed attempt's wording. */
function keyOf(status: StatusParams): string {
  return JSON.stringify(status.state === 'error' ? [status.state, status.connectionLabel] : status);
}

export function lensTitle(r: HoverResult): string | undefined {
  return r.plan ? codeLensTitle(r.plan, r.findings) : undefined;
}

/**
 * What of a table can change its plans: columns and types, keys, indexes, partitioning. Source
 * positions are left out, so editing an unrelated line above a CREATE TABLE keeps its plans.
 */
function tableShape(table: TableModel): string {
  return JSON.stringify([
    [...table.columns.values()].map((c) => [c.name, c.type.written, c.notNull, c.defaultExpr ?? null, !!c.generated]),
    table.primaryKey?.columns ?? null,
    table.uniques.map((u) => [u.columns, u.where ?? null]),
    table.foreignKeys.map((f) => [f.columns, f.refTable, f.refColumns, f.validated]),
    table.indexes.map((i) => [i.name ?? null, i.columns, i.method, i.unique, i.where ?? null]),
    table.checks.map((c) => [c.expr, c.validated]),
    table.partitionBy ?? null,
    table.partitionOf ?? null,
  ]);
}

/** For `ExplainService.tableVersion`: the table's shape in the workspace model, read when a plan is used. */
export function modelTableVersion(schema: () => SchemaModel): TableVersion {
  return (name) => {
    const table = schema().table(name);
    return table ? tableShape(table) : undefined;
  };
}

/** For `ExplainService.workspaceIndexes`: indexes (and primary keys, unique constraints) the migrations create. */
export function modelIndexes(schema: () => SchemaModel): (tables: string[]) => ExistingIndex[] {
  return (tables) => tables.flatMap((name) => {
    const table = schema().table(name);
    if (!table) return [];
    const made = (columns: string[], file: string, indexName: string | undefined, unique: boolean, predicate?: string, method = 'btree'): ExistingIndex => ({
      table: table.name, name: indexName ?? `${table.name}_${columns.join('_')}_idx`, columns, predicate, method, unique, valid: true, source: 'workspace', file: path.basename(file),
    });
    return [
      ...(table.primaryKey ? [made(table.primaryKey.columns, table.primaryKey.source.file, table.primaryKey.name ?? `${table.name}_pkey`, true)] : []),
      ...table.uniques.map((u) => made(u.columns, u.source.file, u.name, true, u.where)),
      ...table.indexes.map((i) => made(i.columns, i.source.file, i.name, i.unique, i.where, i.method)),
    ];
  });
}

export { ExplainService };
