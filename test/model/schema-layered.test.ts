// A fork reads its parent's maps through a layer instead of copying them (schema-builder.ts):
// it must behave exactly like a copied Map changed the same way (values, size, iteration order
// after deletes and re-adds), through chains of forks, and bare-name table lookups must find the
// same first table as a scan of the tables in order.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TableModel } from '../../server/src/model/schema';
import { emptyTable, LayeredMap, MutableSchema } from '../../server/src/model/schema-builder';
import { seededRandom as random } from '../lib/seeded-random';

/** Deterministic pseudo-random numbers, so a failure can be replayed. */
function sameAsCopy(layered: Map<string, number>, copy: Map<string, number>, note: string): void {
  assert.deepEqual([...layered.entries()], [...copy.entries()], note);
  assert.deepEqual([...layered.keys()], [...copy.keys()], note);
  assert.deepEqual([...layered.values()], [...copy.values()], note);
  const seen: Array<[string, number]> = [];
  layered.forEach((v, k) => seen.push([k, v]));
  assert.deepEqual(seen, [...copy], note);
  assert.equal(layered.size, copy.size, note);
  for (let i = 0; i < 40; i++) {
    const k = `k${i}`;
    assert.equal(layered.get(k), copy.get(k), `${note}: get ${k}`);
    assert.equal(layered.has(k), copy.has(k), `${note}: has ${k}`);
  }
}

describe('LayeredMap', () => {
  it('matches a copied Map under random sets, deletes, clears and forks', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const rnd = random(seed);
      let layered = new LayeredMap<string, number>(new Map([['k0', 0], ['k1', 1], ['k2', 2]]));
      let copy = new Map<string, number>([['k0', 0], ['k1', 1], ['k2', 2]]);
      for (let step = 0; step < 400; step++) {
        const k = `k${Math.floor(rnd() * 40)}`;
        const r = rnd();
        const note = `seed ${seed} step ${step}`;
        if (r < 0.5) {
          assert.equal(layered.set(k, step), layered);
          copy.set(k, step);
        } else if (r < 0.8) {
          assert.equal(layered.delete(k), copy.delete(k), `${note}: delete ${k}`);
        } else if (r < 0.995) {
          // The parent stops changing: go on with the fork, as the workspace model does with checkpoints.
          layered = layered.fork();
          copy = new Map(copy);
        } else {
          layered.clear();
          copy.clear();
        }
        sameAsCopy(layered, copy, note);
      }
    }
  });

  it('leaves the parent as it was when the fork changes', () => {
    const parent = new LayeredMap<string, number>(new Map([['a', 1], ['b', 2]]));
    parent.set('c', 3);
    const before = [...parent];
    const fork = parent.fork();
    fork.delete('a');
    fork.set('b', 20);
    fork.set('d', 4);
    fork.set('a', 10);
    assert.deepEqual([...parent], before);
    assert.deepEqual([...fork], [['b', 20], ['c', 3], ['d', 4], ['a', 10]]);
  });

  it('forks a map forked before without copying its changes again (the workspace schema, forked per file)', () => {
    const base = new Map<string, number>();
    for (let i = 0; i < 1000; i++) base.set(`b${i}`, i);
    const built = new LayeredMap<string, number>(base);
    for (let i = 0; i < 100; i++) built.set(`n${i}`, i);
    built.delete('b3');
    const expected = [...built];
    const first = built.fork();
    assert.equal(first.layers().local.size, 101);
    const later = [built.fork(), built.fork()];
    for (const f of later) {
      assert.equal(f.layers().local.size, 0);
      assert.deepEqual([...f], expected);
    }
    assert.deepEqual([...built], expected);
    assert.deepEqual([...first], expected);
  });

  it('keeps content and order when a long fork chain is flattened', () => {
    let m = new LayeredMap<string, number>(new Map([['x', 0]]));
    const copy = new Map([['x', 0]]);
    for (let i = 0; i < 200; i++) {
      m.set(`t${i}`, i);
      copy.set(`t${i}`, i);
      if (i % 7 === 0) {
        m.delete('x');
        copy.delete('x');
        m.set('x', i);
        copy.set('x', i);
      }
      const parent = m;
      const snapshot = [...parent];
      m = m.fork();
      // Forking may flatten the parent in place: same entries, same order, same version.
      assert.deepEqual([...parent], snapshot);
    }
    assert.deepEqual([...m], [...copy]);
  });
});

function table(name: string, schema?: string): TableModel {
  return emptyTable(name, schema);
}

/** What `schema.table(bare)` must return: the exact key, else the first table of that name in order. */
function scanLookup(schema: MutableSchema, name: string): TableModel | undefined {
  return schema.tables.get(name) ?? [...schema.tables.values()].find((t) => t.name === name);
}

describe('MutableSchema forks', () => {
  it('find tables by bare name like a scan, through forks that add, replace, drop and re-add', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const rnd = random(seed);
      let schema = new MutableSchema();
      const names = ['accounts', 'payments', 'ledger', 'refunds', 'cards'];
      const schemas = ['public', 'billing', 'audit', 'ops'];
      for (let step = 0; step < 300; step++) {
        const name = names[Math.floor(rnd() * names.length)];
        const ns = schemas[Math.floor(rnd() * schemas.length)];
        const key = ns === 'public' ? name : `${ns}.${name}`;
        const r = rnd();
        if (r < 0.45) schema.setTable(key, table(name, ns));
        else if (r < 0.6) schema.tables.delete(key);
        else if (r < 0.7) schema.mutable(key);
        else if (r < 0.85) schema = schema.fork();
        // A table stored under a key that is not its name (as after a rename in some front-ends).
        else schema.setTable(`x.${name}${step}`, table(names[Math.floor(rnd() * names.length)], 'x'));
        for (const n of [...names, 'missing']) assert.equal(schema.table(n), scanLookup(schema, n), `seed ${seed} step ${step}: ${n}`);
      }
    }
  });

  it('records the table keys it set since the fork, and gives up when a key was deleted', () => {
    const parent = new MutableSchema();
    parent.setTable('accounts', table('accounts'));
    parent.setTable('payments', table('payments'));
    const fork = parent.fork();
    assert.deepEqual(fork.tableKeysSet(), []);
    fork.setTable('refunds', table('refunds'));
    fork.ensureTable('accounts');
    fork.mutable('accounts');
    assert.deepEqual(fork.tableKeysSet(), ['refunds', 'accounts']);
    assert.deepEqual(parent.tableKeysSet(), ['accounts', 'payments']);
    fork.tables.delete('payments');
    assert.equal(fork.tableKeysSet(), undefined);
    // A change that bypasses setTable is not a recorded key either.
    const other = parent.fork();
    other.tables.set('cards', table('cards'));
    assert.equal(other.tableKeysSet(), undefined);
  });

  it('does not copy the parent tables into a fork that adds one table', () => {
    const parent = new MutableSchema();
    for (let i = 0; i < 1000; i++) parent.setTable(`t${i}`, table(`t${i}`));
    const fork = parent.fork();
    fork.setTable('extra', table('extra'));
    const layers = (fork.tables as LayeredMap<string, TableModel>).layers();
    assert.equal(layers.base, parent.tables);
    assert.equal(layers.local.size, 1);
    assert.equal(fork.tables.size, 1001);
    assert.equal(fork.table('t500'), parent.tables.get('t500'));
  });
});
