/**
 * A stand-in for the `code` executable that @vscode/test-electron's runTests() launches: it takes
 * the same arguments, runs VS Code as code-server + Chromium, hands the extension and test paths to
 * the workbench through the `payload` query parameter, and exits with the code the workbench reports
 * through `window.codeAutomationExit` when the extension tests finish.
 *
 * Bounded: after LEDGERLINT_E2E_HOST_TIMEOUT_MS (default 180 s) it gives up with exit code 124.
 * Always stops Chromium and code-server (with the extension host and language server) before exiting.
 */
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { startCodeServer, type CodeServer } from './lib/code-server';
import { launchChromium, remoteUri, workbenchUrl, writeUserSettings } from './lib/workbench';

interface LaunchArgs {
  folder?: string;
  extensionDevelopmentPath?: string;
  extensionTestsPath?: string;
  userDataDir?: string;
  extensionsDir?: string;
}

function parseArgs(argv: string[]): LaunchArgs {
  const out: LaunchArgs = {};
  for (const arg of argv) {
    const flag = /^--([^=]+)=(.*)$/.exec(arg);
    if (!flag) {
      if (!arg.startsWith('--')) out.folder = path.resolve(arg);
      continue; // Electron-only switches (--no-sandbox, --disable-updates, ...) mean nothing here.
    }
    const [, name, value] = flag;
    if (name === 'extensionDevelopmentPath') out.extensionDevelopmentPath = path.resolve(value);
    else if (name === 'extensionTestsPath') out.extensionTestsPath = path.resolve(value);
    else if (name === 'user-data-dir') out.userDataDir = path.resolve(value);
    else if (name === 'extensions-dir') out.extensionsDir = path.resolve(value);
  }
  return out;
}

let server: CodeServer | undefined;
let browser: Browser | undefined;

async function cleanUp(): Promise<void> {
  await browser?.close().catch(() => undefined);
  browser = undefined;
  await server?.stop();
  server = undefined;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const missing = (['folder', 'extensionDevelopmentPath', 'extensionTestsPath', 'userDataDir', 'extensionsDir'] as const).filter((k) => !args[k]);
  if (missing.length) {
    console.error(`vscode-executable: missing arguments: ${missing.join(', ')} (got ${process.argv.slice(2).join(' ')})`);
    return 2;
  }
  const timeoutMs = Number(process.env.LEDGERLINT_E2E_HOST_TIMEOUT_MS ?? 180_000);
  writeUserSettings(args.userDataDir!);
  server = await startCodeServer({ env: process.env, userDataDir: args.userDataDir!, extensionsDir: args.extensionsDir! });
  browser = await launchChromium(process.env);
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  let reportExit!: (code: number) => void;
  const exited = new Promise<number>((resolve) => (reportExit = resolve));
  await page.exposeFunction('codeAutomationExit', (code: number) => reportExit(Number(code)));
  // The extension host's console reaches the page console: show the test runner's lines.
  page.on('console', (msg) => {
    const text = msg.text().replace(/%c\s*\w+\s+color:\s*\S+\s*/g, '');
    if (/ledgerlint-e2e|\[Extension Host\]/.test(text) || msg.type() === 'error') console.log(`[workbench] ${text}`);
  });
  const url = workbenchUrl(server.origin, args.folder!, [
    ['extensionDevelopmentPath', remoteUri(server.port, args.extensionDevelopmentPath!)],
    ['extensionTestsPath', remoteUri(server.port, args.extensionTestsPath!)],
  ]);
  // 'commit': the workbench then loads for a while; the exit callback or the deadline ends the wait.
  await page.goto(url, { waitUntil: 'commit', timeout: 60_000 });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<number>((resolve) => {
    timer = setTimeout(() => {
      console.error(`vscode-executable: the extension tests did not finish within ${timeoutMs} ms`);
      resolve(124);
    }, timeoutMs);
  });
  const code = await Promise.race([exited, timedOut]);
  clearTimeout(timer);
  if (code !== 0) console.error(`vscode-executable: code-server log tail:\n${server.log().slice(-3000)}`);
  return code;
}

for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => void cleanUp().finally(() => process.exit(130)));
}

main()
  .catch((error) => {
    console.error(`vscode-executable: ${(error as Error).stack ?? error}`);
    return 1;
  })
  .then(async (code) => {
    await cleanUp();
    process.exit(code);
  });
