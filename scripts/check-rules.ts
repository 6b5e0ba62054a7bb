// `npm run check:rules` (also run by `npm test`): every rule file has a registry entry, a test,
// an up-to-date docs page and a README row; every rule's meta is complete.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ruleDescriptors } from '../server/src/drizzle/project';
import { DRIZZLE_CHECKS } from '../server/src/drizzle/rules';
import { RULES } from '../server/src/rules';
import { readmeTable, rulePage, TABLE_END, TABLE_START } from './lib/rule-docs';
import { hasDrizzleTest, ruleSources } from './lib/rule-sources';

export const ROOT = path.resolve(__dirname, '../..');

export function checkRules(root = ROOT): string[] {
  const problems: string[] = [];
  const ruleDir = path.join(root, 'server/src/rules');
  const files = fs.readdirSync(ruleDir).filter((f) => f.endsWith('.ts') && f !== 'index.ts').map((f) => f.slice(0, -3));
  const registered = new Set(RULES.map((r) => r.meta.id));
  for (const id of files) if (!registered.has(id)) problems.push(`server/src/rules/${id}.ts is not registered in server/src/rules/index.ts`);
  const seen = new Set<string>();
  for (const rule of RULES) {
    const m = rule.meta;
    if (seen.has(m.id)) problems.push(`${m.id} is registered twice`);
    seen.add(m.id);
    if (!files.includes(m.id)) problems.push(`${m.id}: meta.id does not match a file name in server/src/rules/`);
    if (!fs.existsSync(path.join(root, 'test/rules', `${m.id}.test.ts`))) problems.push(`${m.id}: no test (test/rules/${m.id}.test.ts)`);
  }
  const checkIds = new Set<string>();
  for (const check of DRIZZLE_CHECKS) {
    const id = check.meta.id;
    if (checkIds.has(id)) problems.push(`${id}: Drizzle check registered twice in server/src/drizzle/rules/index.ts`);
    checkIds.add(id);
    if (!ruleSources(root, id).some((f) => f.startsWith('server/src/drizzle/'))) problems.push(`${id}: the Drizzle check's file is not named ${id}.ts under server/src/drizzle/`);
    if (!hasDrizzleTest(root, id)) problems.push(`${id}: no TypeScript test (a test/drizzle/ test naming '${id}' or importing its check)`);
    // One meta per id: a check sharing a SQL rule's id must build on that rule's meta, not restate it.
    const sql = RULES.find((r) => r.meta.id === id);
    if (sql && (check.meta.description !== sql.meta.description || check.meta.rationale !== sql.meta.rationale || check.meta.category !== sql.meta.category)) {
      problems.push(`${id}: the Drizzle check restates the SQL rule's meta; build it from the SQL rule's meta (withTypeScript)`);
    }
  }
  // Docs cover every id once, TypeScript-only checks included.
  for (const rule of ruleDescriptors()) {
    const m = rule.meta;
    const doc = path.join(root, 'docs/rules', `${m.id}.md`);
    if (!fs.existsSync(doc)) problems.push(`${m.id}: no docs page (docs/rules/${m.id}.md; run npm run docs)`);
    else if (fs.readFileSync(doc, 'utf8') !== rulePage(rule, ruleSources(root, m.id))) problems.push(`${m.id}: docs/rules/${m.id}.md is out of date (run npm run docs)`);
    if (!m.description || !m.rationale) problems.push(`${m.id}: meta needs a description and a rationale`);
    if (Object.keys(m.messages).length === 0) problems.push(`${m.id}: meta has no messages`);
    if (m.examples.incorrect.length === 0 || m.examples.correct.length === 0) problems.push(`${m.id}: meta needs at least one incorrect and one correct example`);
  }
  const readme = fs.existsSync(path.join(root, 'README.md')) ? fs.readFileSync(path.join(root, 'README.md'), 'utf8') : '';
  const s = readme.indexOf(TABLE_START);
  const e = readme.indexOf(TABLE_END);
  if (s < 0 || e < 0) problems.push('README.md has no rule table markers');
  else if (readme.slice(s + TABLE_START.length, e).trim() !== readmeTable(ruleDescriptors()).trim()) problems.push('README.md rule table is out of date (run npm run docs)');
  return problems;
}

if (require.main === module) {
  const problems = checkRules();
  if (problems.length) {
    console.error(`check:rules found ${problems.length} problem(s):\n` + problems.map((p) => `  - ${p}`).join('\n'));
    process.exitCode = 1;
  } else console.log(`check:rules: ${ruleDescriptors().length} rule ids (${RULES.length} SQL rules, ${DRIZZLE_CHECKS.length} Drizzle checks), each with a registry entry, a test and docs.`);
}
