import check from '../../../server/src/drizzle/rules/ledger-mutation';
import sqlRule from '../../../server/src/rules/ledger-mutation';
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { tsRuleTester } from '../../lib/ts-rule-tester';

it('ledger-mutation: the Drizzle check builds on the SQL rule\'s meta (one meta per id)', () => {
  assert.equal(check.meta.description, sqlRule.meta.description);
  assert.equal(check.meta.messages.mutation, sqlRule.meta.messages.mutation);
  assert.deepEqual(check.meta.languages, ['sql', 'typescript']);
});

const HEAD = "import { eq } from 'drizzle-orm';\nimport { drizzle } from 'drizzle-orm/node-postgres';\nimport { ledgerEntries, payments, journalLines } from './schema';\nconst db = drizzle('');\n";

tsRuleTester(check, {
  valid: [
    { name: 'insert into a ledger, update of a table that is not a ledger', code: `${HEAD}export const f = async () => {\n  await db.insert(ledgerEntries).values({ amount: '1' });\n  await db.update(payments).set({ status: 'x' }).where(eq(payments.id, 1));\n  await db.insert(ledgerEntries).values({ amount: '1' }).onConflictDoNothing();\n};\n` },
    { name: 'not a database handle', code: "import { sql } from 'drizzle-orm';\nconst repo = { delete: (t: unknown) => t };\nexport const f = (ledgerEntries: unknown) => repo.delete(ledgerEntries);\n" },
  ],
  invalid: [
    {
      name: 'update, delete, upsert of ledger tables (variables named by word parts), also in a transaction',
      code: `${HEAD}export const f = async () => {\n  await db.update(ledgerEntries).set({ amount: '0' }).where(eq(ledgerEntries.id, 1));\n  await db.transaction(async (tx) => {\n    await tx.delete(journalLines).where(eq(journalLines.id, 2));\n  });\n  await db.insert(ledgerEntries).values({ amount: '1' }).onConflictDoUpdate({ target: ledgerEntries.id, set: { amount: '2' } });\n};\n`,
      errors: [
        { messageId: 'drizzle', line: 6, column: 12, endColumn: 33, includes: ['.update(ledgerEntries).set(...) rewrites posted history', 'reversing entry'] },
        { messageId: 'drizzle', line: 8, column: 14, endColumn: 34, includes: '.delete(journalLines)' },
        { messageId: 'drizzle', line: 10, column: 12, endColumn: 33, includes: '.insert(ledgerEntries)...onConflictDoUpdate(...)' },
      ],
      output: null,
    },
    {
      name: 'a pgTable of the same file is named by its table name',
      code: "import { bigint, pgTable } from 'drizzle-orm/pg-core';\nimport type { NodePgDatabase } from 'drizzle-orm/node-postgres';\nconst entries = pgTable('ledger_entries', { id: bigint('id', { mode: 'number' }).primaryKey() });\nexport const purge = (db: NodePgDatabase) => db.delete(entries);\n",
      errors: [{ messageId: 'drizzle', line: 4, includes: '`ledger_entries` looks like an append-only ledger' }],
    },
  ],
});
