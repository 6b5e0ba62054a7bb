/**
 * Shared test helper: a real, throw-away PostgreSQL 18 on a random free port.
 *
 *   const pg = await startPostgres();
 *   try { ... new Client(pg.connectionConfig) ... } finally { await pg.stop(); }
 *
 * The implementation lives in server/src/explain/embedded.ts so that scripts/ can use it too;
 * the language server itself never imports it.
 */
export { startPostgres, freePort } from '../../server/src/explain/embedded';
export type { EmbeddedPostgres, StartOptions } from '../../server/src/explain/embedded';
