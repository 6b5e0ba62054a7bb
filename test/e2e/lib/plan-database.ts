/**
 * The PostgreSQL the e2e workspaces explain against: a real embedded server with a seeded,
 * ANALYZEd payments table, announced to the extension through the workspace's `.env` (one of the
 * connection sources a user has).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
import { startPostgres, type EmbeddedPostgres } from '../../helpers/embedded-pg';

export async function startPlanDatabase(workspace: string): Promise<EmbeddedPostgres> {
  const pg = await startPostgres();
  try {
    const db = new Client(pg.connectionConfig);
    await db.connect();
    try {
      await db.query('CREATE TABLE payments (id bigint PRIMARY KEY, amount numeric(19,4) NOT NULL, status text NOT NULL)');
      await db.query("INSERT INTO payments SELECT g, g % 1000, CASE WHEN g % 50 = 0 THEN 'pending' ELSE 'settled' END FROM generate_series(1, 20000) g");
      await db.query('ANALYZE payments');
    } finally {
      await db.end();
    }
    fs.writeFileSync(path.join(workspace, '.env'), `DATABASE_URL=${pg.url}\n`);
    return pg;
  } catch (error) {
    await pg.stop();
    throw error;
  }
}
