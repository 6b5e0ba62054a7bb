// n-plus-one-query on code mid-edit: every prefix of the fixtures and of the batched rewrites (what
// the editor sees while typing) is checked without the check throwing, and odd but valid shapes
// (labels, destructuring, nested loops, optional chains) still get a finding.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { initParser } from '../../../server/src/sql/parser';
import check from '../../../server/src/drizzle/n-plus-one/n-plus-one-query';
import { lintTs } from '../../lib/ts-rule-tester';
import { FIXTURES, loadFixture } from './harness';
import { analyseTypeScript } from '../../../server/src/drizzle/analysis';
import { drizzleContribution } from '../../../server/src/drizzle/model';
import { resolveConfig } from '../../../server/src/engine/config';
import { WorkspaceModel } from '../../../server/src/model/workspace-model';
import { lintTypeScriptDocument } from '../../../server/src/drizzle/project';
import type { Report } from '../../../server/src/engine/types';
import { emptyContribution } from '../../../server/src/model/replay-context';
import { MutableSchema } from '../../../server/src/model/schema-builder';

describe('n-plus-one-query on incomplete and unusual code', () => {
  before(() => initParser());

  it('never throws on any prefix (step 7) of the fixtures and their rewrites', () => {
    let runs = 0;
    for (const file of fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.ts'))) {
      const f = loadFixture(path.basename(file, '.ts'));
      for (const text of [f.original, f.rewritten]) {
        for (let end = 0; end <= text.length; end += 7) {
          lintTs(check, { code: text.slice(0, end) }); // asserts that no rule threw
          runs++;
        }
      }
    }
    assert.ok(runs > 500, `only ${runs} runs`);
  });

  it('labelled loops, destructured elements, nested loops and parenthesised awaits are handled', () => {
    const code = `import { eq } from 'drizzle-orm';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import { integer, pgTable } from 'drizzle-orm/pg-core';
export const payments = pgTable('payments', { id: integer('id').primaryKey(), invoiceId: integer('invoice_id') });
export async function f(db: NodePgDatabase, groups: Array<{ invoices: Array<{ id: number }> }>) {
  const out = [];
  outer: for (const { invoices } of groups) {
    for (const { id } of invoices) {
      const rows = (await db.select().from(payments).where(eq(payments.invoiceId, id)));
      if (!rows.length) continue outer;
      out.push(rows);
    }
  }
  return out;
}`;
    const { findings } = lintTs(check, { code });
    assert.equal(findings.length, 1);
    assert.match(findings[0].message, /element of `invoices` \(for\.\.\.of on line 8\)/);
    assert.equal(findings[0].messageId, 'batchable');
  });
});

describe('n-plus-one-query with tables from another module', () => {
  before(() => initParser());
  const repo = `import { eq } from 'drizzle-orm';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import { customers } from './schema';
export async function f(db: NodePgDatabase<{ customers: typeof customers }>, ids: number[]) {
  return Promise.all(ids.map((id) => db.query.customers.findFirst({ where: eq(customers.id, id) })));
}`;
  const schemaFile = `import { integer, pgTable, text } from 'drizzle-orm/pg-core';
export const customers = pgTable('customers', { id: integer('id').primaryKey(), name: text('name') });`;

  function run(withSchema: boolean) {
    const findings: Report[] = [];
    const schema = new MutableSchema();
    if (withSchema) drizzleContribution(analyseTypeScript('schema.ts', schemaFile).tables)(schema, emptyContribution(), (span) => ({ file: 'schema.ts', span, order: 0 }));
    const context = { analysis: analyseTypeScript('repo.ts', repo), vocabulary: resolveConfig(undefined).vocabulary, report: (r: Report) => findings.push(r), schema: withSchema ? schema : undefined };
    check.check(context);
    return findings;
  }

  it('without the workspace model the key is not known to be unique: explained, no fix', () => {
    const [f, ...rest] = run(false);
    assert.equal(rest.length, 0);
    assert.equal(f.messageId, 'notBatchable');
    assert.match(String(f.data?.reason), /customers\.id is not in the workspace model/);
  });

  it('with the workspace model (context.schema) the primary key allows the findMany rewrite', () => {
    const [f] = run(true);
    assert.equal(f.messageId, 'batchable', String(f.data?.reason));
    assert.ok(f.fixes?.[0]?.edits.some((e) => e.newText.includes('findMany')));
  });
});

describe('n-plus-one-query in the language server flow (lintTypeScriptDocument with a workspace model)', () => {
  before(() => initParser());

  it('a primary key declared by a SQL migration lets the findFirst loop batch; without it, no fix', () => {
    const repo = `import { eq } from 'drizzle-orm';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import { customers } from './schema';
export async function f(db: NodePgDatabase<{ customers: typeof customers }>, ids: number[]) {
  return Promise.all(ids.map((id) => db.query.customers.findFirst({ where: eq(customers.id, id) })));
}`;
    const config = resolveConfig(undefined);
    const lint = (model: WorkspaceModel) =>
      lintTypeScriptDocument('file:///ws/src/repo.ts', repo, { config, model, rules: [] }).findings.filter((x) => x.ruleId === 'n-plus-one-query');
    const withKey = new WorkspaceModel();
    withKey.setFile('file:///ws/drizzle/0000_init.sql', 'CREATE TABLE customers (id integer PRIMARY KEY, name text);\n', { order: 0, role: 'up' });
    const [batched] = lint(withKey);
    assert.equal(batched?.messageId, 'batchable', batched?.message);
    const withoutKey = new WorkspaceModel();
    withoutKey.setFile('file:///ws/drizzle/0000_init.sql', 'CREATE TABLE customers (id integer, name text);\n', { order: 0, role: 'up' });
    const [explained] = lint(withoutKey);
    assert.equal(explained?.messageId, 'notBatchable');
    assert.equal(explained?.fixes?.length ?? 0, 0);
  });
});
