/**
 * `runExplainDemo(sql)`: the hover a user would see for `sql` against the fintech demo tables, on a
 * throw-away PostgreSQL that is always stopped again. Run directly:
 *   node out/scripts/demo-explain.js "SELECT * FROM payments WHERE status = 'failed'" [--analyze]
 */
import { Client } from 'pg';
import { resolveConnection } from '../server/src/explain/connection-sources';
import { seedDemoTables } from '../server/src/explain/demo-seed';
import { startPostgres } from '../server/src/explain/embedded';
import { ExplainService } from '../server/src/explain/explain-service';

export async function runExplainDemo(sql: string, options: { analyze?: boolean } = {}): Promise<string> {
  const pg = await startPostgres();
  let service: ExplainService | undefined;
  try {
    const admin = new Client(pg.connectionConfig);
    await admin.connect();
    try {
      await seedDemoTables(admin);
    } finally {
      await admin.end();
    }
    const connection = resolveConnection({ settings: { url: pg.url } });
    service = new ExplainService({ resolveConnection: () => connection });
    const result = await service.hover(sql, { analyze: options.analyze ? 'select' : false });
    return result.markdown;
  } finally {
    await service?.dispose();
    await pg.stop();
  }
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const sql = args.filter((a) => a !== '--analyze').join(' ') || "SELECT id, amount FROM payments WHERE status = 'failed'";
  runExplainDemo(sql, { analyze: args.includes('--analyze') }).then(
    (markdown) => process.stdout.write(markdown),
    (error: Error) => {
      process.stderr.write(`demo failed: ${error.message}\n`);
      process.exitCode = 1;
    },
  );
}
