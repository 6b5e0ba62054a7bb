/**
 * Ledgerlint through VS Code's UI: code-server in Debian's Chromium, driven by Playwright. Opens a
 * fixture migration, waits for the squiggle, hovers it, opens the Problems panel, hovers a query
 * for its plan from a real PostgreSQL, and saves screenshots (docs/images/ with
 * LEDGERLINT_UPDATE_SCREENSHOTS=1, for the README).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { EmbeddedPostgres } from '../../helpers/embedded-pg';
import { startPlanDatabase } from '../lib/plan-database';
import { startCodeServer, type CodeServer } from '../lib/code-server';
import { fixtureWorkspace, repoRoot, screenshotsDir } from '../lib/paths';
import { makeScratch } from '../lib/scratch';
import { editorShowing, launchChromium, problemsListing, remoteUri, workbenchUrl, writeUserSettings } from '../lib/workbench';

const FILE = 'migrations/0001_create_payments.sql';
const FINDING = 'payments.amount stores money as float';
const QUERY_FILE = 'pending_payments.sql';

async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(screenshotsDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotsDir, name), type: 'png' });
}

export async function uiScenario(): Promise<void> {
  const scratch = makeScratch('ui');
  const t0 = Date.now();
  const phase = (name: string) => console.log(`ui: ${name} at ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let pg: EmbeddedPostgres | undefined;
  try {
    const workspace = scratch.copy(fixtureWorkspace, 'ws');
    pg = await startPlanDatabase(workspace);
    const userDataDir = path.join(scratch.dir, 'user');
    writeUserSettings(userDataDir);
    server = await startCodeServer({ env: scratch.env, userDataDir, extensionsDir: path.join(scratch.dir, 'ext') });
    phase('code-server up');
    browser = await launchChromium(scratch.env);
    phase('chromium up');
    const page = await browser.newPage({ viewport: { width: 1200, height: 720 } });
    // Generous: on a busy 2-core machine the workbench takes 30-60 s to show a file.
    page.setDefaultTimeout(90_000);
    const file = path.join(workspace, FILE);
    await page.goto(workbenchUrl(server.origin, workspace, [
      ['extensionDevelopmentPath', remoteUri(server.port, repoRoot)],
      ['openFile', remoteUri(server.port, file)],
    ]), { waitUntil: 'commit' });

    const editor = await editorShowing(page, '0001_create_payments.sql', 'CREATE TABLE payments');
    const squiggle = editor.locator('.squiggly-error').first();
    phase('editor shows the file');
    await squiggle.waitFor({ state: 'visible' });
    phase('squiggle');

    // The hover over the money column shows Ledgerlint's message. Not "the first squiggle": once the
    // workspace is indexed, 0001 has other error squiggles (RLS on payments, line 2) before it.
    await editor.locator('.view-line', { hasText: 'amount float' }).getByText(/float/).first().hover();
    const hover = page.locator('.monaco-hover', { hasText: FINDING });
    await hover.waitFor({ state: 'visible' });
    assert.match(await hover.innerText(), /money-float-type/);
    // Other hover providers may still be "Loading...": let them settle for a clean picture.
    for (const pending of ['Loading...', 'Checking for quick fixes...']) {
      await hover.getByText(pending).waitFor({ state: 'detached', timeout: 10_000 }).catch(() => undefined);
    }
    phase('hover');
    await screenshot(page, 'hover-money-float.png');

    // The Problems panel lists the finding with its rule id.
    await page.mouse.move(5, 700);
    const text = await problemsListing(page, editor, FINDING);
    assert.match(text, /money-float-type/);
    assert.match(text, /0001_create_payments\.sql/);
    await screenshot(page, 'problems-panel.png');
    phase('problems panel');

    // Hovering a query shows its plan, explained, from the database named in the workspace .env.
    await page.keyboard.press('Control+Shift+M');
    await page.keyboard.press('Control+P');
    await page.keyboard.type(QUERY_FILE);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: QUERY_FILE }).first().waitFor({ state: 'visible' });
    await page.keyboard.press('Enter');
    const queryEditor = page.locator(`.monaco-editor[data-uri$="${QUERY_FILE}"]`);
    const line = queryEditor.locator('.view-lines', { hasText: 'FROM payments' });
    await line.waitFor();
    // Anywhere in the statement will do: the plan hover covers the whole query. A hover that comes
    // before the server has checked the just-opened file (or connected) shows nothing yet; like a
    // user, move away and hover again.
    const planHover = page.locator('.monaco-hover', { hasText: /Seq Scan|Index Scan|Bitmap/ });
    const until = Date.now() + 90_000;
    for (;;) {
      await line.getByText(/payments/).first().hover();
      if (await planHover.waitFor({ state: 'visible', timeout: 10_000 }).then(() => true, () => false)) break;
      if (Date.now() > until) throw new Error('no plan hover on the query within 90 s');
      await page.mouse.move(5, 700);
    }
    assert.match(await planHover.innerText(), /payments/);
    for (const pending of ['Loading...', 'Checking for quick fixes...']) {
      await planHover.getByText(pending).waitFor({ state: 'detached', timeout: 10_000 }).catch(() => undefined);
    }
    await screenshot(page, 'hover-plan.png');
    phase('plan hover');
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    await pg?.stop();
    scratch.remove();
  }
}
