// `npm run new-rule <id> [--category <c>] [--scope statement|file]`: scaffolds a rule, its test
// and its registry entry, so the three never get out of step. Run `npm run docs` afterwards.
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const CATEGORIES = ['money', 'time', 'integrity', 'ledger', 'concurrency', 'security', 'migration', 'indexing', 'syntax'];

function camel(id: string): string {
  return id.replace(/-(\w)/g, (_m, c: string) => c.toUpperCase());
}

export function scaffoldRule(id: string, category: string, scope: 'statement' | 'file', root = ROOT): string[] {
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(id)) throw new Error(`Rule ids are kebab-case: "${id}"`);
  if (!CATEGORIES.includes(category)) throw new Error(`Unknown category "${category}" (${CATEGORIES.join(', ')})`);
  const ruleFile = path.join(root, 'server/src/rules', `${id}.ts`);
  const testFile = path.join(root, 'test/rules', `${id}.test.ts`);
  if (fs.existsSync(ruleFile)) throw new Error(`${path.relative(root, ruleFile)} already exists`);
  fs.writeFileSync(
    ruleFile,
    `import { defineRule } from '../engine/rule';

export default defineRule({
  meta: {
    id: '${id}',
    category: '${category}',
    severity: 'warning',
    description: 'TODO: one sentence saying what this rule catches.',
    rationale: 'TODO: why it matters, in money or locks.',
    messages: {
      found: 'TODO: what is wrong with {{table}}.{{column}}, why it matters, and what to do.',
    },
    fix: 'none',
    languages: ['sql'],
    examples: {
      incorrect: [{ code: 'TODO' }],
      correct: [{ code: 'SELECT 1' }],
    },
  },
  scope: '${scope}',
  create(context) {
    return {
      statement(stmt) {
        void stmt;
        void context;
      },
    };
  },
});
`,
  );
  fs.writeFileSync(
    testFile,
    `import rule from '../../server/src/rules/${id}';
import { ruleTester } from '../lib/rule-tester';

ruleTester(rule, {
  valid: ['SELECT 1'],
  invalid: [
    {
      code: 'TODO',
      errors: [{ messageId: 'found', line: 1, column: 1 }],
    },
  ],
});
`,
  );
  const indexFile = path.join(root, 'server/src/rules/index.ts');
  let index = fs.readFileSync(indexFile, 'utf8');
  const importLine = `import ${camel(id)} from './${id}';\n`;
  const lastImport = index.lastIndexOf('\nimport ');
  const endOfLastImport = index.indexOf('\n', lastImport + 1) + 1;
  index = index.slice(0, endOfLastImport) + importLine + index.slice(endOfLastImport);
  index = index.replace(/\n\];/, `\n  ${camel(id)},\n];`);
  fs.writeFileSync(indexFile, index);
  return [ruleFile, testFile, indexFile].map((f) => path.relative(root, f));
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const id = args.find((a) => !a.startsWith('--'));
  const opt = (name: string, d: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 && args[i + 1] ? args[i + 1] : d;
  };
  if (!id) {
    console.error('Usage: npm run new-rule <rule-id> [--category money|time|...] [--scope statement|file]');
    process.exitCode = 2;
  } else {
    try {
      const files = scaffoldRule(id, opt('category', 'integrity'), opt('scope', 'statement') === 'file' ? 'file' : 'statement');
      console.log(`Created ${files.join(', ')}.\nNext: write the rule and its tests, then run npm run docs.`);
    } catch (err) {
      console.error(`new-rule: ${(err as Error).message}`);
      process.exitCode = 2;
    }
  }
}
