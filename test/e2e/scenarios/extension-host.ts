/**
 * Runs test/e2e/host/*.spec.ts inside a real VS Code extension host: @vscode/test-electron's
 * runTests() launches vscode-executable.js (code-server + Chromium) instead of a downloaded
 * Electron VS Code. Prerequisites: scripts/e2e-setup.sh and `npm run build`.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import type { EmbeddedPostgres } from '../../helpers/embedded-pg';
import { startPlanDatabase } from '../lib/plan-database';
import type { HostResult } from '../host/runner';
import { fixtureWorkspace, hostTestsEntry, repoRoot, vscodeExecutableScript } from '../lib/paths';
import { makeScratch } from '../lib/scratch';

export const HOST_TIMEOUT_MS = 240_000;

export async function extensionHostScenario(): Promise<void> {
  const scratch = makeScratch('host');
  let pg: EmbeddedPostgres | undefined;
  try {
    const workspace = scratch.copy(fixtureWorkspace, 'ws');
    // The hover test explains a query against a real PostgreSQL, found through the workspace .env.
    pg = await startPlanDatabase(workspace);
    const report = path.join(scratch.dir, 'report.json');
    // runTests spawns an executable file: a shell wrapper around the compiled launcher.
    const executable = path.join(scratch.dir, 'code');
    fs.writeFileSync(executable, `#!/bin/sh\nexec "${process.execPath}" "${vscodeExecutableScript}" "$@"\n`, { mode: 0o755 });
    const started = Date.now();
    let failure: unknown;
    try {
      await runTests({
        vscodeExecutablePath: executable,
        extensionDevelopmentPath: repoRoot,
        extensionTestsPath: hostTestsEntry,
        launchArgs: [workspace, `--user-data-dir=${path.join(scratch.dir, 'user')}`, `--extensions-dir=${path.join(scratch.dir, 'ext')}`],
        extensionTestsEnv: { ...scratch.env, LEDGERLINT_E2E_REPORT: report, LEDGERLINT_E2E_DATABASE: '1', LEDGERLINT_E2E_HOST_TIMEOUT_MS: String(HOST_TIMEOUT_MS) },
      });
    } catch (error) {
      failure = error;
    }
    const results: HostResult[] = fs.existsSync(report) ? JSON.parse(fs.readFileSync(report, 'utf8')) : [];
    console.log(`extension-host: ${results.length} tests in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const status = (r: HostResult) => (r.skipped ? 'skip' : r.ok ? 'ok' : 'FAIL');
    for (const r of results) console.log(`extension-host ${status(r)} (${r.ms} ms): ${r.name}${r.error ? `\n${r.error}` : ''}${r.skipped ? `: ${r.skipped}` : ''}`);
    assert.equal(failure, undefined, `runTests failed: ${(failure as Error)?.message}`);
    // A run that loaded no tests also exits 0: insist on every test having run and passed.
    assert.deepEqual(results.map((r) => `${status(r)} ${r.name}`), [
      'ok the extension activates on a .sql file and registers its commands',
      'ok diagnostics for the fixture workspace match the expected findings',
      'ok the money-float-type quick fix rewrites the column type and the finding goes away',
      'ok the unindexed-foreign-key code action creates a CONCURRENTLY index migration',
      'ok hovering a query shows its plan from the workspace database (.env)',
    ]);
  } finally {
    await pg?.stop();
    scratch.remove();
  }
}
