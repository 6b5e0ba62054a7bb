// Issue 10's fuzz inputs through the real server over JSON-RPC, as an editor sends them: open a
// pathological or mutated file, keep typing into it (didChange), ask for hovers, code actions and
// fix-all. test/fuzz covers the engine in-process; this covers what only the server does with such
// text: offsets to LSP positions (lone surrogates, CR line ends, NUL), JSON of the replies, the
// scheduler. Every reply must come, every range must lie inside the document, and the server must
// neither die nor log an unexpected error.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Diagnostic, Range } from 'vscode-languageserver';
import { mutate, pathologicalSql, pathologicalTs, prng } from '../fuzz/mutate';
import { startServer, type TestClient } from '../lib/lsp-client';

const ROOT = path.resolve(__dirname, '../../..');
const SEED = Number(process.env.LEDGERLINT_FUZZ_SEED ?? 20261126);
const MUTATIONS = 30;

/** Lines as LSP counts them (\n, \r\n and a lone \r end a line), with their length in UTF-16 units. */
function lineLengths(text: string): number[] {
  return text.split(/\r\n|\r|\n/).map((l) => l.length);
}

function outside(text: string, r: Range): string | undefined {
  const lines = lineLengths(text);
  for (const p of [r.start, r.end]) {
    if (!(p.line >= 0 && p.line < lines.length && p.character >= 0 && p.character <= lines[p.line])) return `${p.line}:${p.character} (document has ${lines.length} lines; that one ${lines[p.line] ?? '-'} chars)`;
  }
  return undefined;
}

function seedsOf(ext: string, dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith(ext)).sort().map((f) => fs.readFileSync(path.join(dir, f), 'latin1'));
}

describe('fuzz inputs through the real server', () => {
  let dir: string;
  let client: TestClient;
  const problems: string[] = [];

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlint-audit-junk-'));
    client = await startServer(pathToFileURL(dir).href, {});
  });
  after(async () => {
    await client?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Opens `texts[0]`, then replaces the whole text with each next one; requests after every publish. */
  async function drive(name: string, languageId: string, texts: Array<{ label: string; text: string }>): Promise<number> {
    const uri = pathToFileURL(path.join(dir, name)).href;
    let requests = 0;
    for (const [i, { label, text }] of texts.entries()) {
      const version = i + 1;
      const published = client.diagnostics(uri, (_d, p) => p.version === version, 60_000);
      if (i === 0) await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
      else await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
      let diagnostics: Diagnostic[];
      try {
        diagnostics = await published;
      } catch (err) {
        problems.push(`${label}: no diagnostics published (${(err as Error).message.split(';')[0]})`);
        continue;
      }
      for (const d of diagnostics) {
        const bad = outside(text, d.range);
        if (bad) problems.push(`${label}: ${d.code} diagnostic at ${bad}`);
      }
      const lines = lineLengths(text);
      const whole = { start: { line: 0, character: 0 }, end: { line: lines.length - 1, character: lines.at(-1)! } };
      const actions = (await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: whole, context: { diagnostics } })) as Array<{ edit?: { changes?: Record<string, Array<{ range: Range }>> } }> | null;
      for (const a of actions ?? []) {
        for (const e of a.edit?.changes?.[uri] ?? []) {
          const bad = outside(text, e.range);
          if (bad) problems.push(`${label}: code action edit at ${bad}`);
        }
      }
      const fixAll = (await client.connection.sendRequest('ledgerlint/fixAll', { uri })) as { changes?: Record<string, Array<{ range: Range }>> } | null;
      for (const e of fixAll?.changes?.[uri] ?? []) {
        const bad = outside(text, e.range);
        if (bad) problems.push(`${label}: fix-all edit at ${bad}`);
      }
      const mid = Math.floor(lines.length / 2);
      for (const position of [{ line: 0, character: 0 }, { line: mid, character: Math.floor(lines[mid] / 2) }, { line: lines.length - 1, character: lines.at(-1)! }]) {
        await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position });
      }
      requests += 5;
    }
    return requests;
  }

  it('SQL: pathological files and seeded mutations, opened and typed into', async () => {
    const rng = prng(SEED);
    const seeds = seedsOf('.sql', path.join(ROOT, 'examples'));
    assert.ok(seeds.length > 5, 'the examples are missing');
    const texts = [
      ...pathologicalSql(rng).map(({ name, text }) => ({ label: name, text })),
      ...Array.from({ length: MUTATIONS }, (_, i) => ({ label: `mutation #${i}`, text: mutate(rng, seeds[Math.floor(rng() * seeds.length)], 'sql') })),
      { label: 'CR line ends and lone surrogates', text: 'CREATE TABLE t (amount real);\r-- \uD800\rCREATE TABLE u ("\uDC00" real, fee real);\r' },
    ];
    const requests = await drive('junk.sql', 'sql', texts);
    console.log(`SQL: ${texts.length} texts, ${requests} requests answered`);
    assert.deepEqual(problems, []);
  });

  it('TypeScript: pathological files (deep nesting included) and seeded mutations', async () => {
    const rng = prng(SEED + 1);
    const seeds = seedsOf('.ts', path.join(ROOT, 'examples')).filter((t) => /drizzle-orm|from ['"]pg['"]/.test(t));
    assert.ok(seeds.length > 2, 'the TypeScript examples are missing');
    const texts = [
      ...pathologicalTs().map(({ name, text }) => ({ label: name, text })),
      ...Array.from({ length: MUTATIONS / 2 }, (_, i) => ({ label: `mutation #${i}`, text: mutate(rng, seeds[Math.floor(rng() * seeds.length)], 'typescript') })),
    ];
    const requests = await drive('junk.ts', 'typescript', texts);
    console.log(`TypeScript: ${texts.length} texts, ${requests} requests answered`);
    assert.deepEqual(problems, []);
  });

  it('the server is still running and logged no unexpected error', () => {
    assert.equal(client.process.exitCode, null, 'the server exited');
    assert.doesNotMatch(client.stderr(), /Unexpected (error|rejection)|Linting .* failed|Rule [\w-]+ failed/);
  });
});
