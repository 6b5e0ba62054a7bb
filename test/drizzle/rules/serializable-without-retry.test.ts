import check from '../../../server/src/drizzle/rules/serializable-without-retry';
import { tsRuleTester } from '../../lib/ts-rule-tester';

tsRuleTester(check, {
  valid: [
  ],
  invalid: [
    {
      name: 'retried through a retry helper or a loop on 40001 is fine',
      code: `import { drizzle } from 'drizzle-orm/node-postgres';

export const db = drizzle(process.env.DATABASE_URL!);

export async function transfer() {
  return db.transaction(async (tx) => {
    await tx.execute('SELECT 1');
  }, { isolationLevel: 'serializable' });
}

export async function withRetry<T>(fn: () => Promise<T>): Promise<T> {
  return fn();
}

export async function transferRetried() {
  return withRetry(() => db.transaction(async () => {}, { isolationLevel: 'repeatable read' }));
}

export async function transferLoop() {
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.transaction(async () => {}, { isolationLevel: 'serializable' });
    } catch (e: any) {
      if (e.code !== '40001' || attempt > 3) throw e;
    }
  }
}

export const readCommitted = () => db.transaction(async () => {}, { isolationLevel: 'read committed' });
`,
      errors: [{ messageId: 'noRetry', line: 8, column: 8, endColumn: 38, includes: "'serializable'" }],
      output: null,
    },
  ],
});
