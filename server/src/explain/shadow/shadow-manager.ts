/**
 * One workspace folder's shadow database, for when no database is configured: started on first use,
 * rebuilt (debounced) when migrations change, and the source of a diagnostic on the statement
 * PostgreSQL rejects. Opt-in (`ledgerlint.explain.shadowDatabase`): it runs a PostgreSQL server
 * process from the machine's own installation.
 */
import * as fs from 'node:fs';
import type { ResolvedConnection } from '../connection-sources';
import { discoverMigrations, type MigrationsConfig } from '../../workspace/discover';
import { sqlMigrateSections } from '../../workspace/conventions';
import { failureMessage, migrationsDigest, type MigrationFailure, type MigrationSource } from './apply-migrations';
import { findPostgresBinaries, type PostgresBinaries } from './postgres-binaries';
import { ShadowServer } from './shadow-server';

export interface ShadowManagerOptions {
  root: string;
  storageDir: string;
  migrations: () => MigrationsConfig | undefined;
  /** Open editors' text wins over the disk. */
  textOf: (absolutePath: string) => string | undefined;
  binaries?: PostgresBinaries;
  /** Called when the failing statement changed (appeared, moved, disappeared). */
  onFailureChange?: () => void;
  log?: (message: string) => void;
}

/** The workspace's forward migrations in run order, with their current text. */
export function workspaceMigrations(root: string, config: MigrationsConfig | undefined, textOf: (p: string) => string | undefined): MigrationSource[] {
  return discoverMigrations(root, config)
    .files.filter((f) => f.role !== 'down')
    .sort((a, b) => a.order - b.order)
    .map((f) => {
      const text = textOf(f.path) ?? readOrEmpty(f.path);
      return { path: f.path, text: f.sections ? upOnly(text) : text };
    });
}

/** sql-migrate keeps Up and Down in one file: blank everything but Up, keeping offsets for diagnostics. */
function upOnly(text: string): string {
  const up = sqlMigrateSections(text).up;
  if (!up) return '';
  const blank = (part: string) => part.replace(/[^\n]/g, ' ');
  return blank(text.slice(0, up.start)) + text.slice(up.start, up.end) + blank(text.slice(up.end));
}

function readOrEmpty(p: string): string {
  try {
    return fs.readFileSync(p, 'utf8');
  } catch {
    return '';
  }
}

export class ShadowManager {
  private server: ShadowServer | undefined;
  private digest: string | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private unavailable: string | undefined;
  failure: MigrationFailure | undefined;

  constructor(private readonly options: ShadowManagerOptions) {}

  /** The shadow database's connection, brought up to date first; undefined when it cannot run. */
  async connection(): Promise<ResolvedConnection | undefined> {
    await this.refresh();
    return this.server && !this.unavailable ? this.server.connection() : undefined;
  }

  /** Why there is no shadow database (no PostgreSQL installed, ...), if so. */
  get reason(): string | undefined {
    return this.unavailable;
  }

  /** After a migration edit: rebuild soon, not on every keystroke. */
  schedule(delayMs = 800): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), delayMs);
  }

  refresh(): Promise<void> {
    const next = this.queue.then(() => this.refreshNow());
    this.queue = next.catch(() => undefined);
    return next.catch((error) => {
      this.options.log?.(`Shadow database: ${(error as Error).message}`);
    });
  }

  /** The diagnostic for `absolutePath`, if the failing statement is in it. */
  diagnosticFor(absolutePath: string): { start: number; end: number; message: string } | undefined {
    const f = this.failure;
    return f && f.path === absolutePath ? { start: f.start, end: f.end, message: failureMessage(f) } : undefined;
  }

  async dispose(): Promise<void> {
    clearTimeout(this.timer);
    await this.queue.catch(() => undefined);
    await this.server?.stop();
  }

  private async refreshNow(): Promise<void> {
    const migrations = workspaceMigrations(this.options.root, this.options.migrations(), this.options.textOf);
    const digest = migrationsDigest(migrations);
    if (digest === this.digest && this.server) return;
    if (!this.server) {
      const binaries = this.options.binaries ?? findPostgresBinaries();
      if (!binaries) {
        this.unavailable = 'no PostgreSQL installation was found (initdb and pg_ctl); install PostgreSQL to use the shadow database';
        return;
      }
      // initdb refuses root; as root (containers, CI) the cluster runs as `postgres` when that user exists.
      const runAs = process.getuid?.() === 0 && fs.existsSync('/usr/sbin/runuser') ? 'postgres' : undefined;
      this.server = new ShadowServer({ storageDir: this.options.storageDir, binaries, runAs });
    }
    const before = JSON.stringify(this.failure ?? null);
    const started = performance.now();
    let result;
    try {
      result = await this.server.rebuild(migrations);
    } catch (error) {
      this.unavailable = `the shadow database could not start: ${(error as Error).message}`;
      throw error;
    }
    this.unavailable = undefined;
    this.digest = digest;
    this.failure = result.failure;
    const how = result.rebuiltFromScratch ? 'rebuilt from scratch' : `${result.statements} statement(s) run on top of the recorded ones`;
    this.options.log?.(`Shadow database: ${result.applied}/${migrations.length} migrations applied (${how}) in ${Math.round(performance.now() - started)} ms${result.failure ? ` (stopped at ${result.failure.path})` : ''}`);
    if (JSON.stringify(this.failure ?? null) !== before) this.options.onFailureChange?.();
  }
}
