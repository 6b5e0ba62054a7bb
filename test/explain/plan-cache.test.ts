import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { PlanCache } from '../../server/src/explain/plan-cache';

const key = (sql: string, label = 'app@db:5432/pay') => ({ sql, connectionLabel: label });

test('hits ignore whitespace; connection and params are part of the key', () => {
  const cache = new PlanCache<string>();
  cache.set(key('SELECT * FROM payments'), 'plan', ['payments']);
  assert.equal(cache.get(key('SELECT *\n  FROM payments ')), 'plan');
  assert.equal(cache.get(key('SELECT * FROM payments', 'app@replica:5432/pay')), undefined);
  assert.equal(cache.get({ ...key('SELECT * FROM payments'), params: { analyze: 'select' } }), undefined);
});

test('invalidateTables drops only plans that touch the tables', () => {
  const cache = new PlanCache<string>();
  cache.set(key('a'), 'A', ['payments', 'customers']);
  cache.set(key('b'), 'B', ['ledger_entries']);
  assert.equal(cache.invalidateTables(['public.Payments']), 1);
  assert.equal(cache.get(key('a')), undefined);
  assert.equal(cache.get(key('b')), 'B');
});

test('LRU bound evicts the least recently used entry', () => {
  const cache = new PlanCache<number>(2);
  cache.set(key('1'), 1, []);
  cache.set(key('2'), 2, []);
  cache.get(key('1'));
  cache.set(key('3'), 3, []);
  assert.equal(cache.size, 2);
  assert.equal(cache.get(key('2')), undefined);
  assert.equal(cache.get(key('1')), 1);
  cache.invalidateConnection('app@db:5432/pay');
  assert.equal(cache.size, 0);
});

test('dropChanged drops the plans whose tables changed in the workspace model, once', () => {
  const versions = new Map<string, string | undefined>([['payments', 'v1'], ['customers', 'c1']]);
  const versionOf = (t: string) => versions.get(t);
  const cache = new PlanCache<string>();
  cache.set(key('a'), 'A', ['public.payments', 'customers'], versionOf);
  cache.set(key('b'), 'B', ['customers'], versionOf);
  cache.set(key('c'), 'C', ['ledger_entries'], versionOf);
  assert.deepEqual(cache.dropChanged(versionOf), [], 'nothing changed');
  versions.set('payments', 'v2');
  assert.deepEqual(cache.dropChanged(versionOf), ['payments']);
  assert.equal(cache.get(key('a')), undefined);
  assert.equal(cache.get(key('b')), 'B');
  // A table the model did not know, created by a new migration, is a change too.
  versions.set('ledger_entries', 'l1');
  assert.deepEqual(cache.dropChanged(versionOf), ['ledger_entries']);
  assert.equal(cache.get(key('c')), undefined);
  assert.equal(cache.size, 1);
});
