/**
 * A throw-away system PostgreSQL 15 (Debian) with hypopg available, for what-if index tests. The
 * embedded PostgreSQL 18 from npm cannot load extensions it does not ship, so these tests use the
 * system binaries. initdb and pg_ctl refuse to run as root: as root they run as `postgres`.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from '../../helpers/embedded-pg';

export const PG15_BIN = '/usr/lib/postgresql/15/bin';
export const HYPOPG_SO = '/usr/lib/postgresql/15/lib/hypopg.so';

/** Why the suite is skipped, or undefined when it must run. With CI set it always runs (and fails if hypopg is missing). */
export function skipReason(): string | undefined {
  if (fs.existsSync(HYPOPG_SO) && fs.existsSync(path.join(PG15_BIN, 'pg_ctl'))) return undefined;
  if (process.env.CI) return undefined;
  return `hypopg for PostgreSQL 15 is not installed (${HYPOPG_SO} missing): apt-get install postgresql-15-hypopg to run the what-if index tests`;
}

export interface Pg15 {
  port: number;
  host: string;
  config: { host: string; port: number; user: string; database: string };
  url: string;
  stop(): Promise<void>;
}

function asPostgres(args: string[]): string[] {
  return process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--', ...args] : args;
}

function run(args: string[]): void {
  const cmd = asPostgres(args);
  execFileSync(cmd[0], cmd.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
}

export async function startPg15(): Promise<Pg15> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlint-pg15-'));
  const root = process.getuid?.() === 0;
  if (root) execFileSync('chown', ['postgres:postgres', dir]);
  const data = path.join(dir, 'data');
  const port = await freePort();
  let started = false;
  const stop = async () => {
    if (started) {
      try {
        run([path.join(PG15_BIN, 'pg_ctl'), '-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // Already gone.
      }
      started = false;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    run([path.join(PG15_BIN, 'initdb'), '-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
    const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c shared_buffers=32MB`;
    run([path.join(PG15_BIN, 'pg_ctl'), '-D', data, '-o', opts, '-l', path.join(dir, 'log'), '-w', '-t', '30', 'start']);
    started = true;
  } catch (error) {
    await stop();
    const err = error as { stderr?: Buffer };
    throw new Error(`PostgreSQL 15 did not start: ${err.stderr?.toString().trim() ?? String(error)}`);
  }
  return { port, host: '127.0.0.1', config: { host: '127.0.0.1', port, user: 'postgres', database: 'postgres' }, url: `postgresql://postgres@127.0.0.1:${port}/postgres`, stop };
}
