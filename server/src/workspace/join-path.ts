// path.join for the CLI's file walk and migration discovery, called once or more per file: node's
// path.join normalises the whole result in JavaScript, which the CLI runs on V8's baseline tiers
// (cli/v8-tiering.ts), ~13 microseconds a call: ~2% of a 1,000-file run's CPU. A normalised
// absolute directory and a relative path of plain segments join by concatenation; anything else
// (Windows, a trailing slash, `.` or `..` segments, empty segments) goes through path.join.
import * as path from 'node:path';

/** A `//`, a `.` or `..` segment, or a trailing `/`, in a path written with `/`. */
const NEEDS_NORMALISING = /\/\/|\/\.\.?(?:\/|$)|\/$/;

/** Exactly path.join(dir, rel). */
export function joinPath(dir: string, rel: string): string {
  if (path.sep === '/' && dir.charCodeAt(0) === 47 && rel !== '' && rel.charCodeAt(0) !== 47) {
    const root = dir === '/';
    if ((root || !NEEDS_NORMALISING.test(dir)) && !NEEDS_NORMALISING.test('/' + rel)) return root ? '/' + rel : dir + '/' + rel;
  }
  return path.join(dir, rel);
}
