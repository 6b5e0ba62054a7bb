// `npm run demo`: the main job on the bundled example workspace, no database or editor needed.
// Lints examples/ exactly as CI would and prints the findings with the source they point at.
import * as path from 'node:path';
import { run } from '../server/src/cli/main';

const ROOT = path.resolve(__dirname, '../..');

async function main(): Promise<void> {
  const examples = path.join(ROOT, 'examples');
  const color = !!process.stdout.isTTY && !process.env.NO_COLOR;
  const bold = (s: string) => (color ? `\x1b[1m${s}\x1b[0m` : s);
  console.log(bold('Ledgerlint demo: checking examples/ (a payments company\'s migrations, queries and functions)\n'));
  console.log(`$ ledgerlint check examples --code-frames\n`);
  const code = await run(['check', examples, '--code-frames', ...(color ? ['--color'] : ['--no-color'])]);
  console.log(`\n(exit code ${code}: ${code === 1 ? 'CI would fail this change because findings reach "error"' : code === 0 ? 'clean' : 'error'})`);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 2;
});
