// Runs the compiled tests (out/test/**/*.test.js) with node's test runner.
//
//   node scripts/run-tests.mjs                 all tests except e2e
//   node scripts/run-tests.mjs test/sql        only tests under test/sql (or out/test/sql)
//   LEDGERLINT_E2E=1 node scripts/run-tests.mjs  include out/test/e2e (fails if prerequisites are missing)
//
// e2e is also included when CI is set and its prerequisites are present. The hook: if
// out/test/e2e/prerequisites.js exists it must export `check(): { ok: boolean; reason?: string }`;
// without it, e2e counts as not ready.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outTest = path.join(root, 'out', 'test');
const e2eDir = path.join(outTest, 'e2e');

function findTests(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return findTests(full);
    return entry.name.endsWith('.test.js') ? [full] : [];
  });
}

/** tsc never deletes outputs, so skip compiled tests whose source is gone. */
function hasSource(compiled) {
  const relative = path.relative(path.join(root, 'out'), compiled).replace(/\.js$/, '.ts');
  return fs.existsSync(path.join(root, relative)) || fs.existsSync(path.join(root, relative.replace(/\.ts$/, '.tsx')));
}

function e2eDecision() {
  const flag = process.env.LEDGERLINT_E2E;
  const wanted = flag === '1' || (flag !== '0' && Boolean(process.env.CI));
  if (!wanted) return { include: false, note: 'e2e skipped (set LEDGERLINT_E2E=1 to run it)' };
  const hook = path.join(e2eDir, 'prerequisites.js');
  let verdict = { ok: false, reason: `${path.relative(root, hook)} does not exist` };
  if (fs.existsSync(hook)) {
    try {
      verdict = createRequire(import.meta.url)(hook).check();
    } catch (error) {
      verdict = { ok: false, reason: `prerequisites check threw: ${error.message}` };
    }
  }
  if (verdict.ok) return { include: true, note: 'e2e included' };
  if (flag === '1') {
    console.error(`run-tests: LEDGERLINT_E2E=1 but e2e prerequisites are missing: ${verdict.reason}`);
    process.exit(1);
  }
  return { include: false, note: `e2e skipped: ${verdict.reason}` };
}

// `test/sql`, `out/test/sql` and `test/sql/x.test.ts` all name compiled files under out/.
const filters = process.argv.slice(2)
  .map((arg) => path.resolve(root, arg.startsWith('out/') ? arg : path.join('out', arg)).replace(/\.ts$/, '.js'));
const e2e = e2eDecision();
const files = findTests(outTest)
  .filter(hasSource)
  .filter((file) => e2e.include || !file.startsWith(e2eDir + path.sep))
  .filter((file) => filters.length === 0 || filters.some((f) => file === f || file.startsWith(f + path.sep)))
  .sort();

console.log(`run-tests: ${files.length} test files; ${e2e.note}`);
if (files.length === 0) {
  console.error('run-tests: no test files found (did the build run?)');
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--test', '--test-concurrency=2', ...files.map((f) => path.relative(root, f))], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
