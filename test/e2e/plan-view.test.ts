/**
 * The plan view in a real VS Code (code-server in Debian's Chromium, Playwright): hover a query, click
 * "Open plan view" in the hover, and pev2 draws the plan inside the webview, under VS Code's own
 * resource URIs and the page's CSP, with Ledgerlint's findings beside it.
 * Prerequisites: scripts/e2e-setup.sh and npm run build (see prerequisites.ts).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { Browser, Frame } from 'playwright-core';
import type { EmbeddedPostgres } from '../helpers/embedded-pg';
import { startPlanDatabase } from './lib/plan-database';
import { startCodeServer, type CodeServer } from './lib/code-server';
import { repoRoot, screenshotsDir } from './lib/paths';
import { makeScratch } from './lib/scratch';
import { launchChromium, remoteUri, workbenchUrl, writeUserSettings } from './lib/workbench';
import { check } from './prerequisites';

const QUERY_FILE = 'pending.sql';
const ready = check();

/** The webview's content frame (VS Code nests it in two iframes) once pev2 has drawn nodes in it. */
async function planFrame(frames: () => Frame[], timeoutMs: number): Promise<Frame> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    for (const frame of frames()) {
      if (await frame.locator('body.pev2-ready .plan-node').count().catch(() => 0)) return frame;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`no webview frame with pev2 nodes after ${timeoutMs} ms (frames: ${frames().map((f) => f.url().slice(0, 80)).join(', ')})`);
}

test('plan view: the hover link opens pev2 in a webview with the findings', { skip: !ready.ok && ready.reason, timeout: 240_000 }, async () => {
  const scratch = makeScratch('planview');
  let pg: EmbeddedPostgres | undefined;
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  try {
    const workspace = path.join(scratch.dir, 'ws');
    fs.mkdirSync(workspace);
    pg = await startPlanDatabase(workspace);
    fs.writeFileSync(path.join(workspace, QUERY_FILE), "SELECT id, amount FROM payments WHERE status = 'pending';\n");

    const userDataDir = path.join(scratch.dir, 'user');
    writeUserSettings(userDataDir);
    server = await startCodeServer({ env: scratch.env, userDataDir, extensionsDir: path.join(scratch.dir, 'ext') });
    browser = await launchChromium(scratch.env);
    const page = await browser.newPage({ viewport: { width: 1400, height: 800 } });
    page.setDefaultTimeout(90_000);
    await page.goto(workbenchUrl(server.origin, workspace, [
      ['extensionDevelopmentPath', remoteUri(server.port, repoRoot)],
      ['openFile', remoteUri(server.port, path.join(workspace, QUERY_FILE))],
    ]), { waitUntil: 'commit' });

    const editor = page.locator(`.monaco-editor[data-uri$="${QUERY_FILE}"]`);
    const line = editor.locator('.view-lines', { hasText: 'FROM payments' });
    await line.waitFor();
    // The language server may still be starting when the file shows: hover again until the plan comes.
    const hover = page.locator('.monaco-hover', { hasText: /Seq Scan|Index Scan|Bitmap/ });
    const until = Date.now() + 120_000;
    for (;;) {
      await page.mouse.move(5, 5);
      await line.getByText('payments', { exact: true }).first().hover();
      if (await hover.waitFor({ state: 'visible', timeout: 10_000 }).then(() => true, () => false)) break;
      if (Date.now() > until) {
        const seen = await page.locator('.monaco-hover').allInnerTexts().catch(() => []);
        await page.screenshot({ path: path.join(scratch.env.TMPDIR ?? scratch.dir, 'no-plan-hover.png') }).catch(() => undefined);
        throw new Error(`no plan hover after 120 s; hovers shown: ${JSON.stringify(seen)}\n${server.log().slice(-2000)}`);
      }
    }
    await hover.getByRole('link', { name: 'Open plan view' }).click();

    const frame = await planFrame(() => page.frames(), 90_000);
    const nodes = await frame.locator('.plan-node').allInnerTexts();
    assert.ok(nodes.some((n) => /Seq Scan/.test(n) && /payments/.test(n)), nodes.join(' | '));
    const aside = await frame.locator('aside').innerText();
    assert.match(aside, /Findings/);
    assert.match(aside, /Seq Scan on payments reads 20,000 rows and discards 98%/);
    assert.match(aside, /CREATE INDEX CONCURRENTLY payments_status_idx ON payments \(status\);/);
    await page.mouse.move(700, 700);
    await page.keyboard.press('Escape');
    fs.mkdirSync(screenshotsDir, { recursive: true });
    await page.screenshot({ path: path.join(screenshotsDir, 'plan-view.png'), type: 'png' });
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    await pg?.stop();
    scratch.remove();
  }
});
