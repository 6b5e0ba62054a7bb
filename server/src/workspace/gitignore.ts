// The subset of .gitignore semantics discovery needs: globs, `**`, `dir/`, anchored patterns
// and `!` negation, for the root .gitignore only. The last matching pattern wins, as in git;
// a file under an ignored directory is never reached because the walk prunes that directory.

interface Pattern {
  negate: boolean;
  dirOnly: boolean;
  regex: RegExp;
}

function escapeChar(c: string): string {
  return /[.+^${}()|\\]/.test(c) ? '\\' + c : c;
}

/** Regex source for one glob; `**` spans directories, `*` and `?` stay inside one segment. */
function globToRegex(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      const slashAfter = glob[i + 2] === '/';
      out += slashAfter ? '(?:.*/)?' : '.*';
      i += slashAfter ? 2 : 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const close = glob.indexOf(']', i + 1);
      if (close < 0) out += '\\[';
      else {
        out += '[' + glob.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\') + ']';
        i = close;
      }
    } else if (c === '\\' && i + 1 < glob.length) out += escapeChar(glob[++i]);
    else out += escapeChar(c);
  }
  return out;
}

export function parseGitignore(text: string): Pattern[] {
  const patterns: Pattern[] = [];
  for (let line of text.split(/\r?\n/)) {
    if (!line.endsWith('\\ ')) line = line.replace(/\s+$/, '');
    if (line === '' || line.startsWith('#')) continue;
    let negate = false;
    if (line.startsWith('!')) {
      negate = true;
      line = line.slice(1);
    } else if (line.startsWith('\\!') || line.startsWith('\\#')) line = line.slice(1);
    let dirOnly = false;
    if (line.endsWith('/')) {
      dirOnly = true;
      line = line.slice(0, -1);
    }
    // A slash at the start or in the middle anchors the pattern to the root.
    const anchored = line.includes('/');
    if (line.startsWith('/')) line = line.slice(1);
    if (line === '') continue;
    const body = globToRegex(line);
    patterns.push({ negate, dirOnly, regex: new RegExp(anchored ? `^${body}$` : `(?:^|/)${body}$`) });
  }
  return patterns;
}

export class GitIgnore {
  private readonly patterns: Pattern[];

  constructor(text: string) {
    this.patterns = parseGitignore(text);
  }

  /** Whether `relPath` (POSIX separators, relative to the root) is ignored. */
  ignores(relPath: string, isDir: boolean): boolean {
    let ignored = false;
    for (const p of this.patterns) {
      if (p.dirOnly && !isDir) continue;
      if (p.regex.test(relPath)) ignored = !p.negate;
    }
    return ignored;
  }
}
