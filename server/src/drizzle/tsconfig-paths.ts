// Module specifiers as the workspace's tsconfig.json resolves them: `@/db/enums` through
// `compilerOptions.paths`, `db/enums` through `baseUrl`, besides relative ones. The nearest
// tsconfig.json above the importer is read (following relative `extends`), re-read when it changes
// on disk; a missing, unreadable or broken one means relative imports only. Free of the TypeScript
// compiler: the CLI's --cache names these files (dependencies.ts) in runs that never load it.
import * as fs from 'node:fs';
import * as path from 'node:path';

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts'];
const MAX_EXTENDS = 8;

interface Alias {
  prefix: string;
  /** Text after the `*`; undefined for a pattern without one (an exact name). */
  suffix?: string;
  targets: string[];
}

export interface PathAliases {
  /** The config files read (the nearest tsconfig.json and what it extends). */
  files: string[];
  /** Absolute; where non-relative names and `paths` targets are looked up from. */
  baseUrl?: string;
  pathsBase: string;
  aliases: Alias[];
}

interface Cached {
  stamp: string;
  value: PathAliases | undefined;
}

const byConfig = new Map<string, Cached>();

function stampOf(file: string): string | undefined {
  try {
    const s = fs.statSync(file, { throwIfNoEntry: false });
    return s?.isFile() ? `${s.mtimeMs}:${s.size}` : undefined;
  } catch {
    return undefined;
  }
}

/** The nearest tsconfig.json in the importer's directory or above it. */
export function nearestTsconfig(importer: string): string | undefined {
  if (!path.isAbsolute(importer)) return undefined;
  for (let dir = path.dirname(importer); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'tsconfig.json');
    if (stampOf(candidate)) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** tsconfig.json allows comments and trailing commas: dropped outside strings, then plain JSON. */
export function parseJsonc(text: string): unknown {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
      out += ' ';
    } else if (c === ',') {
      let j = i + 1;
      while (j < text.length && /\s/.test(text[j])) j++;
      if (text[j] !== '}' && text[j] !== ']') out += c;
    } else out += c;
  }
  return JSON.parse(out);
}

function readJson(file: string): Record<string, unknown> | undefined {
  try {
    const config = parseJsonc(fs.readFileSync(file, 'utf8'));
    return config && typeof config === 'object' && !Array.isArray(config) ? (config as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function readAliases(file: string): PathAliases | undefined {
  const files: string[] = [];
  let baseUrl: string | undefined;
  let paths: Record<string, unknown> | undefined;
  let pathsBase = path.dirname(file);
  // The extending file wins: read from it outwards and keep the first value of each option.
  for (let current: string | undefined = file, depth = 0; current && depth < MAX_EXTENDS; depth++) {
    const json = readJson(current);
    if (!json) break;
    files.push(current);
    const options = json.compilerOptions && typeof json.compilerOptions === 'object' ? (json.compilerOptions as Record<string, unknown>) : {};
    if (baseUrl === undefined && typeof options.baseUrl === 'string') baseUrl = path.resolve(path.dirname(current), options.baseUrl);
    if (paths === undefined && options.paths && typeof options.paths === 'object') {
      paths = options.paths as Record<string, unknown>;
      pathsBase = path.dirname(current);
    }
    const ext: string | undefined = typeof json.extends === 'string' && json.extends.startsWith('.') ? path.resolve(path.dirname(current), json.extends) : undefined;
    current = ext && !ext.endsWith('.json') && !stampOf(ext) ? ext + '.json' : ext;
  }
  if (!files.length) return undefined;
  const aliases: Alias[] = [];
  for (const [pattern, targets] of Object.entries(paths ?? {})) {
    if (!Array.isArray(targets)) continue;
    const star = pattern.indexOf('*');
    if (star !== pattern.lastIndexOf('*')) continue;
    const list = targets.filter((t): t is string => typeof t === 'string');
    aliases.push(star < 0 ? { prefix: pattern, targets: list } : { prefix: pattern.slice(0, star), suffix: pattern.slice(star + 1), targets: list });
  }
  // As TypeScript: the pattern with the longest prefix before its `*` is tried first.
  aliases.sort((a, b) => b.prefix.length - a.prefix.length);
  return { files, baseUrl, pathsBase: baseUrl ?? pathsBase, aliases };
}

/** The aliases that apply to `importer`, or undefined without a readable tsconfig.json. */
export function aliasesFor(importer: string): PathAliases | undefined {
  const file = nearestTsconfig(importer);
  if (!file) return undefined;
  const hit = byConfig.get(file);
  if (hit) {
    const stamps = hit.value?.files.map(stampOf).join('|') ?? stampOf(file);
    if (stamps === hit.stamp) return hit.value;
  }
  const value = readAliases(file);
  byConfig.set(file, { stamp: value?.files.map(stampOf).join('|') ?? stampOf(file) ?? '', value });
  return value;
}

/** A module path without extension or with a JS one -> the TypeScript file it names (also `dir/index.ts`). */
export function resolveFile(base: string, exists: (file: string) => boolean): string | undefined {
  const stem = base.replace(/\.(?:[mc]?js|jsx)$/, '');
  if (EXTENSIONS.some((x) => base.endsWith(x)) && exists(base)) return base;
  for (const x of EXTENSIONS) if (exists(stem + x)) return stem + x;
  for (const x of EXTENSIONS) if (exists(path.join(stem, 'index' + x))) return path.join(stem, 'index' + x);
  return undefined;
}

/** The workspace file a specifier names: relative, through `paths`, or under `baseUrl`; undefined for packages. */
export function resolveSpecifier(importer: string, spec: string, exists: (file: string) => boolean): string | undefined {
  if (!path.isAbsolute(importer)) return undefined;
  if (spec.startsWith('.')) return resolveFile(path.resolve(path.dirname(importer), spec), exists);
  if (path.isAbsolute(spec)) return undefined;
  const config = aliasesFor(importer);
  if (!config) return undefined;
  for (const a of config.aliases) {
    let rest: string | undefined;
    if (a.suffix === undefined) rest = spec === a.prefix ? '' : undefined;
    else if (spec.startsWith(a.prefix) && spec.endsWith(a.suffix) && spec.length >= a.prefix.length + a.suffix.length) rest = spec.slice(a.prefix.length, spec.length - a.suffix.length);
    if (rest === undefined) continue;
    for (const t of a.targets) {
      const found = resolveFile(path.resolve(config.pathsBase, t.replace('*', rest)), exists);
      if (found) return found;
    }
    // TypeScript stops at the first matching pattern, found or not.
    return undefined;
  }
  return config.baseUrl ? resolveFile(path.resolve(config.baseUrl, spec), exists) : undefined;
}
