/**
 * Whether the e2e environment is installed (scripts/e2e-setup.sh) and the extension is built.
 * scripts/run-tests.mjs calls check() to decide whether `npm test` includes test/e2e.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromiumPath, codeServerEntry, codeServerVersion, repoRoot } from './lib/paths';

export function check(): { ok: boolean; reason?: string } {
  if (!fs.existsSync(codeServerEntry)) return { ok: false, reason: `code-server ${codeServerVersion} is not installed in ${path.relative(repoRoot, codeServerEntry)}: run scripts/e2e-setup.sh` };
  const installed = JSON.parse(fs.readFileSync(path.join(codeServerEntry, '..', '..', '..', 'package.json'), 'utf8')).version;
  if (installed !== codeServerVersion) return { ok: false, reason: `code-server ${installed} is installed, the suite needs ${codeServerVersion}: run scripts/e2e-setup.sh` };
  if (!fs.existsSync(chromiumPath)) return { ok: false, reason: `${chromiumPath} is missing: run scripts/e2e-setup.sh (apt-get install chromium)` };
  try {
    require.resolve('playwright-core');
    require.resolve('@vscode/test-electron');
  } catch {
    return { ok: false, reason: 'playwright-core or @vscode/test-electron is not installed: run npm ci' };
  }
  for (const file of ['client.js', 'server.js', 'server-main.js', 'libpg-query.wasm']) {
    if (!fs.existsSync(path.join(repoRoot, 'dist', file))) return { ok: false, reason: `dist/${file} is missing: run npm run build` };
  }
  return { ok: true };
}
