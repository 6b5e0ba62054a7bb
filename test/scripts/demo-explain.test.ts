// `npm run demo`'s second half: the examples' migrations applied to a real PostgreSQL, seeded, and
// the slow example query's hover. It broke once when a new example migration referenced a seeded
// table (TRUNCATE refused) and once when a new example index made the "slow" query fast, so the
// demo must show a plan with a finding, for the query as written and for a literal merchant.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { explainSlowExampleQuery } from '../../scripts/demo-explain';
import { initParser } from '../../server/src/sql/parser';

test('the demo explains its slow example query on the seeded examples database, with findings', { timeout: 180_000 }, async () => {
  await initParser();
  const demo = await explainSlowExampleQuery();
  for (const [name, markdown] of [['as written', demo.genericHover], ['for one merchant', demo.literalHover]] as const) {
    assert.match(markdown, /^\*\*EXPLAIN\*\* · cost [\d,.]+/m, `${name}: no plan header in\n${markdown}`);
    assert.match(markdown, /payments/, name);
    assert.match(markdown, /^1\. .+\n(.|\n)*Fix: /m, `${name}: no ranked finding with a fix in\n${markdown}`);
  }
  assert.ok(demo.timings.some((t) => t.step === 'stop PostgreSQL'), 'the demo stops the PostgreSQL it started');
});
