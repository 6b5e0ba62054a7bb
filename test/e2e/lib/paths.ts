/** Where the e2e suite finds the repository, its build and the tools scripts/e2e-setup.sh installs. */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The folder holding Ledgerlint's package.json, found upward from this file (test/ or out/test/). */
function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    // out/ holds a copy of package.json (tsc emits imported JSON), but no tsconfig.json.
    if (fs.existsSync(manifest) && fs.existsSync(path.join(dir, 'tsconfig.json')) && JSON.parse(fs.readFileSync(manifest, 'utf8')).name === 'ledgerlint') return dir;
    if (path.dirname(dir) === dir) throw new Error(`e2e: no Ledgerlint package.json above ${from}`);
  }
}

export const repoRoot = findRoot(__dirname);

export const e2eToolsDir = process.env.LEDGERLINT_E2E_DIR ?? path.join(repoRoot, '.e2e');
export const codeServerVersion = '4.100.3';
export const codeServerDir = path.join(e2eToolsDir, 'code-server', 'node_modules', 'code-server');
export const codeServerEntry = path.join(codeServerDir, 'out', 'node', 'entry.js');
export const chromiumPath = '/usr/bin/chromium';
export const fixtureWorkspace = path.join(repoRoot, 'test', 'e2e', 'fixtures', 'ws');
/** Compiled in-extension-host tests (run by VS Code's extension host, not by node --test). */
export const hostTestsEntry = path.join(repoRoot, 'out', 'test', 'e2e', 'host', 'index.js');
export const vscodeExecutableScript = path.join(repoRoot, 'out', 'test', 'e2e', 'vscode-executable.js');
/**
 * Screenshots go to test-results/e2e (git-ignored) so a test run leaves the tree clean;
 * LEDGERLINT_UPDATE_SCREENSHOTS=1 writes them to docs/images/, where the README uses them.
 */
export const screenshotsDir = process.env.LEDGERLINT_UPDATE_SCREENSHOTS === '1'
  ? path.join(repoRoot, 'docs', 'images')
  : path.join(repoRoot, 'test-results', 'e2e');
