/**
 * The language server's entry point to EXPLAIN: one warm read-only connection, hovers serialised on it
 * (a BEGIN ... ROLLBACK must never interleave with another hover), cached plans, and clear markdown for
 * every failure instead of an exception.
 */
import { redact, type ResolvedConnection } from './connection-sources';
import { analysePlan, type Finding } from './insights';
import { hoverMarkdown, howToConnectMarkdown, type PlanCommandArgs } from './markdown';
import { PlanCache, type TableVersion } from './plan-cache';
import type { ExistingIndex, Plan } from './plan-model';
import { explain, type ExplainOptions, type ExplainResult } from './runner';
import { ExplainError, type ExplainSession, type SessionOptions } from './session';
import { SessionSlot } from './session-slot';

export interface ExplainServiceOptions {
  /** Resolves the connection each time (settings and files may have changed); undefined = none configured. */
  resolveConnection: () => ResolvedConnection | undefined | Promise<ResolvedConnection | undefined>;
  sessionOptions?: SessionOptions;
  /** Receives one-line, password-free messages. */
  log?: (message: string) => void;
  cacheSize?: number;
  /** The workspace model's version of a table: a cached plan of a table that changed is made again. */
  tableVersion?: TableVersion;
  /** Indexes the workspace's migrations create on these tables, so no fix suggests them again. */
  workspaceIndexes?: (tables: string[]) => ExistingIndex[];
}

export interface HoverOptions {
  analyze?: ExplainOptions['analyze'];
  paramTypes?: ExplainOptions['paramTypes'];
  forcePrepareGenericPath?: boolean;
  commandArgs?: PlanCommandArgs;
}

export interface HoverResult {
  markdown: string;
  plan?: Plan;
  findings: Finding[];
  result?: ExplainResult;
  /** Set when no plan could be shown. */
  error?: { message: string; code?: string; kind: ExplainError['kind'] | 'no-connection' };
}

export class ExplainService {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly cache: PlanCache<ExplainResult>;
  private disposed = false;

  private readonly slot: SessionSlot;

  constructor(private readonly options: ExplainServiceOptions) {
    this.cache = new PlanCache(options.cacheSize ?? 200);
    this.slot = new SessionSlot(options.sessionOptions);
  }

  hover(sqlText: string, options: HoverOptions = {}): Promise<HoverResult> {
    const next = this.queue.then(() => this.hoverNow(sqlText, options));
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** After a migration or a model change: plans of these tables are stale. */
  invalidateTables(tables: string[]): number {
    return this.cache.invalidateTables(tables);
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await this.queue.catch(() => undefined);
    await this.closeSession();
    this.cache.clear();
  }

  private async hoverNow(sqlText: string, options: HoverOptions): Promise<HoverResult> {
    if (this.disposed) return failure('The EXPLAIN service was shut down.', 'lost');
    let connection: ResolvedConnection | undefined;
    try {
      connection = await this.options.resolveConnection();
    } catch (error) {
      return this.noConnection(`reading the connection settings failed: ${redact((error as Error).message)}`);
    }
    if (!connection) return this.noConnection();
    if (this.options.tableVersion) {
      const changed = this.cache.dropChanged(this.options.tableVersion);
      if (changed.length) this.log(`The workspace model changed ${changed.join(', ')}: their cached plans were dropped.`);
    }
    const cacheKey = { sql: sqlText, params: { analyze: options.analyze ?? false, generic: options.forcePrepareGenericPath ?? false }, connectionLabel: connection.label };
    const cached = options.analyze ? undefined : this.cache.get(cacheKey);
    try {
      const result = cached ?? (await this.explainWithReconnect(connection, sqlText, options));
      // Views and partitions put other tables in the plan than the statement names.
      const tables = [...new Set([...result.statement.tables, ...result.plan.nodes.flatMap((n) => (n.relationName ? [n.relationName] : []))])];
      if (!options.analyze && !cached) this.cache.set(cacheKey, result, tables, this.options.tableVersion);
      const plan = this.withWorkspaceIndexes(result.plan, tables);
      const findings = analysePlan(plan);
      const markdown = hoverMarkdown(plan, findings, {
        serverVersion: this.slot.current?.serverVersion ?? String(result.serverVersionNum),
        connectionLabel: connection.label,
        planKind: result.planKind,
        commandArgs: options.commandArgs,
        note: result.note,
      });
      return { markdown, plan, findings, result };
    } catch (error) {
      const err = toExplainError(error, connection);
      this.log(`EXPLAIN failed (${err.kind}${err.code ? ` ${err.code}` : ''}): ${err.message}`);
      return failure(err.message, err.kind, err.code);
    }
  }

  /** The plan with the workspace's indexes beside the database's (a copy: cached plans stay as EXPLAIN said). */
  private withWorkspaceIndexes(plan: Plan, tables: string[]): Plan {
    let extra: ExistingIndex[] = [];
    try {
      extra = this.options.workspaceIndexes?.(tables) ?? [];
    } catch (error) {
      this.log(`Reading the workspace's indexes failed: ${(error as Error).message}`);
    }
    return extra.length ? { ...plan, existingIndexes: [...(plan.existingIndexes ?? []), ...extra] } : plan;
  }

  /**
   * A connection that died since the last hover (server restart, failover) gets one fresh attempt. A
   * server that stops answering (hung host, dropped network: no error ever comes) is given up on
   * after the statement timeout plus a grace period, and not retried in the same hover.
   */
  private async explainWithReconnect(connection: ResolvedConnection, sqlText: string, options: HoverOptions): Promise<ExplainResult> {
    for (let attempt = 0; ; attempt++) {
      const session = await this.sessionFor(connection);
      const deadlineMs = this.deadlineMs(options);
      let hung = false;
      const watchdog = setTimeout(() => {
        hung = true;
        session.destroy();
      }, deadlineMs);
      try {
        return await explain(session, sqlText, {
          analyze: options.analyze,
          paramTypes: options.paramTypes,
          forcePrepareGenericPath: options.forcePrepareGenericPath,
        });
      } catch (error) {
        if (hung) {
          await this.closeSession();
          throw new ExplainError(`${connection.label} did not answer within ${Math.round(deadlineMs / 1000)} s (the server or the network hangs); Ledgerlint will reconnect on the next hover.`, undefined, 'lost');
        }
        const lost = error instanceof ExplainError && error.kind === 'lost';
        if (lost || !session.alive) await this.closeSession();
        if (!(lost || !session.alive) || attempt >= 1) throw error;
        this.log(`Connection to ${connection.label} was lost; reconnecting.`);
      } finally {
        clearTimeout(watchdog);
      }
    }
  }

  /** Every statement has the server's statement timeout; EXPLAIN ANALYZE may run two (the estimate after a timeout). */
  private deadlineMs(options: HoverOptions): number {
    const statementTimeout = Number(this.options.sessionOptions?.settings?.statement_timeout) || 3000;
    return (options.analyze ? 2 : 1) * statementTimeout + 2000;
  }

  private async sessionFor(connection: ResolvedConnection): Promise<ExplainSession> {
    const { session, opened } = await this.slot.for(connection);
    if (opened) {
      this.cache.invalidateConnection(connection.label);
      this.log(`Connected to ${connection.label} (from ${connection.source}), PostgreSQL ${session.serverVersion}.`);
    }
    return session;
  }

  private closeSession(): Promise<void> {
    return this.slot.close();
  }

  private noConnection(reason?: string): HoverResult {
    return { markdown: howToConnectMarkdown(reason), findings: [], error: { message: reason ?? 'no connection configured', kind: 'no-connection' } };
  }

  private log(message: string): void {
    this.options.log?.(message);
  }
}

function toExplainError(error: unknown, connection: ResolvedConnection): ExplainError {
  if (error instanceof ExplainError) return new ExplainError(redact(error.message, [connection.config.password]), error.code, error.kind);
  const message = redact((error as Error)?.message ?? String(error), [connection.config.password]).split('\n')[0];
  return new ExplainError(`EXPLAIN failed: ${message}`, (error as { code?: string })?.code, 'server');
}

function failure(message: string, kind: ExplainError['kind'], code?: string): HoverResult {
  const title = kind === 'refused' ? 'not run' : kind === 'connect' ? 'cannot connect' : kind === 'lost' ? 'connection lost' : 'failed';
  return { markdown: `**EXPLAIN** ${title}: ${message}\n`, findings: [], error: { message, code, kind } };
}
