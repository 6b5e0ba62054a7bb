// A closed Drizzle schema whose column is typed by a pgEnum imported from another file follows that
// file, over real JSON-RPC: when the enums file changes on disk, is edited while open, or is closed
// unsaved, the closed schema is read again and the open query listing its columns is re-checked, as a
// fresh server and the CLI see it. Before, the closed schema kept the columns of the enums it was first
// read with (the differential fuzzer's seed 909: a `SELECT *` fix without the enum column).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { columnListFix } from '../lib/column-list-fix';
import { startServer, type TestClient } from '../lib/lsp-client';
import { onlyRules } from '../lib/only-rules';

const PAYOUT_STATUS = "import { pgEnum } from 'drizzle-orm/pg-core';\nexport const payoutStatus = pgEnum('payout_status', ['pending', 'sent']);\n";
const WITH_PAYMENT_STATUS = PAYOUT_STATUS + "export const paymentStatus = pgEnum('payment_status', ['pending', 'settled', 'refunded']);\n";
const SCHEMA =
  "import { bigint, pgTable, text } from 'drizzle-orm/pg-core';\nimport { paymentStatus } from './enums';\n" +
  "export const payouts = pgTable('payouts', {\n  id: bigint('id', { mode: 'number' }).primaryKey(),\n  state: paymentStatus('state'),\n  currency: text('currency'),\n});\n";
const QUERY = 'SELECT * FROM payouts WHERE id = $1;\n';
const WITHOUT_STATE = 'List the columns: id, currency';
const WITH_STATE = 'List the columns: id, state, currency';

describe('a closed Drizzle schema importing pgEnums from another file', () => {
  let dir: string;
  let client: TestClient;
  const file = (rel: string) => path.join(dir, rel);
  const uriOf = (rel: string) => pathToFileURL(file(rel)).href;
  const queryLists = (columns: string) => client.diagnostics(uriOf('queries/payouts.sql'), (d) => columnListFix(d) === columns, 30_000);

  before(async () => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlint-enum-importers-')));
    for (const sub of ['src', 'queries']) fs.mkdirSync(file(sub));
    fs.writeFileSync(file('package.json'), '{}\n');
    fs.writeFileSync(file('ledgerlint.json'), JSON.stringify({ rules: onlyRules(['implicit-columns']) }));
    fs.writeFileSync(file('src/enums.ts'), PAYOUT_STATUS);
    fs.writeFileSync(file('src/schema.ts'), SCHEMA);
    fs.writeFileSync(file('queries/payouts.sql'), QUERY);
    client = await startServer(pathToFileURL(dir).href);
    await new Promise<void>((resolve) => client.onLog((m) => m.startsWith('Indexed ') && resolve()));
    // paymentStatus is not exported yet: `state` is no column the schema knows.
    const wait = queryLists(WITHOUT_STATE);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf('queries/payouts.sql'), languageId: 'sql', version: 1, text: QUERY } });
    await wait;
  });
  after(async () => {
    await client?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the enums file changed on disk while closed', async () => {
    const wait = queryLists(WITH_STATE);
    fs.writeFileSync(file('src/enums.ts'), WITH_PAYMENT_STATUS);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf('src/enums.ts'), type: 2 }] });
    await wait;
  });

  /** Opens the enums file (on disk: with paymentStatus), deletes paymentStatus in the buffer, then closes it unsaved. */
  async function editEnumsThenCloseUnsaved(): Promise<void> {
    const enums = uriOf('src/enums.ts');
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: enums, languageId: 'typescript', version: 1, text: WITH_PAYMENT_STATUS } });
    let wait = queryLists(WITHOUT_STATE);
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: enums, version: 2 }, contentChanges: [{ text: PAYOUT_STATUS }] });
    await wait;
    wait = queryLists(WITH_STATE);
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: enums } });
    await wait;
  }

  it('the enums file edited while open, then closed unsaved', editEnumsThenCloseUnsaved);

  it('an open importer follows the enums file edited, then closed unsaved', async () => {
    const schema = uriOf('src/schema.ts');
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: schema, languageId: 'typescript', version: 1, text: SCHEMA } });
    await editEnumsThenCloseUnsaved();
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: schema } });
  });
});
