// partial-index-opportunity and jsonb-containment-unindexed keep each query's result while the
// tables it reads keep their shape (schema-reads.ts), but a query with no constant filter, or no
// jsonb operator on a column, reports nothing whatever the schema: after a DDL edit it must not
// have its tables looked up again. Findings after DDL edits (an index that serves the query added
// and removed, a column's type turned boolean) must still equal a fresh lint's.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { Project } from '../../../server/src/engine/project';
import { RULES } from '../../../server/src/rules';
import { schemaReadsStats } from '../../../server/src/rules/lib/schema-reads';
import { initParser } from '../../../server/src/sql/parser';

before(async () => {
  await initParser();
});

const RULE_IDS = new Set(['partial-index-opportunity', 'jsonb-containment-unindexed']);
const rules = RULES.filter((r) => RULE_IDS.has(r.meta.id));

const TABLE = "CREATE TABLE payouts (\n  id bigint PRIMARY KEY,\n  status text NOT NULL,\n  on_hold text,\n  metadata jsonb NOT NULL DEFAULT '{}',\n  created_at timestamptz NOT NULL\n);\n";
/** Queries that cannot report, whatever the schema: no constant filter, no jsonb operator. */
const PLAIN_QUERIES = Array.from({ length: 300 }, (_, i) => `SELECT id FROM payouts WHERE id = $1 AND created_at > now() - interval '${i} days';\n`).join('');
const REPORTING = "SELECT id FROM payouts WHERE status = 'pending';\nSELECT id FROM payouts WHERE on_hold;\nSELECT id FROM payouts WHERE metadata @> '{\"a\": 1}';\n";

function fresh(text: string): string {
  return JSON.stringify(new Project(undefined, rules).lint('q.sql', text).findings);
}

test('after a DDL edit, queries that cannot report are not looked up in the schema again', () => {
  const project = new Project(undefined, rules);
  const text = TABLE + PLAIN_QUERIES + REPORTING;
  void project.lint('q.sql', text).findings;
  const asked = schemaReadsStats.asked;
  const edited = text.replace('created_at timestamptz', 'created_atx timestamptz');
  const findings = JSON.stringify(project.lint('q.sql', edited).findings);
  // Each rule asks about the three reporting queries at most twice (its concerns, then its endFile).
  assert.ok(schemaReadsStats.asked - asked <= 12, `asked ${schemaReadsStats.asked - asked} times`);
  assert.equal(findings, fresh(edited));
});

test('DDL edits that change what the reporting queries see give what a fresh lint gives', () => {
  const project = new Project(undefined, rules);
  const index = "CREATE INDEX payouts_pending_idx ON payouts (created_at) WHERE status = 'pending';\nCREATE INDEX payouts_meta_idx ON payouts USING gin (metadata);\n";
  const versions = [
    TABLE + PLAIN_QUERIES + REPORTING,
    TABLE + index + PLAIN_QUERIES + REPORTING,
    TABLE.replace('on_hold text', 'on_hold boolean') + index + PLAIN_QUERIES + REPORTING,
    TABLE.replace('on_hold text', 'on_hold boolean') + PLAIN_QUERIES + REPORTING,
    TABLE.replace('metadata jsonb', 'metadata json') + PLAIN_QUERIES + REPORTING,
  ];
  const counts: number[] = [];
  for (const text of versions) {
    const findings = project.lint('q.sql', text).findings;
    assert.equal(JSON.stringify(findings), fresh(text));
    counts.push(findings.length);
  }
  // The edits do change the findings: an index serves the status filter, a boolean flag reports.
  assert.notEqual(new Set(counts).size, 1, `findings per version: ${counts.join(', ')}`);
});
