/**
 * Packages Ledgerlint as a .vsix with vsce, from the dist/ that `npm run build` made, without
 * touching the working tree: vsce runs the vscode:prepublish build, which rewrites dist/ in place
 * (minified), and other e2e tests or colleagues may be running from that dist/ at the same moment.
 * So vsce runs in a staged copy of the repository (minus node_modules and build outputs, which the
 * .vscodeignore leaves out anyway) whose manifest has no prepublish step; the .vscodeignore applied
 * is the real one.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './paths';

/** Never shipped and large, or being written by someone else right now. */
const NOT_STAGED = new Set(['.git', 'node_modules', 'out', '.e2e', '.tmp', 'test-results']);

/** Returns the path of the .vsix, written into workDir. */
export function packageVsix(workDir: string, env: NodeJS.ProcessEnv): string {
  const stage = path.join(workDir, 'stage');
  fs.mkdirSync(stage, { recursive: true });
  for (const entry of fs.readdirSync(repoRoot)) {
    if (!NOT_STAGED.has(entry)) fs.cpSync(path.join(repoRoot, entry), path.join(stage, entry), { recursive: true });
  }
  const manifestPath = path.join(stage, 'package.json');
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
  delete manifest.scripts?.['vscode:prepublish'];
  fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));

  const vsix = path.join(workDir, 'ledgerlint.vsix');
  const vsce = require.resolve('@vscode/vsce/vsce', { paths: [repoRoot] });
  const packed = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--out', vsix], { cwd: stage, env, encoding: 'utf8', timeout: 120_000 });
  if (packed.status !== 0) throw new Error(`vsce package failed (exit ${packed.status}):\n${packed.stdout}\n${packed.stderr}`);
  fs.rmSync(stage, { recursive: true, force: true });
  return vsix;
}
