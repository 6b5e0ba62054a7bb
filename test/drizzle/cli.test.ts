// `ledgerlint check` on a workspace with a Drizzle service next to SQL migrations: TypeScript files
// that use drizzle-orm or pg are found and checked, the db handle is learned from its module, and
// every output format points into the TypeScript.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { run } from '../../server/src/cli/main';

describe('ledgerlint check on TypeScript', () => {
  let root: string;
  const write = (rel: string, content: string) => {
    const p = path.join(root, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
  };
  const check = async (...args: string[]) => {
    let stdout = '';
    const cwd = process.cwd();
    process.chdir(root);
    try {
      const code = await run(['check', ...args], (s) => (stdout += s));
      return { code, stdout };
    } finally {
      process.chdir(cwd);
    }
  };

  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlint-drizzle-cli-'));
    write('db/0001_init.sql', 'CREATE TABLE refunds (id bigint PRIMARY KEY, amount numeric(19,4) NOT NULL);\n');
    write('src/db.ts', "import { drizzle } from 'drizzle-orm/node-postgres';\nexport const db = drizzle(process.env.DATABASE_URL!);\n");
    write('src/schema.ts', "import { pgTable, real, text } from 'drizzle-orm/pg-core';\nexport const payouts = pgTable('payouts', {\n  id: text('id').primaryKey(),\n  amount: real('amount').notNull(),\n});\n");
    // Imports only the handle: not a drizzle-orm file, so it is not picked up by the directory walk.
    write('src/purge.ts', "import { db } from './db';\nimport { payouts } from './schema';\nexport const purge = () => db.delete(payouts);\n");
    write('src/jobs.ts', "import { sql } from 'drizzle-orm';\nimport { db } from './db';\nimport { payouts } from './schema';\nexport const purgeAll = () => db.delete(payouts);\nexport const q = () => db.execute(sql`UPDATE refunds SET amount = 0`);\n");
    write('src/util.ts', "export const add = (a: number, b: number) => a + b;\n");
    write('src/types.d.ts', "import 'drizzle-orm';\n");
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('text: TypeScript findings with positions in the TypeScript files', async () => {
    const r = await check('.');
    assert.equal(r.code, 1);
    assert.match(r.stdout, /src\/schema\.ts\n(?: {2}[^\n]*\n)*? {2}4:3 +error +payouts\.amount stores money as real/);
    const jobs = r.stdout.slice(r.stdout.indexOf('src/jobs.ts\n'));
    assert.match(jobs, /^src\/jobs\.ts\n(?: {2}[^\n]*\n)*? {2}4:34 +error +\.delete\(payouts\) has no \.where\(\)[^\n]*unbounded-update-delete\n/);
    assert.match(jobs, /^src\/jobs\.ts\n(?: {2}[^\n]*\n)*? {2}5:39 +error +UPDATE refunds has no WHERE clause/);
    assert.doesNotMatch(r.stdout, /util\.ts|types\.d\.ts|purge\.ts/);
  });

  it('json and sarif: same findings, SARIF locations and rule descriptors for Drizzle-only ids', async () => {
    write('src/money.ts', "import { numeric, pgTable } from 'drizzle-orm/pg-core';\nexport const fees = pgTable('fees', { fee: numeric('fee', { mode: 'number' }) });\n");
    const json = JSON.parse((await check('.', '--format', 'json')).stdout);
    const files = JSON.stringify(json);
    assert.match(files, /src\/money\.ts/);
    assert.match(files, /drizzle-money-js-number/);
    const sarif = JSON.parse((await check('.', '--format', 'sarif')).stdout);
    const sarifRun = sarif.runs[0];
    const result = sarifRun.results.find((x: any) => x.ruleId === 'drizzle-money-js-number');
    assert.equal(result.locations[0].physicalLocation.artifactLocation.uri, 'src/money.ts');
    assert.equal(result.locations[0].physicalLocation.region.startLine, 2);
    assert.ok(result.ruleIndex >= 0, 'the Drizzle-only rule has a descriptor');
    assert.equal(sarifRun.tool.driver.rules[result.ruleIndex].id, 'drizzle-money-js-number');
  });
});
