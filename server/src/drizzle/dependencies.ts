// The files a TypeScript file's findings depend on besides itself: the workspace modules it imports
// from (relative or through tsconfig.json `paths`/`baseUrl`), what those re-export from, and the
// tsconfig.json files read to resolve them. The CLI's `--cache` keys TypeScript results by them,
// so an imported enums file outside the checked files still invalidates its importers. Read with a
// pattern, not the TypeScript compiler (which a SQL-only run never loads): a specifier inside a
// comment or string only adds a file to the key.
import * as fs from 'node:fs';
import { aliasesFor, resolveSpecifier } from './tsconfig-paths';

// Imports through a big project's whole graph are followed only this far (a cache key, not a check).
const MAX_FILES = 50_000;
const SPECIFIER = /\b(?:from|import)\s*\(?\s*(['"])([^'"\n]+)\1/g;

/** Module specifiers of `import ... from`, `export ... from`, `import 'x'` and `import('x')`. */
export function specifiersOf(text: string): string[] {
  return [...new Set([...text.matchAll(SPECIFIER)].map((m) => m[2]))];
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

const isFile = (f: string) => {
  try {
    return fs.statSync(f, { throwIfNoEntry: false })?.isFile() ?? false;
  } catch {
    return false;
  }
};

/**
 * Every file reachable from `files` through imports and re-exports of workspace modules, and the
 * tsconfig.json files consulted, not counting `files` themselves; sorted.
 */
export function typeScriptDependencies(files: readonly string[]): string[] {
  const start = new Set(files);
  const seen = new Set(files);
  const configs = new Set<string>();
  const queue = [...files];
  while (queue.length && seen.size < MAX_FILES) {
    const file = queue.pop()!;
    const text = readText(file);
    if (text === undefined) continue;
    for (const spec of specifiersOf(text)) {
      // The libraries the checks know (imports.ts): never workspace files.
      if (/^(?:drizzle-orm(?:\/|$)|pg$|pg-pool$)/.test(spec)) continue;
      if (!spec.startsWith('.')) for (const c of aliasesFor(file)?.files ?? []) configs.add(c);
      const target = resolveSpecifier(file, spec, isFile);
      if (target && !seen.has(target)) {
        seen.add(target);
        queue.push(target);
      }
    }
  }
  return [...seen, ...configs].filter((f) => !start.has(f)).sort();
}
