import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareFindings, mergeInto, orderFindings, sortFindings } from '../../server/src/engine/finding-order';
import type { Finding } from '../../server/src/engine/types';
import { seededRandom } from '../lib/seeded-random';

let made = 0;
function finding(start: number, end: number, ruleId: string): Finding {
  return { ruleId, messageId: 'm', message: `#${made++}`, severity: 'warning', span: { start, end }, data: undefined, fixes: undefined };
}

/** The order as defined: flatten the runs, merge with the sorted others (runs first on ties), sort again. */
function reference(runs: Finding[][], others: Finding[]): Finding[] {
  const out: Finding[] = [];
  mergeInto(out, runs.flat(), sortFindings([...others]));
  return sortFindings(out);
}

test('orderFindings equals flatten + merge + sort: ties, empty runs, others before, between and after the runs, a run out of order', () => {
  const random = seededRandom(3);
  const ids = ['a', 'b', 'c'];
  for (let round = 0; round < 400; round++) {
    const runs: Finding[][] = [];
    let at = 0;
    for (let s = Math.floor(random() * 8); s > 0; s--) {
      const run: Finding[] = [];
      for (let n = Math.floor(random() * 4); n > 0; n--) {
        const start = at + Math.floor(random() * 3);
        run.push(finding(start, start + Math.floor(random() * 3), ids[Math.floor(random() * 3)]));
      }
      sortFindings(run);
      // Sometimes a rule reports outside its statement: runs no longer in order of each other.
      if (random() < 0.1) run.push(finding(Math.floor(random() * 5), 1, 'z'));
      runs.push(run);
      at += Math.floor(random() * 4);
    }
    const others: Finding[] = [];
    for (let n = Math.floor(random() * 5); n > 0; n--) {
      const start = Math.floor(random() * (at + 3));
      others.push(finding(start, start + Math.floor(random() * 3), ids[Math.floor(random() * 3)]));
    }
    const expected = reference(runs, others);
    const actual = orderFindings(runs, [...others]);
    assert.equal(actual.length, expected.length, `round ${round}`);
    actual.forEach((f, i) => assert.equal(f, expected[i], `round ${round}, position ${i}`));
    for (let i = 1; i < actual.length; i++) assert.ok(compareFindings(actual[i - 1], actual[i]) <= 0);
  }
});
