// Which files `ledgerlint check <dir>` looks at: .sql files (and TypeScript using Drizzle or pg) below the root, skipping
// node_modules, .git and what the root's .gitignore ignores.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { mentionsDrizzleOrPg } from '../drizzle/mentions';
import { GitIgnore } from '../workspace/gitignore';
import { joinPath } from '../workspace/join-path';

const ALWAYS_SKIPPED = new Set(['node_modules', '.git', '.hg', '.svn']);

export interface FoundFile {
  absolute: string;
  /** Relative to the root, with forward slashes. */
  relative: string;
}

export function findFiles(root: string, extensions: readonly string[], extraIgnores: readonly string[] = []): FoundFile[] {
  let gitignore = '';
  try {
    gitignore = fs.readFileSync(path.join(root, '.gitignore'), 'utf8');
  } catch {
    // no .gitignore: nothing extra to skip
  }
  // Ignored directories are pruned below, so patterns only need to match a path itself.
  const ignore = new GitIgnore([gitignore, ...extraIgnores].join('\n'));
  const out: FoundFile[] = [];
  const walk = (dir: string, rel: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const childRel = rel ? `${rel}/${e.name}` : e.name;
      const abs = joinPath(dir, e.name);
      if (e.isDirectory()) {
        if (ALWAYS_SKIPPED.has(e.name) || ignore.ignores(childRel, true)) continue;
        walk(abs, childRel);
      } else if (e.isFile() && extensions.some((x) => e.name.endsWith(x)) && !ignore.ignores(childRel, false)) {
        out.push({ absolute: abs, relative: childRel });
      }
    }
  };
  walk(root, '');
  return out;
}

/** The extensions of TypeScript sources (TS_FILE below, as a list for findFiles). */
export const TYPESCRIPT_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts'];
const TS_FILE = /\.(?:[mc]?ts|tsx)$/;

/** A TypeScript source file (not a declaration file). */
export function isTypeScriptPath(p: string): boolean {
  return TS_FILE.test(p) && !/\.d\.[mc]?ts$/.test(p);
}

/** `.sql` files, and TypeScript files that import drizzle-orm or pg (others have no SQL to check). */
export function findCheckableFiles(root: string, extraIgnores: readonly string[] = []): FoundFile[] {
  return findFiles(root, ['.sql', ...TYPESCRIPT_EXTENSIONS], extraIgnores).filter((f) => {
    if (!TS_FILE.test(f.relative)) return true;
    if (!isTypeScriptPath(f.relative)) return false;
    try {
      return mentionsDrizzleOrPg(fs.readFileSync(f.absolute, 'utf8'));
    } catch {
      return false;
    }
  });
}
