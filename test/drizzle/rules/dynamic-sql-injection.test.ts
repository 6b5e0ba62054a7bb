import check from '../../../server/src/drizzle/rules/dynamic-sql-injection';
import { tsRuleTester } from '../../lib/ts-rule-tester';

tsRuleTester(check, {
  valid: [
    `import { sql } from 'drizzle-orm';
import { db } from './db';
export const f = (id: string) => db.execute(sql\`SELECT * FROM payments WHERE id = \${id}\`);
`,
  ],
  invalid: [
    {
      name: 'sql.raw of a parameter, template and concatenation into pg query()',
      code: `import { sql } from 'drizzle-orm';
import { Pool } from 'pg';
import { db } from './db';

const pool = new Pool();
const ORDER = 'created_at DESC';

export async function search(filter: string, id: string, status: string) {
  await db.execute(sql\`SELECT id FROM payments WHERE \${sql.raw(filter)}\`);
  await db.execute(sql\`SELECT id FROM payments ORDER BY \${sql.raw(ORDER)}\`);
  await pool.query(\`SELECT id FROM payouts WHERE id = \${id} AND status = \${status}\`);
  await pool.query(\`SELECT id FROM payouts WHERE status = '\${status}'\`);
  await pool.query('SELECT id FROM payouts WHERE id = ' + id);
  await pool.query('SELECT id FROM payouts WHERE id = $1', [id]);
}
`,
      errors: [
        { messageId: 'raw', line: 9, column: 56, endColumn: 71, includes: 'sql.raw(filter)' },
        { messageId: 'template', line: 11, column: 20, endColumn: 84, includes: '${id}' },
        { messageId: 'template', line: 12, column: 20 },
        { messageId: 'concat', line: 13, column: 20, includes: 'with id' },
      ],
      output: `import { sql } from 'drizzle-orm';
import { Pool } from 'pg';
import { db } from './db';

const pool = new Pool();
const ORDER = 'created_at DESC';

export async function search(filter: string, id: string, status: string) {
  await db.execute(sql\`SELECT id FROM payments WHERE \${sql.raw(filter)}\`);
  await db.execute(sql\`SELECT id FROM payments ORDER BY \${sql.raw(ORDER)}\`);
  await pool.query(\`SELECT id FROM payouts WHERE id = $1 AND status = $2\`, [id, status]);
  await pool.query(\`SELECT id FROM payouts WHERE status = '\${status}'\`);
  await pool.query('SELECT id FROM payouts WHERE id = ' + id);
  await pool.query('SELECT id FROM payouts WHERE id = $1', [id]);
}
`,
    },
  ],
});
