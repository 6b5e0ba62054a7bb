import check from '../../../server/src/drizzle/rules/unbounded-update-delete';
import { tsRuleTester } from '../../lib/ts-rule-tester';

tsRuleTester(check, {
  valid: [
    `import { eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
const db = drizzle('');
export const f = (t: any) => db.delete(t).where(eq(t.id, 1));
`,
    `import { sql } from 'drizzle-orm';
const repo = { update: (t: unknown) => ({ set: (v: unknown) => v }) };
export const f = () => repo.update('payments').set({});
`,
  ],
  invalid: [
    {
      name: 'db from drizzle(), tx of a transaction; a builder kept in a variable is not judged',
      code: `import { eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { payments, sessions } from './schema';

const db = drizzle(process.env.DATABASE_URL!);

export async function settleAll() {
  await db.update(payments).set({ status: 'settled' });
  await db.transaction(async (tx) => {
    await tx.delete(sessions);
    await tx.update(payments).set({ status: 'x' }).where(eq(payments.id, 1));
  });
  const q = db.update(payments).set({ status: 'y' });
  return q;
}
`,
      errors: [
        { messageId: 'drizzleUpdate', line: 8, column: 12, endColumn: 55, severity: 'error', includes: '.update(payments)' },
        { messageId: 'drizzleDelete', line: 10, column: 14, endColumn: 30, severity: 'warning', includes: '.delete(sessions)' },
      ],
      output: null,
    },
  ],
});
