import check from '../../../server/src/drizzle/rules/not-in-subquery';
import { tsRuleTester } from '../../lib/ts-rule-tester';

tsRuleTester(check, {
  valid: [
  ],
  invalid: [
    {
      name: 'a select builder inline or in a variable; an array is fine',
      code: `import { notInArray } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { payments, settlements } from './schema';

const db = drizzle(process.env.DATABASE_URL!);

export async function unmatched() {
  const settled = db.select({ id: settlements.paymentId }).from(settlements);
  const a = await db.select().from(payments).where(notInArray(payments.id, db.select({ id: settlements.paymentId }).from(settlements)));
  const b = await db.select().from(payments).where(notInArray(payments.id, settled));
  const c = await db.select().from(payments).where(notInArray(payments.id, [1, 2, 3]));
  return [a, b, c];
}
`,
      errors: [
        { messageId: 'drizzle', line: 9, column: 52, endColumn: 135, includes: 'notInArray(payments.id' },
        { messageId: 'drizzle', line: 10, column: 52, endColumn: 84 },
      ],
      output: null,
    },
  ],
});
