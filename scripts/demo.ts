// `npm run demo`: the main job on the bundled example workspace, no editor needed.
// Lints examples/ exactly as CI would and prints the findings with the source they point at, then
// shows the EXPLAIN hover of a slow example query on a throw-away PostgreSQL (stopped again at the end).
import * as path from 'node:path';
import { run } from '../server/src/cli/main';
import { explainSlowExampleQuery, markdownForTerminal, SLOW_QUERY } from './demo-explain';

const ROOT = path.resolve(__dirname, '../..');

async function main(): Promise<void> {
  const examples = path.join(ROOT, 'examples');
  const color = !!process.stdout.isTTY && !process.env.NO_COLOR;
  const bold = (s: string) => (color ? `\x1b[1m${s}\x1b[0m` : s);
  console.log(bold('Ledgerlint demo: checking examples/ (a payments company\'s migrations, queries and functions)\n'));
  console.log(`$ ledgerlint check examples --code-frames\n`);
  const code = await run(['check', examples, '--code-frames', ...(color ? ['--color'] : ['--no-color'])]);
  console.log(`\n(exit code ${code}: ${code === 1 ? 'CI would fail this change because findings reach "error"' : code === 0 ? 'clean' : 'error'})`);

  console.log(bold(`\nThe hover on ${SLOW_QUERY}, against a throw-away PostgreSQL with examples/' schema and a payments company's volumes\n`));
  const started = performance.now();
  const demo = await explainSlowExampleQuery();
  const file = path.relative(ROOT, demo.file);
  console.log(`${file}, ${demo.queryName}:\n\n${indent(demo.sql)}\n`);
  console.log(bold('Hover as written ($1):\n'));
  console.log(markdownForTerminal(demo.genericHover, color));
  console.log(bold(`Hover for the largest merchant (${demo.literalSql.match(/merchant_id = \S+/)?.[0] ?? 'a literal'}):\n`));
  console.log(markdownForTerminal(demo.literalHover, color));
  const width = Math.max(...demo.timings.map((t) => t.step.length));
  console.log(bold('Timings:'));
  for (const t of demo.timings) console.log(`  ${t.step.padEnd(width)}  ${(t.ms / 1000).toFixed(2).padStart(6)} s`);
  console.log(`  ${'total'.padEnd(width)}  ${((performance.now() - started) / 1000).toFixed(2).padStart(6)} s`);
}

const indent = (text: string) => text.split('\n').map((l) => `    ${l}`).join('\n');

main().catch((err) => {
  console.error(err);
  process.exitCode = 2;
});
