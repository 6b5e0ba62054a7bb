// The bundled CLI as CI runs it: exit codes, file discovery, encodings, and the SARIF shape.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { onlyRules } from '../lib/only-rules';

/** The CLI's behaviour is under test, not the rule set: two rules stay on. */
const rules = (extra: Record<string, string> = {}) => JSON.stringify({ rules: onlyRules(['syntax-error', 'money-float-type'], extra) });

const BIN = path.resolve(__dirname, '../../../bin/ledgerlint.js');

function cli(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('ledgerlint CLI', () => {
  let root: string;
  const write = (rel: string, content: string | Buffer) => {
    const p = path.join(root, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
  };

  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlint-cli-'));
    write('db/0001_init.sql', 'CREATE TABLE payments (\n  id bigint PRIMARY KEY,\n  amount double precision NOT NULL\n);\n');
    write('db/0002_broken.sql', 'SELEC 1;\nCREATE TABLE refunds (id bigint PRIMARY KEY, amount real);\n');
    write('db/0003_crlf_bom.sql', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('-- note\r\nCREATE TABLE fees (id bigint PRIMARY KEY, fee real);\r\n')]));
    write('db/0004_latin1.sql', Buffer.concat([Buffer.from('-- caf'), Buffer.from([0xe9]), Buffer.from('\nCREATE TABLE t (id bigint PRIMARY KEY, price real);\n')]));
    write('node_modules/x/bad.sql', 'CREATE TABLE x (amount real);');
    write('generated/bad.sql', 'CREATE TABLE y (amount real);');
    write('.gitignore', 'generated/\n');
    write('ledgerlint.json', rules());
    write('db/ledgerlint.json', rules());
    write('clean/ledgerlint.json', rules());
    write('clean/ok.sql', "CREATE TABLE countries (code text PRIMARY KEY CHECK (code ~ '^[A-Z]{2}$'), name text NOT NULL);\n");
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('exits 0 on clean files and prints a summary', () => {
    const r = cli(['check', 'clean'], root);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /No problems found in 1 file\./);
  });

  it('finds .sql files below a root, skipping node_modules and .gitignore, and exits 1 on errors', () => {
    const r = cli(['check', '.'], root);
    assert.equal(r.code, 1, r.stderr);
    assert.doesNotMatch(r.stdout, /node_modules|generated/);
    // The syntax error does not hide the finding after it in the same file.
    assert.match(r.stdout, /db\/0002_broken\.sql\n {2}1:1 +error +syntax error at or near "SELEC"[^\n]*\n {2}2:46 +error +refunds\.amount/);
    // BOM and CRLF: positions are those an editor shows.
    assert.match(r.stdout, /db\/0003_crlf_bom\.sql\n {2}2:43 +error +fees\.fee/);
    // Not UTF-8: reported once, and the file is still checked.
    assert.match(r.stdout, /db\/0004_latin1\.sql\n {2}1:1 +error +This file is not valid UTF-8 \(first invalid byte at offset 6\)[^\n]*\n {2}2:40 +error +t\.price/);
  });

  it('reads ledgerlint.json at the root', () => {
    write('cfg/ledgerlint.json', rules({ 'money-float-type': 'warning' }));
    write('cfg/a.sql', 'CREATE TABLE t (id bigint PRIMARY KEY, amount real);');
    const r = cli(['check', 'cfg'], root);
    assert.equal(r.code, 0, r.stdout);
    assert.match(r.stdout, /warning +t\.amount/);
    write('cfg/ledgerlint.json', rules({ 'money-float-type': 'loud' }));
    const bad = cli(['check', 'cfg'], root);
    assert.equal(bad.code, 1);
    assert.match(bad.stdout, /ledgerlint\.json\n {2}1:\d+ +error +Rule "money-float-type": severity must be one of/);
  });

  it('--max-warnings turns warnings into a failure', () => {
    write('warn/a.sql', 'CREATE TABLE t (id bigint PRIMARY KEY, amount real);');
    write('warn/ledgerlint.json', rules({ 'money-float-type': 'warning' }));
    assert.equal(cli(['check', 'warn', '--max-warnings', '0'], root).code, 1);
    assert.equal(cli(['check', 'warn', '--max-warnings', '1'], root).code, 0);
  });

  it('exits 2 on usage errors', () => {
    assert.equal(cli(['check', '--format', 'xml'], root).code, 2);
    assert.equal(cli(['check', 'does-not-exist'], root).code, 2);
    assert.equal(cli(['--bogus'], root).code, 2);
    assert.equal(cli(['--version'], root).code, 0);
  });

  it('writes JSON with 1-based positions and fixes', () => {
    const r = cli(['check', 'db', '--format', 'json'], root);
    const json = JSON.parse(r.stdout);
    const file = json.files.find((f: { path: string }) => f.path === '0001_init.sql');
    assert.ok(file, r.stdout);
    const f = file.findings[0];
    assert.deepEqual([f.ruleId, f.line, f.column, f.endLine, f.endColumn], ['money-float-type', 3, 3, 3, 26]);
    assert.equal(f.fixes[0].edits[0].newText, 'numeric(19,4)');
    assert.ok(json.summary.error >= 4);
  });

  it('writes SARIF 2.1.0 that code scanning accepts', () => {
    const r = cli(['check', 'db', '--format', 'sarif'], root);
    assert.equal(r.code, 1);
    const sarif = JSON.parse(r.stdout);
    assert.equal(sarif.version, '2.1.0');
    assert.match(sarif.$schema, /sarif-2\.1\.0/);
    const run = sarif.runs[0];
    assert.equal(run.tool.driver.name, 'ledgerlint');
    const ruleIds = run.tool.driver.rules.map((x: { id: string }) => x.id);
    assert.ok(ruleIds.includes('money-float-type'));
    for (const rule of run.tool.driver.rules) {
      assert.match(rule.helpUri, /^https:\/\/.+\/docs\/rules\/[a-z0-9-]+\.md$/);
      assert.ok(rule.shortDescription.text.length > 10);
      assert.ok(['error', 'warning', 'note'].includes(rule.defaultConfiguration.level));
    }
    assert.ok(run.results.length >= 5);
    for (const res of run.results) {
      assert.ok(ruleIds.includes(res.ruleId));
      assert.equal(run.tool.driver.rules[res.ruleIndex].id, res.ruleId);
      assert.ok(['error', 'warning', 'note'].includes(res.level));
      const loc = res.locations[0].physicalLocation;
      assert.equal(loc.artifactLocation.uriBaseId, '%SRCROOT%');
      assert.ok(!path.isAbsolute(loc.artifactLocation.uri));
      assert.ok(loc.region.startLine >= 1 && loc.region.startColumn >= 1 && loc.region.endLine >= loc.region.startLine);
    }
    const first = run.results.find((x: { locations: any[] }) => x.locations[0].physicalLocation.artifactLocation.uri === '0001_init.sql');
    assert.deepEqual(first.locations[0].physicalLocation.region, { startLine: 3, startColumn: 3, endLine: 3, endColumn: 26 });
    assert.ok(run.originalUriBaseIds['%SRCROOT%'].uri.startsWith('file://'));
  });
});
