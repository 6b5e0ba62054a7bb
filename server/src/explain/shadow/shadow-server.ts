/**
 * The shadow database: a PostgreSQL cluster of Ledgerlint's own, in the extension's storage, started
 * lazily as a separate process (a hung migration cannot freeze the language server), holding only
 * the schema the workspace's migrations build. Appended migrations are applied on top; a changed or
 * removed one rebuilds the database from scratch. The database records what it holds
 * (applied-record.ts), so a restart of the language server re-applies nothing that did not change.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import type { ResolvedConnection } from '../connection-sources';
import { applyMigrations, type ApplyResult, type MigrationSource } from './apply-migrations';
import { appliedPrefix, asApplied, createRecord, readRecord, recordApplied, setDirty, type AppliedMigration } from './applied-record';
import type { PostgresBinaries } from './postgres-binaries';

const run = promisify(execFile);
export const SHADOW_DATABASE = 'ledgerlint_shadow';
/** Shown on every plan from the shadow database. */
export const SHADOW_LABEL = 'shadow database, empty tables: costs are not representative';

export interface ShadowServerOptions {
  /** The extension's storage folder for this workspace; the cluster lives in `<storageDir>/pgdata`. */
  storageDir: string;
  binaries: PostgresBinaries;
  /** Run initdb/pg_ctl as this OS user (they refuse root); tests running as root pass `postgres`. */
  runAs?: string;
}

export class ShadowServer {
  private socketDir: string | undefined;
  private port = 0;
  private running = false;
  private applied: AppliedMigration[] = [];
  /** A failed apply leaves a half-applied migration behind: the next rebuild starts over. */
  private dirty = true;
  /** What the last start() found in the cluster's own record (for logs and tests). */
  resumed: { applied: number } | undefined;

  constructor(private readonly options: ShadowServerOptions) {}

  private get dataDir(): string {
    return path.join(this.options.storageDir, 'pgdata');
  }

  private async pg(tool: string, args: string[]): Promise<void> {
    const cmd = path.join(this.options.binaries.bin, tool);
    const [file, argv] = this.options.runAs ? ['runuser', ['-u', this.options.runAs, '--', cmd, ...args]] : [cmd, args];
    try {
      await run(file, argv, { timeout: 60_000 });
    } catch (error) {
      const err = error as { stderr?: string; message?: string };
      throw new Error(`${tool} failed: ${(err.stderr || err.message || String(error)).trim().split('\n').slice(-2).join(' ')}`);
    }
  }

  private chown(dir: string): Promise<unknown> {
    return this.options.runAs ? run('chown', [this.options.runAs, dir]) : Promise.resolve();
  }

  /** Starts the cluster, creating it on first use (initdb takes a few seconds once). */
  async start(): Promise<void> {
    if (this.running) return;
    if (process.getuid?.() === 0 && !this.options.runAs) throw new Error('the shadow database cannot run as root (initdb refuses it)');
    const parent = path.dirname(this.options.storageDir);
    if (this.options.runAs && !fs.existsSync(parent)) {
      // The other user must be able to pass through the folder we create for it (and only pass through).
      fs.mkdirSync(parent, { recursive: true });
      fs.chmodSync(parent, 0o711);
    }
    fs.mkdirSync(this.options.storageDir, { recursive: true, mode: 0o700 });
    await this.chown(this.options.storageDir);
    if (!fs.existsSync(path.join(this.dataDir, 'PG_VERSION'))) {
      await this.pg('initdb', ['-D', this.dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--locale=C']);
    }
    // A server left running by a language server that was killed: take the folder back.
    if (fs.existsSync(path.join(this.dataDir, 'postmaster.pid'))) await this.pg('pg_ctl', ['-D', this.dataDir, '-m', 'fast', '-w', 'stop']).catch(() => undefined);
    // A short private socket directory: storage paths can exceed the 107-byte socket path limit.
    this.socketDir = fs.mkdtempSync(path.join(os.tmpdir(), 'llshadow-'));
    await this.chown(this.socketDir);
    this.port = 5433 + Math.floor(Math.random() * 20000);
    const settings = `-p ${this.port} -k ${this.socketDir} -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=16MB -c max_connections=10`;
    await this.pg('pg_ctl', ['-D', this.dataDir, '-o', settings, '-l', path.join(this.options.storageDir, 'server.log'), '-w', '-t', '30', 'start']);
    this.running = true;
    await this.resume();
  }

  /** Picks up the record the database keeps of its migrations, so a restart re-applies nothing unchanged. */
  private async resume(): Promise<void> {
    this.dirty = true;
    this.applied = [];
    this.resumed = undefined;
    const admin = await this.client('postgres');
    try {
      const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [SHADOW_DATABASE]);
      if (!found.rows.length) return;
    } finally {
      await admin.end();
    }
    const db = await this.client(SHADOW_DATABASE);
    try {
      const record = await readRecord(db);
      if (!record || record.dirty) return;
      this.applied = record.applied;
      this.dirty = false;
      this.resumed = { applied: record.applied.length };
    } finally {
      await db.end();
    }
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    await this.pg('pg_ctl', ['-D', this.dataDir, '-m', 'fast', '-w', 'stop']).catch(() => undefined);
    if (this.socketDir) fs.rmSync(this.socketDir, { recursive: true, force: true });
  }

  connection(database = SHADOW_DATABASE): ResolvedConnection {
    return { source: 'settings', config: { host: this.socketDir ?? '', port: this.port, user: 'postgres', database }, label: SHADOW_LABEL };
  }

  private async client(database: string): Promise<Client> {
    const c = new Client({ host: this.socketDir, port: this.port, user: 'postgres', database, application_name: 'ledgerlint-shadow' });
    c.on('error', () => undefined);
    await c.connect();
    return c;
  }

  /**
   * Brings the shadow database to `migrations`: only the new ones when earlier ones are unchanged,
   * otherwise a fresh database and all of them.
   */
  async rebuild(migrations: readonly MigrationSource[]): Promise<ApplyResult & { rebuiltFromScratch: boolean }> {
    await this.start();
    const prefix = appliedPrefix(this.applied, migrations);
    const fresh = this.dirty || prefix < this.applied.length;
    if (fresh) {
      const admin = await this.client('postgres');
      try {
        await admin.query(`DROP DATABASE IF EXISTS ${SHADOW_DATABASE} WITH (FORCE)`);
        await admin.query(`CREATE DATABASE ${SHADOW_DATABASE} TEMPLATE template0`);
      } finally {
        await admin.end();
      }
      this.applied = [];
    }
    const todo = migrations.slice(this.applied.length);
    // The record is written on a connection of its own: a migration may leave its session with a
    // changed search_path or inside a failed transaction.
    const meta = await this.client(SHADOW_DATABASE);
    const db = await this.client(SHADOW_DATABASE);
    try {
      if (fresh) await createRecord(meta);
      else if (todo.length) await setDirty(meta, true);
      const result = await applyMigrations(db, todo);
      const done = todo.slice(0, result.applied).map(asApplied);
      await recordApplied(meta, this.applied.length, done);
      this.applied = [...this.applied, ...done];
      this.dirty = !!result.failure;
      await setDirty(meta, this.dirty);
      return { ...result, applied: this.applied.length, rebuiltFromScratch: fresh };
    } finally {
      await db.end();
      await meta.end();
    }
  }
}
