import { sql } from 'drizzle-orm';
import { db, pool } from './db';

// Admin "custom report" screen: finance types a filter, e.g. `status = 'failed'`.
export async function paymentsMatching(userInput: string) {
  return db.execute(sql`SELECT id, amount_minor, currency, status FROM payments WHERE ${sql.raw(userInput)}`);
}

export async function monthlyVolume(merchantId: number, from: Date, to: Date) {
  return db.execute(sql`
    SELECT currency, sum(amount_minor) AS volume_minor
      FROM payments
     WHERE merchant_id = ${merchantId}
       AND created_at BETWEEN ${from} AND ${to}
     GROUP BY currency
  `);
}

// Half-open range: [from, to) counts every instant of the last day exactly once.
export async function dailyCaptures(merchantId: number, from: Date, to: Date) {
  return db.execute(sql`
    SELECT date_trunc('day', created_at, 'UTC') AS day, count(*) AS captures
      FROM payments
     WHERE merchant_id = ${merchantId}
       AND status = 'captured'
       AND created_at >= ${from}
       AND created_at < ${to}
     GROUP BY 1
     ORDER BY 1
  `);
}

// Support tool: look a payout up by the id pasted from the bank statement.
export async function payoutForSupport(id: string) {
  const client = await pool.connect();
  try {
    const { rows } = await client.query(`SELECT id, merchant_id, amount, status FROM payouts WHERE id = ${id}`);
    return rows[0];
  } finally {
    client.release();
  }
}
