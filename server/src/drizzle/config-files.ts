// Where drizzle.config.* files apply: a file's folder and its parents up to the project's root. Kept
// free of the TypeScript compiler so the CLI's cache can name these files without loading it.
import * as fs from 'node:fs';
import * as path from 'node:path';

export const DRIZZLE_CONFIG_FILES = ['drizzle.config.ts', 'drizzle.config.mts', 'drizzle.config.cts', 'drizzle.config.js', 'drizzle.config.mjs', 'drizzle.config.cjs'];

/**
 * `dir` and its parents, up to the project's root (the first folder with a package.json or .git),
 * leaving out folders in `seen` (and what lies above them: that walk was already made) and adding the new ones to it.
 */
export function configFolders(dir: string, seen: Set<string>): string[] {
  const out: string[] = [];
  for (let d = path.resolve(dir); !seen.has(d); d = path.dirname(d)) {
    seen.add(d);
    out.push(d);
    if (fs.existsSync(path.join(d, 'package.json')) || fs.existsSync(path.join(d, '.git')) || path.dirname(d) === d) break;
  }
  return out;
}

/** The drizzle.config.* files that apply to files in these folders, in a stable order. */
export function drizzleConfigFiles(dirs: Iterable<string>): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const dir of dirs) {
    for (const d of configFolders(dir, seen)) {
      for (const name of DRIZZLE_CONFIG_FILES) {
        const file = path.join(d, name);
        if (fs.existsSync(file)) out.push(file);
      }
    }
  }
  return out.sort();
}

/** Whether a path names a drizzle.config.* file. */
export function isDrizzleConfigPath(p: string): boolean {
  return DRIZZLE_CONFIG_FILES.includes(path.basename(p.replace(/\\/g, '/')));
}
