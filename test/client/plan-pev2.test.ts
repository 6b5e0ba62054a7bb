/**
 * The pev2 plan view: the page's CSP and references (pure HTML), the esbuild bundle (built into a temp
 * folder), and, when Chromium is installed, the real page drawing a real plan from the seeded database
 * under that CSP.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import { findingViews, newNonce, pev2Html } from '../../client/src/planPev2Html';

const ROOT = path.resolve(__dirname, '../../..');
const CHROMIUM = '/usr/bin/chromium';
// EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON, SETTINGS) of the nested-loop query on the demo seed (PostgreSQL 18).
const PLAN = JSON.parse(fs.readFileSync(path.join(ROOT, 'test/client/fixtures/nested-loop-plan.json'), 'utf8')) as unknown;
const FINDINGS = [
  { id: 'nested-loop-many-loops', severity: 'warning', share: 0.93, title: 'Nested Loop runs its inner scan of payments 2,000 times', detail: 'd', fix: 'CREATE STATISTICS customers_country_currency_stats ...' },
  { id: 'x', severity: '<b>evil</b>', title: '<img src=x onerror=alert(1)>' },
  'not a finding',
];
const assets = { cspSource: 'https://file+.vscode-resource.vscode-cdn.net', scriptUri: 'https://res/dist/planview.js', styleUri: 'https://res/dist/planview.css', nonce: 'abc123' };

let outDir: string;
let built: { js: number; css: number } | undefined;

before(async () => {
  outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlint-planview-'));
  // A real ES module import (tsc keeps `import()` as is under node16 module resolution).
  const { buildWebview } = await import(pathToFileURL(path.join(ROOT, 'scripts/webview-build.mjs')).href);
  built = await buildWebview(ROOT, outDir);
});

after(() => fs.rmSync(outDir, { recursive: true, force: true }));

test('the page lets in only the nonce-bearing bundle and its stylesheet', () => {
  const html = pev2Html({ title: 'SELECT ...', markdown: '', planJson: PLAN, findings: FINDINGS, query: 'SELECT 1' }, assets);
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '';
  assert.match(csp, /^default-src 'none'; script-src 'nonce-abc123'; style-src https:\/\/file\+\.vscode-resource\.vscode-cdn\.net 'unsafe-inline'; img-src https:\/\/file\+\.vscode-resource\.vscode-cdn\.net data:; font-src/);
  assert.doesNotMatch(csp, /unsafe-eval|script-src[^;]*(unsafe-inline|https?:|\*)/);
  assert.equal(html.match(/<script\b(?![^>]*type="application\/json")/g)?.length, 1, 'exactly one executable script');
  assert.match(html, /<script nonce="abc123" src="https:\/\/res\/dist\/planview\.js"><\/script>/);
  assert.match(html, /<link rel="stylesheet" href="https:\/\/res\/dist\/planview\.css">/);
  assert.match(html, /<main id="ledgerlint-pev2">/);
  assert.match(html, /Nested Loop runs its inner scan of payments 2,000 times/);
  assert.match(html, /93% at stake/);
  assert.doesNotMatch(html, /<img|<b>evil/);
});

test('plan text cannot close the data block; no plan means no script', () => {
  const hostile = [{ Plan: { 'Node Type': 'Seq Scan', 'Relation Name': '</script><script>alert(1)</script>' } }];
  const html = pev2Html({ title: 't', markdown: '', planJson: hostile }, assets);
  assert.equal(html.match(/<\/script>/g)?.length, 2, 'only the data block and the bundle close a script element');
  const data = /<script type="application\/json" id="ledgerlint-plan-data">([^<]*)<\/script>/.exec(html)?.[1];
  assert.deepEqual(JSON.parse(JSON.parse(data!).planSource), hostile);
  const none = pev2Html({ title: 't', markdown: '', error: 'cannot connect: ECONNREFUSED' }, assets);
  assert.doesNotMatch(none, /<script/);
  assert.match(none, /cannot connect: ECONNREFUSED/);
  assert.deepEqual(findingViews('nope'), []);
  assert.notEqual(newNonce(), newNonce());
  assert.match(newNonce(), /^[A-Za-z0-9]{16,}$/);
});

test('the bundle builds offline: Vue, pev2 and Bootstrap inlined, nothing fetched', () => {
  assert.ok(built && built.js > 200_000 && built.css > 100_000, JSON.stringify(built));
  const js = fs.readFileSync(path.join(outDir, 'planview.js'), 'utf8');
  const css = fs.readFileSync(path.join(outDir, 'planview.css'), 'utf8');
  assert.match(js, /ledgerlint-plan-data/);
  assert.ok(js.startsWith('"use strict";(()=>{'), 'one self-contained script (an IIFE: no imports to resolve)');
  assert.match(css, /--bs-body-font-family/, 'Bootstrap, which pev2 needs');
  assert.match(css, /\.plan-node/, 'pev2 styles');
  assert.doesNotMatch(css, /@import|url\(\s*["']?https?:/);
});

test('Chromium draws the plan with pev2 under the page CSP', { skip: !fs.existsSync(CHROMIUM) && `${CHROMIUM} is not installed` }, async () => {
  const { chromium } = await import('playwright-core');
  const page = path.join(outDir, 'index.html');
  fs.writeFileSync(page, pev2Html({ title: 'nested loop', markdown: '', planJson: PLAN, findings: FINDINGS, query: 'SELECT c.id ...' }, {
    cspSource: 'file:', scriptUri: pathToFileURL(path.join(outDir, 'planview.js')).href, styleUri: pathToFileURL(path.join(outDir, 'planview.css')).href, nonce: newNonce(),
  }));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  try {
    const tab = await browser.newPage();
    const errors: string[] = [];
    tab.on('pageerror', (e) => errors.push(e.message));
    tab.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    await tab.addInitScript({ content: "document.addEventListener('securitypolicyviolation', (e) => console.error('CSP blocked ' + e.violatedDirective + ' ' + e.blockedURI));" });
    await tab.goto(pathToFileURL(page).href);
    await tab.waitForSelector('body.pev2-ready .plan-node', { timeout: 20_000 });
    const nodeTypes = await tab.$$eval('.plan-node', (els) => els.map((e) => e.textContent?.replace(/\s+/g, ' ').trim()));
    assert.equal(nodeTypes.length, 5, nodeTypes.join(' | '));
    for (const parts of [['Aggregate'], ['Sort'], ['Nested Loop'], ['Seq Scan', 'on customers'], ['Index Scan', 'on payments', 'payments_customer_id_idx']]) {
      assert.ok(nodeTypes.some((t) => parts.every((p) => t?.includes(p))), `pev2 drew ${parts.join(' ')}: ${nodeTypes.join(' | ')}`);
    }
    assert.match(await tab.textContent('aside') ?? '', /Nested Loop runs its inner scan of payments 2,000 times/);
    // VS Code puts its theme kind on the body (and changes it live); Bootstrap follows data-bs-theme.
    assert.equal(await tab.getAttribute('html', 'data-bs-theme'), 'light');
    await tab.evaluate('document.body.classList.add("vscode-dark")');
    await tab.waitForSelector('html[data-bs-theme="dark"]', { timeout: 5_000 });
    assert.deepEqual(errors.filter((e) => /CSP|Refused|error/i.test(e)), [], errors.join('\n'));
  } finally {
    await browser.close();
  }
});
