// Worker thread of `ledgerlint check` (bundled to dist/cli-worker.js): replays the whole workspace,
// lints the files it was given, and posts the findings back. See parallel.ts.
import * as fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { Project } from '../engine/project';
import { initParser, useDirectParserGlue } from '../sql/parser';
import { lintSqlPath, type SqlResult, type WorkerJob } from './parallel';

async function main(): Promise<void> {
  const job = workerData as WorkerJob;
  useDirectParserGlue();
  await initParser();
  const project = new Project(job.root, undefined, { oneShot: true });
  let configText: string | undefined;
  try {
    configText = fs.readFileSync(job.configPath, 'utf8');
  } catch {
    // no ledgerlint.json: defaults, as in the main thread
  }
  if (configText !== undefined) project.setConfigText(configText);
  project.index();
  const results: SqlResult[] = job.files.map((file) => {
    const { absolute, findings, ruleErrors } = lintSqlPath(project, file);
    return { absolute, findings, ruleErrors };
  });
  parentPort!.postMessage(results);
}

main().catch((err: unknown) => {
  // Surfaces as the worker's 'error' event in the main thread, which fails the run with exit code 2.
  throw err;
});
