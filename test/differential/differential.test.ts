// The whole incremental chain as a user drives it, over real JSON-RPC: a workspace of migrations
// (DDL across files), query files and a Drizzle schema, edited through didChange (typing, pasting,
// deleting lines, undo, multi-cursor, whole-text changes), saves, closes and reopens, and files
// created, changed, renamed and deleted on disk. At each checkpoint every open file's published
// diagnostics, fix-all edits and a sample of resolved quick fixes must equal what a fresh server says
// about the same buffers over the same disk. Fixed seeds; run-long.ts runs many more out of CI.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateCase } from './edit-ops';
import { runCase } from './run-case';

/** Between them: typing in Drizzle and SQL, multi-cursor and whole-text changes, saves, closes, files written, renamed and deleted on disk. */
const SEEDS = [103, 109, 110];
const EDITS = 24;

describe('differential: an edited server publishes what a fresh server says', () => {
  for (const seed of SEEDS) {
    it(`seed ${seed}`, { timeout: 60_000 }, async () => {
      const c = generateCase(seed, EDITS, 2);
      const r = await runCase(c, { quickFixSample: 2, bundle: process.env.DIFFERENTIAL_BUNDLE || undefined });
      assert.equal(r.checkpoints, 2);
      assert.deepEqual(r.divergences, [], `seed ${seed} diverged (replay: generateCase(${seed}, ${EDITS}, 2))`);
    });
  }
});
