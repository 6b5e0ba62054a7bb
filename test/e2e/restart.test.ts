/**
 * "Ledgerlint: Restart Language Server" from VS Code's command palette (code-server in Debian's
 * Chromium, Playwright): a migration shows its finding, the command runs, the old server process
 * exits and a new one starts, the finding comes back (the client clears diagnostics on restart,
 * so what shows afterwards was published by the new server) and an edit typed afterwards is checked.
 * Both servers were started over stdio (client/src/extension.ts), with the extension's node flags.
 * Prerequisites: scripts/e2e-setup.sh and npm run build (see prerequisites.ts).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { Browser } from 'playwright-core';
import { startCodeServer, type CodeServer } from './lib/code-server';
import { repoRoot } from './lib/paths';
import { makeScratch } from './lib/scratch';
import { editorShowing, launchChromium, remoteUri, workbenchUrl, writeUserSettings } from './lib/workbench';
import { check } from './prerequisites';

const FILE = 'payments.sql';
const ready = check();

/** Language servers (dist/server.js) running below code-server's process, by pid. */
function serverPids(root: number): number[] {
  const children = new Map<number, number[]>();
  const cmdlines = new Map<number, string>();
  for (const entry of fs.readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), pid]);
      cmdlines.set(pid, fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
    } catch {
      // Gone while we looked.
    }
  }
  const server = path.join(repoRoot, 'dist', 'server.js');
  const out: number[] = [];
  const walk = (pid: number) => {
    for (const child of children.get(pid) ?? []) {
      if (cmdlines.get(child)?.includes(server)) out.push(child);
      walk(child);
    }
  };
  walk(root);
  return out;
}

/** The server's command line: the extension's node flags, then the bundle with --stdio (not --node-ipc). */
function assertStartedOverStdio(pid: number): void {
  const args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  const bundle = args.findIndex((a) => a.endsWith(path.join('dist', 'server.js')));
  assert.ok(bundle > 0, `the server's command line: ${args.join(' ')}`);
  assert.ok(args.slice(1, bundle).includes('--max-semi-space-size=8'), `the extension's node flags: ${args.join(' ')}`);
  assert.ok(args.slice(bundle + 1).includes('--stdio') && !args.includes('--node-ipc'), `started over stdio: ${args.join(' ')}`);
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('restart: the command palette restarts the language server; findings come back and edits are checked', { skip: !ready.ok && ready.reason, timeout: 240_000 }, async () => {
  const scratch = makeScratch('restart');
  const t0 = Date.now();
  const phase = (name: string) => console.log(`restart: ${name} at ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  try {
    const workspace = path.join(scratch.dir, 'ws');
    fs.mkdirSync(workspace);
    fs.writeFileSync(path.join(workspace, FILE), 'CREATE TABLE payments (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  amount float NOT NULL\n);\n');
    const userDataDir = path.join(scratch.dir, 'user');
    writeUserSettings(userDataDir);
    server = await startCodeServer({ env: scratch.env, userDataDir, extensionsDir: path.join(scratch.dir, 'ext') });
    browser = await launchChromium(scratch.env);
    const page = await browser.newPage({ viewport: { width: 1200, height: 720 } });
    // Generous: on a busy 2-core machine the workbench takes 30-60 s to show a file.
    page.setDefaultTimeout(90_000);
    await page.goto(workbenchUrl(server.origin, workspace, [
      ['extensionDevelopmentPath', remoteUri(server.port, repoRoot)],
      ['openFile', remoteUri(server.port, path.join(workspace, FILE))],
    ]), { waitUntil: 'commit' });

    const editor = await editorShowing(page, FILE, 'CREATE TABLE payments');
    const floatSquiggle = editor.locator('.squiggly-error');
    await floatSquiggle.first().waitFor({ state: 'visible' });
    phase('finding shown');
    const root = server.pid;
    const [before] = await until('one language server below code-server', () => {
      const pids = serverPids(root);
      return pids.length === 1 ? pids : undefined;
    }, 30_000);
    assertStartedOverStdio(before);

    // The command palette (F1: Ctrl+Shift+P may be taken by the browser), as a user runs it.
    await editor.click({ position: { x: 300, y: 100 } });
    await page.keyboard.press('F1');
    await page.keyboard.type('Ledgerlint: Restart Language Server');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Restart Language Server' }).first().waitFor({ state: 'visible' });
    await page.keyboard.press('Enter');
    phase('restart command run');

    await until(`the old server (pid ${before}) to exit`, () => (fs.existsSync(`/proc/${before}`) ? undefined : true), 30_000);
    const after = await until('a new language server', () => serverPids(root).find((p) => p !== before), 30_000);
    phase(`old server ${before} gone, new server ${after}`);
    assert.deepEqual(serverPids(root), [after], 'exactly one language server after the restart');
    assertStartedOverStdio(after);

    // The client cleared the old server's diagnostics when it stopped: this squiggle is the new server's.
    await floatSquiggle.first().waitFor({ state: 'visible' });
    phase('finding back');

    // An edit after the restart is checked: an UPDATE without WHERE gets its own squiggle.
    const squigglesBefore = await floatSquiggle.count();
    await editor.locator('.view-line', { hasText: ');' }).last().click();
    await page.keyboard.press('End');
    await page.keyboard.type('\nUPDATE payments SET amount = 0;');
    await editor.locator('.view-line', { hasText: 'UPDATE payments SET amount = 0;' }).waitFor();
    for (const deadline = Date.now() + 60_000; (await floatSquiggle.count()) <= squigglesBefore; ) {
      if (Date.now() > deadline) throw new Error('no new squiggle on the UPDATE typed after the restart within 60 s');
      await new Promise((r) => setTimeout(r, 200));
    }
    await editor.locator('.view-line', { hasText: 'UPDATE payments' }).getByText('UPDATE').hover();
    const hover = page.locator('.monaco-hover', { hasText: 'unbounded-update-delete' });
    await hover.waitFor({ state: 'visible' });
    phase('edit checked');
    assert.deepEqual(serverPids(root), [after], 'the edit was checked by the new server alone');
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    scratch.remove();
  }
});
