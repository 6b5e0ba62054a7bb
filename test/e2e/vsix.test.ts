/**
 * The packaged extension, as a user gets it: vsce packages the .vsix, code-server installs it with
 * --install-extension, and the workbench opens a fixture workspace with no extensionDevelopmentPath,
 * so everything Ledgerlint runs comes from the installed folder (no node_modules anywhere above it).
 * A squiggle and a Problems entry prove the client, the bundled server and the parser's .wasm load.
 * Prerequisites: scripts/e2e-setup.sh and npm run build (see prerequisites.ts).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { Browser } from 'playwright-core';
import { installExtension, startCodeServer, type CodeServer } from './lib/code-server';
import { fixtureWorkspace } from './lib/paths';
import { makeScratch } from './lib/scratch';
import { packageVsix } from './lib/vsix';
import { editorShowing, launchChromium, problemsListing, remoteUri, workbenchUrl, writeUserSettings } from './lib/workbench';
import { check } from './prerequisites';

const FILE = 'migrations/0001_create_payments.sql';
const FINDING = 'payments.amount stores money as float';
const ready = check();

/** Every file under dir, relative to it. */
function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath ?? e.path, e.name)));
}

/** The tails of the extension host's log and Ledgerlint's output channel, for a failure message. */
function extensionLogs(userDataDir: string): string {
  const logs = path.join(userDataDir, 'logs');
  if (!fs.existsSync(logs)) return `no logs in ${logs}`;
  const wanted = filesUnder(logs).filter((f) => /exthost\.log$|ledgerlint/i.test(f));
  return wanted.map((f) => `--- ${f}\n${fs.readFileSync(path.join(logs, f), 'utf8').slice(-2000)}`).join('\n') || `no extension host log in ${logs}`;
}

test('the packaged .vsix installs in code-server and reports findings from its own files', { skip: !ready.ok && ready.reason, timeout: 300_000 }, async () => {
  const scratch = makeScratch('vsix');
  const t0 = Date.now();
  const phase = (name: string) => console.log(`vsix: ${name} at ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  try {
    const vsix = packageVsix(scratch.dir, scratch.env);
    phase(`packaged (${(fs.statSync(vsix).size / 1e6).toFixed(2)} MB)`);
    const userDataDir = path.join(scratch.dir, 'user');
    const extensionsDir = path.join(scratch.dir, 'ext');
    writeUserSettings(userDataDir);
    installExtension(vsix, { env: scratch.env, userDataDir, extensionsDir });
    phase('installed');
    const installed = fs.readdirSync(extensionsDir).filter((d) => d.startsWith('ledgerlint.ledgerlint-'));
    assert.equal(installed.length, 1, `expected one ledgerlint.ledgerlint-* folder in ${extensionsDir}, got ${fs.readdirSync(extensionsDir).join(', ')}`);
    const files = filesUnder(path.join(extensionsDir, installed[0]));
    for (const shipped of ['package.json', 'dist/client.js', 'dist/server.js', 'dist/server-main.js', 'dist/cli-typescript.js', 'dist/libpg-query.wasm']) {
      assert.ok(files.includes(shipped), `the installed extension lacks ${shipped}; it has: ${files.join(', ')}`);
    }
    assert.deepEqual(files.filter((f) => f.split(path.sep).includes('node_modules')), [], 'the .vsix must not depend on node_modules');
    // Module resolution walks up from the installed folder: nothing above it may lend a package.
    for (let dir = extensionsDir; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
      assert.equal(fs.existsSync(path.join(dir, 'node_modules')), false, `${dir}/node_modules would hide a missing bundled dependency`);
    }

    const workspace = scratch.copy(fixtureWorkspace, 'ws');
    server = await startCodeServer({ env: scratch.env, userDataDir, extensionsDir });
    browser = await launchChromium(scratch.env);
    const page = await browser.newPage({ viewport: { width: 1200, height: 720 } });
    // Generous: on a busy 2-core machine the workbench takes 30-60 s to show a file.
    page.setDefaultTimeout(90_000);
    await page.goto(workbenchUrl(server.origin, workspace, [['openFile', remoteUri(server.port, path.join(workspace, FILE))]]), { waitUntil: 'commit' });
    const editor = await editorShowing(page, '0001_create_payments.sql', 'CREATE TABLE payments');
    phase('editor shows the file');
    await editor.locator('.squiggly-error').first().waitFor({ state: 'visible' }).catch((error) => {
      throw new Error(`${(error as Error).message}\n${extensionLogs(userDataDir)}`);
    });
    phase('squiggle');
    const problems = await problemsListing(page, editor, FINDING);
    assert.match(problems, /money-float-type/);
    assert.match(problems, /0001_create_payments\.sql/);
    phase('problems panel');
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    scratch.remove();
  }
});
