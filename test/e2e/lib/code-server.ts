/**
 * Starts code-server (VS Code served to a browser; its Node extension host runs here) on a port
 * the OS picks, and stops it with everything it spawned (extension host, language server).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { codeServerEntry } from './paths';

export interface CodeServer {
  port: number;
  /** code-server's own process: the extension host and the language server run below it. */
  pid: number;
  origin: string;
  /** Everything code-server printed, for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

export interface CodeServerOptions {
  env: NodeJS.ProcessEnv;
  userDataDir: string;
  extensionsDir: string;
  startTimeoutMs?: number;
}

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  fs.mkdirSync(options.userDataDir, { recursive: true });
  fs.mkdirSync(options.extensionsDir, { recursive: true });
  const args = [
    codeServerEntry,
    '--auth', 'none',
    // Port 0: the OS picks a free port, so parallel runs never collide; code-server prints it.
    '--bind-addr', '127.0.0.1:0',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir', options.userDataDir,
    '--extensions-dir', options.extensionsDir,
  ];
  // detached: its own process group, so stop() reaches the extension host and language server too.
  const child = spawn(process.execPath, args, {
    cwd: path.dirname(codeServerEntry),
    env: { ...options.env, EXTENSIONS_GALLERY: '{}' },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const stop = () => killGroup(child);
  try {
    const port = await waitForPort(child, () => output, options.startTimeoutMs ?? 30_000);
    const origin = `http://127.0.0.1:${port}`;
    await waitForHealth(origin, 15_000);
    return { port, pid: child.pid!, origin, log: () => output, stop };
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\ncode-server output:\n${output.slice(-4000)}`);
  }
}

function waitForPort(child: ChildProcess, output: () => string, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`code-server did not report its port within ${timeoutMs} ms`)), timeoutMs);
    const poll = setInterval(() => {
      const match = /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output());
      if (match) done(undefined, Number(match[1]));
    }, 100);
    const onExit = (code: number | null) => done(new Error(`code-server exited early (code ${code})`));
    child.once('exit', onExit);
    function done(error?: Error, port?: number) {
      clearTimeout(timer);
      clearInterval(poll);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(port!);
    }
  });
}

async function waitForHealth(origin: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`code-server ${origin}/healthz did not answer within ${timeoutMs} ms (${last})`);
}

/** SIGTERM to the whole group, then SIGKILL whatever is left after 5 s. */
export async function killGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined) return;
  const signal = (sig: NodeJS.Signals | 0) => {
    try {
      process.kill(-child.pid!, sig);
      return true;
    } catch {
      return false; // the group is already gone
    }
  };
  if (!signal('SIGTERM')) return;
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    if (!signal(0)) return;
  }
  signal('SIGKILL');
}

/** Installs a .vsix the way a user would (`code-server --install-extension`), without starting a server. */
export function installExtension(vsix: string, options: Omit<CodeServerOptions, 'startTimeoutMs'>): void {
  const args = [codeServerEntry, '--user-data-dir', options.userDataDir, '--extensions-dir', options.extensionsDir, '--install-extension', vsix];
  const result = spawnSync(process.execPath, args, { cwd: path.dirname(codeServerEntry), env: { ...options.env, EXTENSIONS_GALLERY: '{}' }, encoding: 'utf8', timeout: 120_000 });
  if (result.status !== 0) throw new Error(`code-server --install-extension ${vsix} failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
}
