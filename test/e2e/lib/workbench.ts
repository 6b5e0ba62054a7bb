/**
 * Chromium (Debian's, driven by playwright-core) showing code-server's workbench, and the user
 * settings that keep the workbench quiet: no welcome page, tips, walkthroughs or trust prompts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { chromiumPath } from './paths';

export const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.ignoreRecommendations': true,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'git.enabled': false,
  'editor.minimap.enabled': false,
  'editor.fontFamily': "'DejaVu Sans Mono', monospace",
  'editor.fontSize': 14,
  'editor.hover.delay': 300,
  'window.restoreWindows': 'none',
  'chat.commandCenter.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

export function writeUserSettings(userDataDir: string, extra: Record<string, unknown> = {}): void {
  const dir = path.join(userDataDir, 'User');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...extra }, null, 2));
}

export function launchChromium(env: NodeJS.ProcessEnv): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    // No --user-data-dir: Playwright makes a temporary profile itself (under TMPDIR from env).
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    env,
    timeout: 30_000,
  });
}

/** The URI the browser-side workbench uses for a path on the code-server machine. */
export function remoteUri(port: number, absPath: string): string {
  return `vscode-remote://127.0.0.1:${port}${absPath.split(path.sep).map(encodeURIComponent).join('/')}`;
}

/** The workbench URL for a folder; `payload` entries are VS Code's [key, value] launch options. */
export function workbenchUrl(origin: string, folder: string, payload: Array<[string, string]> = []): string {
  const query = new URLSearchParams({ folder });
  if (payload.length) query.set('payload', JSON.stringify(payload));
  return `${origin}/?${query.toString()}`;
}

/** The editor showing a file whose path ends with `fileSuffix`, once its text contains `text`. */
export async function editorShowing(page: Page, fileSuffix: string, text: string): Promise<Locator> {
  const editor = page.locator(`.monaco-editor[data-uri$="${fileSuffix}"]`);
  await editor.locator('.view-lines', { hasText: text }).waitFor();
  return editor;
}

/** Opens the Problems panel (Ctrl+Shift+M, from the editor) once it lists `finding`; returns its text. */
export async function problemsListing(page: Page, editor: Locator, finding: string): Promise<string> {
  await page.keyboard.press('Escape');
  await editor.click({ position: { x: 200, y: 10 } });
  await page.keyboard.press('Control+Shift+M');
  const problems = page.locator('.markers-panel');
  await problems.locator('.monaco-list-row', { hasText: finding }).first().waitFor({ state: 'visible' });
  return problems.innerText();
}
