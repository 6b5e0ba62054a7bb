// Suppression comments: `-- ledgerlint-disable-next-line id[, id]` silences the next line,
// `-- ledgerlint-disable-file id` the whole file; with no ids they silence every rule. `//` and
// `/* */` work too, so the same comments serve SQL and TypeScript.
import type { LineIndex } from '../sql/offsets';

export interface Suppressions {
  file: Set<string>;
  lines: Map<number, Set<string>>;
}

const DIRECTIVE = /(?:--|\/\/|\/\*)[ \t]*ledgerlint-disable-(next-line|file)\b([^\n\r]*)/g;
const ALL = '*';

export function collectSuppressions(text: string, lines: LineIndex): Suppressions {
  const result: Suppressions = { file: new Set(), lines: new Map() };
  if (!text.includes('ledgerlint-disable-')) return result;
  for (const m of text.matchAll(DIRECTIVE)) {
    const ids = m[2].replace(/\*\/.*$/, '').split(/[\s,]+/).filter((s) => /^[a-z0-9-]+$/.test(s) && s !== '--');
    const set = ids.length ? ids : [ALL];
    if (m[1] === 'file') {
      for (const id of set) result.file.add(id);
    } else {
      const line = lines.positionAt(m.index ?? 0).line + 1;
      const existing = result.lines.get(line) ?? new Set<string>();
      for (const id of set) existing.add(id);
      result.lines.set(line, existing);
    }
  }
  return result;
}

export function isSuppressed(s: Suppressions, ruleId: string, line: number): boolean {
  if (s.file.has(ruleId) || s.file.has(ALL)) return true;
  const set = s.lines.get(line);
  return set !== undefined && (set.has(ruleId) || set.has(ALL));
}
