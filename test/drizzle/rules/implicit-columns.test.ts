import check from '../../../server/src/drizzle/rules/implicit-columns';
import sqlRule from '../../../server/src/rules/implicit-columns';
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { tsRuleTester } from '../../lib/ts-rule-tester';

it('implicit-columns: the Drizzle check builds on the SQL rule\'s meta (one meta per id)', () => {
  assert.equal(check.meta.description, sqlRule.meta.description);
  assert.deepEqual(check.meta.languages, ['sql', 'typescript']);
});

const HEAD = "import { eq } from 'drizzle-orm';\nimport { drizzle } from 'drizzle-orm/node-postgres';\nimport { payments } from './schema';\nconst db = drizzle('');\n";

tsRuleTester(check, {
  valid: [
    { name: 'a field list', code: `${HEAD}export const f = () => db.select({ id: payments.id }).from(payments).where(eq(payments.id, 1));\n` },
    { name: 'not a database handle', code: `${HEAD}const repo = { select: () => ({ from: (t: unknown) => t }) };\nexport const f = () => repo.select().from(payments);\n` },
    { name: 'a builder without from (kept for later)', code: `${HEAD}export const q = db.select();\n` },
  ],
  invalid: [
    {
      name: 'select() and selectDistinct() without fields, also on a transaction handle',
      code: `${HEAD}export const f = async () => {\n  await db.select().from(payments).where(eq(payments.id, 1));\n  await db.transaction(async (tx) => tx.selectDistinct().from(payments));\n};\n`,
      errors: [
        { messageId: 'drizzleSelectAll', line: 6, column: 12, endColumn: 35, includes: ['db.select().from(payments) has no field list', 'every column of `payments`'] },
        { messageId: 'drizzleSelectAll', line: 7, column: 41, includes: 'db.selectDistinct().from(payments)' },
      ],
      output: null,
    },
  ],
});
