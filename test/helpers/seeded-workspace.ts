/**
 * Shared test helper: a throw-away PostgreSQL 18 seeded by `seed` (statements run in order) and a
 * temporary workspace folder whose `.env` names it, the way a user's workspace finds its database.
 *
 *   const ws = await seededWorkspace('ledgerlint-hover-', ['CREATE TABLE ...', 'ANALYZE']);
 *   try { ... ws.dir, ws.pg ... } finally { await ws.remove(); }
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { startPostgres, type EmbeddedPostgres } from './embedded-pg';

export interface SeededWorkspace {
  pg: EmbeddedPostgres;
  dir: string;
  /** Stops PostgreSQL and deletes the folder. */
  remove(): Promise<void>;
}

export async function seededWorkspace(prefix: string, seed: readonly string[]): Promise<SeededWorkspace> {
  const pg = await startPostgres();
  try {
    const client = new Client(pg.connectionConfig);
    await client.connect();
    try {
      for (const sql of seed) await client.query(sql);
    } finally {
      await client.end();
    }
  } catch (error) {
    await pg.stop();
    throw error;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.writeFileSync(path.join(dir, '.env'), `DATABASE_URL=${pg.url}\n`);
  return {
    pg,
    dir,
    async remove() {
      await pg.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
