import assert from 'node:assert/strict';
import { test } from 'node:test';
import { htmlTreeRenderer, renderPlanTree } from '../../client/src/planHtml';

const plan = [{
  Plan: {
    'Node Type': 'Nested Loop', 'Join Type': 'Inner', 'Startup Cost': 0.29, 'Total Cost': 16.5, 'Plan Rows': 1, 'Plan Width': 8,
    Plans: [
      { 'Node Type': 'Seq Scan', 'Relation Name': 'payments', Alias: 'p', 'Startup Cost': 0, 'Total Cost': 8.1, 'Plan Rows': 1, Filter: '(amount > 100)' },
      { 'Node Type': 'Index Scan', 'Index Name': 'accounts_pkey', 'Relation Name': 'accounts', Alias: 'accounts', 'Startup Cost': 0.29, 'Total Cost': 8.3, 'Plan Rows': 1 },
    ],
  },
  'Planning Time': 0.12,
}];

test('renders every plan node with its relation, index and costs', () => {
  const html = renderPlanTree(plan);
  assert.equal(html.match(/<details open class="node">/g)?.length, 3);
  assert.match(html, /Inner Nested Loop/);
  assert.match(html, /Seq Scan on payments p/);
  assert.match(html, /Index Scan using accounts_pkey on accounts</);
  assert.match(html, /cost 0\.29\.\.16\.5/);
  assert.match(html, /\(amount &#62; 100\)/);
  assert.match(html, /Planning Time/);
});

test('escapes text from the database and forbids scripts', () => {
  const hostile = [{ Plan: { 'Node Type': 'Seq Scan', 'Relation Name': '<script>alert(1)</script>' } }];
  const html = htmlTreeRenderer.html({ title: '<b>x</b>', markdown: '<img src=x onerror=alert(1)>', planJson: hostile }, 'vscode-resource:');
  assert.doesNotMatch(html, /<script>|<img|<b>x/);
  assert.match(html, /default-src 'none'/);
  assert.doesNotMatch(html, /script-src/);
});

test('odd plan shapes render without throwing', () => {
  for (const odd of [undefined, null, 42, 'text', [], [{}], [{ Plan: 'x' }], { Plan: { Plans: [null, 1, { 'Node Type': 'Result' }] } }]) {
    assert.equal(typeof renderPlanTree(odd), 'string');
    assert.equal(typeof htmlTreeRenderer.html({ title: 't', markdown: '', planJson: odd }, 'csp'), 'string');
  }
  let deep: Record<string, unknown> = { 'Node Type': 'Result' };
  for (let i = 0; i < 5000; i++) deep = { 'Node Type': 'Append', Plans: [deep] };
  assert.match(renderPlanTree([{ Plan: deep }]), /deeper nodes omitted/);
});
