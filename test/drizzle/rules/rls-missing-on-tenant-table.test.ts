// rls-missing-on-tenant-table on Drizzle schemas: `.enableRLS()` or a pgPolicy enables row level
// security; the fix appends `.enableRLS()`; FORCE needs SQL, so it has no TypeScript fix.
import rule from '../../../server/src/rules/rls-missing-on-tenant-table';
import { tsRuleTester } from '../../lib/ts-rule-tester';

const HEAD = "import { bigint, pgTable, text } from 'drizzle-orm/pg-core';\n";
const COLS = "  id: bigint('id', { mode: 'number' }).primaryKey(),\n  orgId: bigint('org_id', { mode: 'number' }).notNull(),\n";

tsRuleTester(rule, {
  valid: [
    { name: '.enableRLS() on a table that is not financial', code: `${HEAD}export const members = pgTable('members', {\n${COLS}}).enableRLS();\n` },
    {
      name: 'a pgPolicy enables RLS (drizzle-kit does)',
      code: `import { sql } from 'drizzle-orm';\nimport { bigint, pgPolicy, pgTable } from 'drizzle-orm/pg-core';\nexport const members = pgTable('members', {\n${COLS}}, (t) => [pgPolicy('members_org', { using: sql\`\${t.orgId} = 1\` })]);\n`,
    },
    { name: 'no tenant column', code: `${HEAD}export const countries = pgTable('countries', { code: text('code').primaryKey() });\n` },
  ],
  invalid: [
    {
      name: 'tenant column, no RLS: .enableRLS() is appended',
      code: `${HEAD}export const members = pgTable('members', {\n${COLS}});\n`,
      errors: [{ messageId: 'disabled', line: 2, column: 32, endColumn: 41, includes: ['members', 'org_id'] }],
      output: `${HEAD}export const members = pgTable('members', {\n${COLS}}).enableRLS();\n`,
    },
    {
      name: 'financial table with RLS enabled but not forced: no TypeScript fix',
      code: `${HEAD}export const wallets = pgTable('wallets', {\n${COLS}}).enableRLS();\n`,
      errors: [{ messageId: 'notForced', line: 2, includes: 'FORCE ROW LEVEL SECURITY' }],
      output: null,
    },
  ],
});
