import assert from 'node:assert/strict';
import { it } from 'node:test';
import check from '../../../server/src/drizzle/rules/balance-read-modify-write';
import sqlRule from '../../../server/src/rules/balance-read-modify-write';
import { tsRuleTester } from '../../lib/ts-rule-tester';

it('balance-read-modify-write: the Drizzle check builds on the SQL rule\'s meta (one meta per id)', () => {
  assert.equal(check.meta.rationale, sqlRule.meta.rationale);
  assert.equal(check.meta.messages.staleRead, sqlRule.meta.messages.staleRead);
});

const HEAD = "import { and, eq, gte, sql } from 'drizzle-orm';\nimport { drizzle } from 'drizzle-orm/node-postgres';\nimport { wallets } from './schema';\nconst db = drizzle('');\n";

tsRuleTester(check, {
  valid: [
    { name: 'atomic SQL relative to the stored value', code: `${HEAD}export const debit = (id: number, amount: number) =>\n  db.update(wallets).set({ balance: sql\`\${wallets.balance} - \${amount}\` }).where(and(eq(wallets.id, id), gte(wallets.balance, amount)));\n` },
    { name: 'column named in the SQL text', code: `${HEAD}export const debit = (id: number, amount: number) => db.update(wallets).set({ balance: sql\`balance - \${amount}\` }).where(eq(wallets.id, id));\n` },
    {
      name: 'read with .for(\'update\') in the same transaction',
      code: `${HEAD}export const debit = (id: number, amount: number) =>\n  db.transaction(async (tx) => {\n    const [w] = await tx.select().from(wallets).where(eq(wallets.id, id)).for('update');\n    const next = w.balance - amount;\n    await tx.update(wallets).set({ balance: next }).where(eq(wallets.id, id));\n  });\n`,
    },
    { name: 'not a balance column', code: `${HEAD}export const f = (id: number, s: string) => db.update(wallets).set({ status: s }).where(eq(wallets.id, id));\n` },
  ],
  invalid: [
    {
      name: 'unlocked read, then a value computed in JavaScript: rewritten to SQL relative to the stored value',
      code: `${HEAD}export const debit = (id: number, amount: number) =>\n  db.transaction(async (tx) => {\n    const [w] = await tx.select({ balance: wallets.balance }).from(wallets).where(eq(wallets.id, id));\n    await tx.update(wallets).set({ balance: w.balance - amount }).where(eq(wallets.id, id));\n  });\n`,
      errors: [{ messageId: 'drizzleStaleRead', line: 8, column: 36, endColumn: 63, severity: 'error', includes: ['computed in JavaScript from `w`', "without .for('update')"] }],
      output: `${HEAD}export const debit = (id: number, amount: number) =>\n  db.transaction(async (tx) => {\n    const [w] = await tx.select({ balance: wallets.balance }).from(wallets).where(eq(wallets.id, id));\n    await tx.update(wallets).set({ balance: sql\`\${wallets.balance} - \${amount}\` }).where(eq(wallets.id, id));\n  });\n`,
    },
    {
      name: 'through a const and a relational query; sql is imported when missing',
      code: "import { eq } from 'drizzle-orm';\nimport { drizzle } from 'drizzle-orm/node-postgres';\nimport { wallets } from './schema';\nconst db = drizzle('');\nexport async function credit(id: number, amount: number) {\n  const wallet = await db.query.wallets.findFirst({ where: eq(wallets.id, id) });\n  const availableBalance = wallet!.availableBalance + amount;\n  await db.update(wallets).set({ availableBalance }).where(eq(wallets.id, id));\n}\n",
      errors: [{ messageId: 'drizzleStaleRead', line: 8, includes: '`available_balance` looks like a balance' }],
      output: "import { eq, sql } from 'drizzle-orm';\nimport { drizzle } from 'drizzle-orm/node-postgres';\nimport { wallets } from './schema';\nconst db = drizzle('');\nexport async function credit(id: number, amount: number) {\n  const wallet = await db.query.wallets.findFirst({ where: eq(wallets.id, id) });\n  const availableBalance = wallet!.availableBalance + amount;\n  await db.update(wallets).set({ availableBalance: sql`${wallets.availableBalance} + ${amount}` }).where(eq(wallets.id, id));\n}\n",
    },
    {
      name: 'a lock taken outside a transaction ends with the statement; a value from the caller is absolute',
      code: `${HEAD}export async function f(id: number, newBalance: number) {\n  const [w] = await db.select().from(wallets).where(eq(wallets.id, id)).for('update');\n  await db.update(wallets).set({ balance: w.balance - 1 }).where(eq(wallets.id, id));\n  await db.update(wallets).set({ balance: newBalance }).where(eq(wallets.id, id));\n  await db.update(wallets).set({ balance: sql\`\${newBalance}\` }).where(eq(wallets.id, id));\n}\n`,
      errors: [
        { messageId: 'drizzleStaleRead', line: 7 },
        { messageId: 'drizzleAbsolute', line: 8, includes: '.set({ balance: newBalance })' },
        { messageId: 'drizzleAbsolute', line: 9 },
      ],
    },
  ],
});
