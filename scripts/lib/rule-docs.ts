// Rule documentation generated from each rule's `meta`: one page per rule and the README
// table. Docs never drift from code because `check:rules` compares them with this output.
import type { RuleDefinition } from '../../server/src/engine/rule';

const SEVERITY_NOTE: Record<string, string> = {
  error: 'error',
  warning: 'warning',
  info: 'info',
  hint: 'hint',
};

function fence(code: string, language = 'sql'): string {
  return '```' + language + '\n' + code.trim() + '\n```';
}

/** `sources`: the files that define the rule (the SQL rule and/or its Drizzle check), named in the footer. */
export function rulePage(rule: RuleDefinition, sources: readonly string[] = [`server/src/rules/${rule.meta.id}.ts`]): string {
  const m = rule.meta;
  const lines: string[] = [];
  lines.push(`# ${m.id}`, '');
  lines.push(`> ${m.description}`, '');
  lines.push(`| category | default severity | quick fix | checks |`, `|---|---|---|---|`);
  lines.push(`| ${m.category} | ${SEVERITY_NOTE[m.severity]} | ${m.fix === 'none' ? 'no' : m.fix === 'quickfix' ? 'yes' : 'suggestion'} | ${m.languages.map((l) => (l === 'sql' ? 'SQL' : 'TypeScript (Drizzle)')).join(', ')} |`, '');
  lines.push('## Why it matters', '', m.rationale, '');
  lines.push('## Messages', '');
  for (const [id, text] of Object.entries(m.messages)) lines.push(`- \`${id}\`: ${text}`);
  lines.push('');
  if (m.examples.incorrect.length) {
    lines.push('## Incorrect', '');
    for (const ex of m.examples.incorrect) lines.push(fence(ex.code, ex.language === 'typescript' ? 'ts' : 'sql'), '');
  }
  if (m.examples.correct.length) {
    lines.push('## Correct', '');
    for (const ex of m.examples.correct) lines.push(fence(ex.code, ex.language === 'typescript' ? 'ts' : 'sql'), '');
  }
  lines.push('## Configuration', '');
  lines.push('Change the severity, or turn the rule off, in `ledgerlint.json`:', '');
  lines.push(fence(JSON.stringify({ rules: { [m.id]: m.severity === 'error' ? 'warning' : 'off' } }, null, 2), 'json'), '');
  lines.push('Silence one finding with a comment on the line before it, or the whole file:', '');
  // A TypeScript-only rule is silenced with TypeScript comments (`--` and `//` both work everywhere).
  if (m.languages.includes('sql')) lines.push(fence(`-- ledgerlint-disable-next-line ${m.id}\n-- ledgerlint-disable-file ${m.id}`), '');
  else lines.push(fence(`// ledgerlint-disable-next-line ${m.id}\n// ledgerlint-disable-file ${m.id}`, 'ts'), '');
  lines.push(`<!-- generated from the rule's meta by \`npm run docs\`; edit ${sources.join(' and ')} instead -->`, '');
  return lines.join('\n');
}

export function readmeTable(rules: readonly RuleDefinition[]): string {
  const rows = [...rules].sort((a, b) => a.meta.category.localeCompare(b.meta.category) || a.meta.id.localeCompare(b.meta.id));
  const out = ['| rule | category | severity | fix | SQL | Drizzle | what it catches |', '|---|---|---|---|---|---|---|'];
  for (const r of rows) {
    const m = r.meta;
    out.push(`| [\`${m.id}\`](docs/rules/${m.id}.md) | ${m.category} | ${m.severity} | ${m.fix === 'none' ? '' : '✔'} | ${m.languages.includes('sql') ? '✔' : ''} | ${m.languages.includes('typescript') ? '✔' : ''} | ${m.description.replace(/\|/g, '\\|')} |`);
  }
  return out.join('\n');
}

export const TABLE_START = '<!-- rules:start -->';
export const TABLE_END = '<!-- rules:end -->';

export function withTable(readme: string, table: string): string {
  const s = readme.indexOf(TABLE_START);
  const e = readme.indexOf(TABLE_END);
  if (s < 0 || e < s) return readme;
  return readme.slice(0, s + TABLE_START.length) + '\n' + table + '\n' + readme.slice(e);
}
