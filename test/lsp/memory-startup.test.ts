// What the bundled server loads for a SQL-only workspace (real server over stdio, memory probe
// preloaded): the TypeScript compiler stays out until a TypeScript file is opened (~10 MB of heap,
// its 3.5 MB source and compiler memory the C allocator keeps), and the launcher's V8 flag keeps the
// parser's WebAssembly out of the optimizing compiler, whose ~40 MB of zone memory stayed resident.
// LEDGERLINT_MEMORY_BUNDLE=<dist/server.js of another build> runs it against that build.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { generateMigrationsRepo } from '../../bench/lib/migrations-repo';
import { probedServer, type Probed } from '../../bench/lib/probed-server';
import { generateSqlFile } from '../../bench/lib/generate';
import { SERVER_BUNDLE } from '../lib/lsp-client';
import { RULES } from '../../server/src/rules';

const BUNDLE = process.env.LEDGERLINT_MEMORY_BUNDLE ? path.resolve(process.env.LEDGERLINT_MEMORY_BUNDLE) : SERVER_BUNDLE;
const TYPESCRIPT = 'cli-typescript.js';
// Findings of file-scope rules come with the full check, after the first look at a big file's opening.
const FILE_RULES = new Set(RULES.filter((r) => r.scope === 'file').map((r) => r.meta.id));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('language server startup memory', () => {
  let root: string;
  let server: Probed;
  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'll-memory-startup-'));
    generateMigrationsRepo(root, 300);
    server = await probedServer(pathToFileURL(root).href, BUNDLE);
    await server.logged('Indexed ', 120_000);
  });
  after(async () => {
    await server?.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('does not load the TypeScript compiler while only SQL is open, and loads it for a TypeScript file', async () => {
    const { client } = server;
    // A file big enough that the parser's hot functions would be tiered up (3,000 statements).
    const uri = pathToFileURL(path.join(root, 'queries.sql')).href;
    const published = client.diagnostics(uri, (d) => d.some((x) => FILE_RULES.has(String(x.code))), 120_000);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sql', version: 1, text: generateSqlFile(3_000) } });
    await published;
    // The warm-up used to run 1 s after start, once the open files were checked.
    await sleep(3_000);
    const sqlOnly = await server.sample();
    console.log(`SQL only: heap after GC ${sqlOnly.heapAfterGcMb} MB, RSS ${sqlOnly.rssMb} MB, V8 peak malloc ${sqlOnly.peakMallocedMb} MB, bundles ${sqlOnly.bundles.join(', ')}`);
    assert.ok(sqlOnly.bundles.includes('server-main.js'), `the probe sees the loaded bundles: ${sqlOnly.bundles.join(', ')}`);
    assert.ok(!sqlOnly.bundles.includes(TYPESCRIPT), 'the TypeScript compiler was loaded with only SQL files open');
    // With the parser tiered up, V8 had 49-66 MB from malloc at its peak (compiling the grammar).
    assert.ok(sqlOnly.peakMallocedMb < 30, `V8 had ${sqlOnly.peakMallocedMb} MB from malloc at its peak: is the parser's WebAssembly compiled by the optimizing compiler again?`);

    const tsUri = pathToFileURL(path.join(root, 'schema.ts')).href;
    const tsPublished = client.diagnostics(tsUri, () => true, 120_000);
    const text = "import { pgTable, real } from 'drizzle-orm/pg-core';\nexport const payments = pgTable('payments', { amount: real('amount') });\n";
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: tsUri, languageId: 'typescript', version: 1, text } });
    const diagnostics = await tsPublished;
    assert.ok(diagnostics.length > 0, 'the Drizzle schema with a real money column has a finding');
    const withTypeScript = await server.sample();
    assert.ok(withTypeScript.bundles.includes(TYPESCRIPT), `a TypeScript file was checked without loading the compiler bundle? ${withTypeScript.bundles.join(', ')}`);
  });
});
