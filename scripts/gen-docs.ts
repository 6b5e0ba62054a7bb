// `npm run docs`: writes docs/rules/<id>.md for every rule and the README's rule table.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ruleDescriptors } from '../server/src/drizzle/project';
import { readmeTable, rulePage, withTable } from './lib/rule-docs';
import { ruleSources } from './lib/rule-sources';

export const ROOT = path.resolve(__dirname, '../..');

export function generateDocs(root = ROOT): string[] {
  const written: string[] = [];
  const dir = path.join(root, 'docs/rules');
  fs.mkdirSync(dir, { recursive: true });
  // Every id once: SQL rules (with their Drizzle check's TypeScript messages and examples) and TypeScript-only checks.
  const rules = ruleDescriptors();
  for (const rule of rules) {
    const file = path.join(dir, `${rule.meta.id}.md`);
    const text = rulePage(rule, ruleSources(root, rule.meta.id));
    if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== text) {
      fs.writeFileSync(file, text);
      written.push(path.relative(root, file));
    }
  }
  const readmePath = path.join(root, 'README.md');
  if (fs.existsSync(readmePath)) {
    const readme = fs.readFileSync(readmePath, 'utf8');
    const updated = withTable(readme, readmeTable(rules));
    if (updated !== readme) {
      fs.writeFileSync(readmePath, updated);
      written.push('README.md');
    }
  }
  return written;
}

if (require.main === module) {
  const written = generateDocs();
  console.log(written.length ? `Updated ${written.join(', ')}` : 'Docs are up to date.');
}
