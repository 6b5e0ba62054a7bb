// LayeredMap iterates without its generator when it can (no changes of its own, or only keys added
// since its base): keys, values, entries and forEach must still give exactly what a copied Map
// changed the same way gives, in the same order, in each of those states and the general one.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LayeredMap } from '../../server/src/model/schema-builder';
import { seededRandom } from '../lib/seeded-random';

function same(layered: LayeredMap<string, number>, copy: Map<string, number>, note: string): void {
  assert.deepEqual([...layered.values()], [...copy.values()], `${note}: values`);
  assert.deepEqual([...layered.keys()], [...copy.keys()], `${note}: keys`);
  assert.deepEqual([...layered.entries()], [...copy.entries()], `${note}: entries`);
  assert.deepEqual([...layered], [...copy], `${note}: iterator`);
  const seen: Array<[string, number]> = [];
  layered.forEach((v, k) => seen.push([k, v]));
  assert.deepEqual(seen, [...copy], `${note}: forEach`);
}

const BASE: Array<[string, number]> = [['a', 1], ['b', 2], ['c', 3]];

describe('LayeredMap iteration', () => {
  it('with no changes, only additions, a replacement, a delete, and a delete then re-add', () => {
    const cases: Array<[string, (m: Map<string, number>) => void]> = [
      ['unchanged', () => {}],
      ['added', (m) => m.set('d', 4).set('e', 5)],
      ['replaced', (m) => m.set('b', 20)],
      ['added and replaced', (m) => m.set('d', 4).set('a', 10)],
      ['deleted', (m) => m.delete('a')],
      ['deleted then re-added', (m) => (m.delete('b'), m.set('b', 7))],
      ['added then deleted', (m) => (m.set('d', 4), m.delete('d'))],
      ['cleared then added', (m) => (m.clear(), m.set('z', 9))],
    ];
    for (const [note, change] of cases) {
      const layered = new LayeredMap<string, number>(new Map(BASE)).fork();
      const copy = new Map(BASE);
      change(layered);
      change(copy);
      same(layered, copy, note);
      // A fork of it (flattened or copied) iterates the same, before and after its own additions.
      const fork = layered.fork();
      const forkCopy = new Map(copy);
      same(fork, forkCopy, `${note}, forked`);
      fork.set('new', 0);
      forkCopy.set('new', 0);
      same(fork, forkCopy, `${note}, forked and added to`);
    }
  });

  it('matches a copy under random additions, replacements and deletes across forks', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const random = seededRandom(seed);
      let layered = new LayeredMap<string, number>(new Map(BASE));
      let copy = new Map(BASE);
      for (let step = 0; step < 200; step++) {
        const r = random();
        // Mostly new keys, as migrations add tables, so the additions-only state comes up often.
        const k = r < 0.6 ? `n${step}` : `k${Math.floor(random() * 12)}`;
        if (r < 0.85) {
          layered.set(k, step);
          copy.set(k, step);
        } else if (r < 0.95) {
          layered.delete(k);
          copy.delete(k);
        } else {
          layered = layered.fork();
          copy = new Map(copy);
        }
        same(layered, copy, `seed ${seed} step ${step}`);
      }
    }
  });
});
