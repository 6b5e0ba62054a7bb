// Indexed files the editor does not have open keep no statements: the real bundled server (memory
// probe preloaded, heap after two full GCs) indexes 2,000 generated migrations with one of them open,
// and what the workspace adds to its heap (against the same server with no folder) must stay under
// what keeping every file's parse would cost, measured here by parsing the same files (statements,
// tokens) in this process. Before dormant files the workspace cost that parse plus the schema.
// LEDGERLINT_MEMORY_BUNDLE=<dist/server.js of another build> runs it against that build.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { generateMigrationsRepo } from '../../bench/lib/migrations-repo';
import { probedServer } from '../../bench/lib/probed-server';
import { SERVER_BUNDLE } from '../lib/lsp-client';
import { heapMb } from '../lib/heap';
import { parseSqlFile } from '../../server/src/sql/document';
import { initParser } from '../../server/src/sql/parser';

const FILES = 2_000;
const BUNDLE = process.env.LEDGERLINT_MEMORY_BUNDLE ? path.resolve(process.env.LEDGERLINT_MEMORY_BUNDLE) : SERVER_BUNDLE;


/** Heap after GC of the server with `file` open (and, with a root, its folder indexed first). */
async function serverHeap(rootUri: string | null, file: { uri: string; text: string; languageId?: string }): Promise<number> {
  const server = await probedServer(rootUri, BUNDLE);
  try {
    if (rootUri) await server.logged('Indexed ', 120_000);
    const published = server.client.diagnostics(file.uri, () => true, 120_000);
    await server.client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: file.uri, languageId: file.languageId ?? 'sql', version: 1, text: file.text } });
    await published;
    return (await server.sample()).heapAfterGcMb;
  } finally {
    await server.dispose();
  }
}

describe('language server memory of indexed files that are not open', () => {
  let root: string;
  before(async () => {
    await initParser();
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'll-memory-dormant-'));
    generateMigrationsRepo(root, FILES);
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  let parses = 0;
  let newestUri = '';

  it('keeps less than the parses of the indexed files', async () => {
    const dir = path.join(root, 'drizzle');
    const paths = fs.readdirSync(dir).sort().map((f) => path.join(dir, f));
    const texts = paths.map((p) => fs.readFileSync(p, 'utf8'));

    // What keeping every parse costs: the statements and the tokens replay scans.
    const start = heapMb();
    const parsed = texts.map((t, i) => parseSqlFile(paths[i], t));
    for (const f of parsed) for (const s of f.statements) s.tokens();
    parses = heapMb() - start;
    const statements = parsed.reduce((n, f) => n + f.statements.length, 0);
    parsed.length = 0;

    const newest = { uri: pathToFileURL(paths[FILES - 1]).href, text: texts[FILES - 1] };
    newestUri = newest.uri;
    const alone = await serverHeap(null, newest);
    const indexed = await serverHeap(pathToFileURL(root).href, newest);
    const workspace = indexed - alone;
    console.log(`${FILES} migrations (${statements} statements): their parses ${parses.toFixed(1)} MB; server heap after GC ${alone.toFixed(1)} MB without the folder, ${indexed.toFixed(1)} MB with it indexed (+${workspace.toFixed(1)} MB)`);
    // The parses must weigh enough for the comparison to tell a build that keeps them.
    assert.ok(parses > 20, `the parses of ${statements} statements took only ${parses.toFixed(1)} MB`);
    // The workspace still holds its schema (with checkpoints), texts, contributions and a budget of
    // kept parses: about the parses' weight with dormant files (27 vs 27 MB when written), 2.2 times
    // it when every file kept its parse (60 MB); the bound is halfway.
    assert.ok(workspace < parses * 1.6, `indexing ${FILES} closed migrations added ${workspace.toFixed(1)} MB of heap: about what keeping their parses (${parses.toFixed(1)} MB) costs, plus the schema`);
  });

  // A Drizzle user often has only TypeScript open: the folder's migrations are dormant then too.
  it('keeps less than the parses with only a TypeScript file open', async () => {
    assert.ok(parses > 20 && newestUri, 'runs after the first test, which measures the parses');
    const schema = {
      uri: new URL('schema.ts', newestUri.replace(/drizzle\/[^/]*$/, '')).href,
      languageId: 'typescript',
      text: "import { pgTable, serial, text } from 'drizzle-orm/pg-core';\nexport const notes = pgTable('notes', { id: serial('id').primaryKey(), body: text('body') });\n",
    };
    const alone = await serverHeap(null, schema);
    const indexed = await serverHeap(pathToFileURL(root).href, schema);
    const workspace = indexed - alone;
    console.log(`TypeScript open: server heap after GC ${alone.toFixed(1)} MB without the folder, ${indexed.toFixed(1)} MB with it indexed (+${workspace.toFixed(1)} MB)`);
    assert.ok(workspace < parses * 1.6, `indexing ${FILES} closed migrations with only TypeScript open added ${workspace.toFixed(1)} MB of heap: about what keeping their parses (${parses.toFixed(1)} MB) costs, plus the schema`);
  });
});
