/**
 * Golden hover files. Timings and shares change from run to run, so the comparison replaces numbers
 * and the padding before them; everything else (findings, tables, fixes, tree shape) must match exactly.
 * Update with UPDATE_GOLDEN=1.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';

// Compiled tests run from out/test/explain; the golden files live in the source tree.
export const GOLDEN_DIR = path.resolve(__dirname, '../../../test/explain/golden');

export function normaliseForGolden(markdown: string): string {
  return markdown
    .replace(/\d[\d,]*(\.\d+)?/g, '#')
    .replace(/\((info|warning|error), #% at stake\)/g, '(severity, #% at stake)')
    // Shares are right-aligned in the plan tree; the indentation after them (depth) is kept.
    .replace(/^ +#%/gm, '#%')
    .replace(/ +$/gm, '');
}

export function assertGolden(name: string, markdown: string): void {
  const file = path.join(GOLDEN_DIR, `${name}.md`);
  if (process.env.UPDATE_GOLDEN === '1' || !fs.existsSync(file)) {
    if (process.env.UPDATE_GOLDEN !== '1') assert.fail(`missing golden file ${file}; run with UPDATE_GOLDEN=1 to create it`);
    fs.mkdirSync(GOLDEN_DIR, { recursive: true });
    fs.writeFileSync(file, markdown);
    return;
  }
  assert.equal(normaliseForGolden(markdown), normaliseForGolden(fs.readFileSync(file, 'utf8')), `hover differs from ${file}`);
}
