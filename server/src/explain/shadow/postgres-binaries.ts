/**
 * A PostgreSQL installation already on the machine, for the shadow database: Ledgerlint ships no
 * server binaries (one platform's are ~60 MB, the .vsix budget is 8 MB).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface PostgresBinaries {
  bin: string;
  /** Major version from the directory layout or `pg_config`-free guess; 0 when unknown. */
  major: number;
}

const exe = (name: string) => (process.platform === 'win32' ? `${name}.exe` : name);

function hasServer(dir: string): boolean {
  return fs.existsSync(path.join(dir, exe('initdb'))) && fs.existsSync(path.join(dir, exe('pg_ctl')));
}

function versionDirs(parent: string, pattern: RegExp, bin: (dir: string) => string): PostgresBinaries[] {
  let names: string[];
  try {
    names = fs.readdirSync(parent);
  } catch {
    return [];
  }
  return names
    .map((n) => ({ n, m: pattern.exec(n) }))
    .filter((x) => x.m)
    .map((x) => ({ bin: bin(path.join(parent, x.n)), major: Number(x.m![1]) }))
    .filter((b) => hasServer(b.bin));
}

/** Candidates, newest first: an explicit directory, Debian/Ubuntu, Homebrew, Postgres.app, Windows, then PATH. */
export function findPostgresBinaries(env: NodeJS.ProcessEnv = process.env, explicit?: string): PostgresBinaries | undefined {
  if (explicit) return hasServer(explicit) ? { bin: explicit, major: 0 } : undefined;
  const found: PostgresBinaries[] = [
    ...versionDirs('/usr/lib/postgresql', /^(\d+)$/, (d) => path.join(d, 'bin')),
    ...versionDirs('/opt/homebrew/opt', /^postgresql@(\d+)$/, (d) => path.join(d, 'bin')),
    ...versionDirs('/usr/local/opt', /^postgresql@(\d+)$/, (d) => path.join(d, 'bin')),
    ...versionDirs('/Applications/Postgres.app/Contents/Versions', /^(\d+)$/, (d) => path.join(d, 'bin')),
    ...versionDirs('C:\\Program Files\\PostgreSQL', /^(\d+)$/, (d) => path.join(d, 'bin')),
  ].sort((a, b) => b.major - a.major);
  if (found.length) return found[0];
  for (const dir of (env.PATH ?? '').split(path.delimiter)) if (dir && hasServer(dir)) return { bin: dir, major: 0 };
  return undefined;
}
