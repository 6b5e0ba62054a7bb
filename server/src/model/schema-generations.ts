// Which change made a built schema, as seen from one file: a file's "others generation" stays the
// same across rebuilds caused only by edits to that file itself, and moves when any other file
// changed (or the run order did). Caches keyed per table (engine/file-rule-cache.ts) may then
// compare the shapes of the tables a statement reads instead of the schema's identity: when only
// the linted file changed, everything else the schema holds came from the same other files.
import type { SchemaModel } from './schema';

/** Per built schema: file path -> its others generation. */
const generations = new WeakMap<SchemaModel, ReadonlyMap<string, number>>();
let next = 1;

/**
 * Records `schema`'s generations: each path keeps its number from `previous` when `onlyChanged`
 * is that path, every other path gets a new number. Without `previous` (first build) or without
 * a single changed file, every path gets a new number.
 */
export function recordGenerations(schema: SchemaModel, paths: readonly string[], previous: SchemaModel | undefined, onlyChanged: string | undefined): void {
  const before = previous ? generations.get(previous) : undefined;
  const fresh = next++;
  const out = new Map<string, number>();
  for (const p of paths) {
    const kept = onlyChanged !== undefined && p === onlyChanged ? before?.get(p) : undefined;
    out.set(p, kept ?? fresh);
  }
  generations.set(schema, out);
}

/** The others generation of `path` in `schema`; undefined for schemas the workspace did not build. */
export function othersGeneration(schema: SchemaModel, path: string): number | undefined {
  return generations.get(schema)?.get(path);
}
