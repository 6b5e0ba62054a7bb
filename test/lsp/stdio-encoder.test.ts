// Over stdio the server encodes a publish from each diagnostic's kept bytes (lsp/stdio-transport.ts).
// The bytes must be JSON.stringify's, publish after publish, as looks carry diagnostic objects over
// and make new ones: checked over random edits of a file with findings of every rule (messages with
// non-ASCII text, inline fixes), and end to end over stdio, where a console.log must not reach stdout.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver';
import { Project } from '../../server/src/engine/project';
import { RULES } from '../../server/src/rules';
import { setFixTransport, toDiagnostic } from '../../server/src/lsp/diagnostics';
import { quickLook, type SentView } from '../../server/src/lsp/quick-look';
import { encodeMessage } from '../../server/src/lsp/stdio-transport';
import { initParser } from '../../server/src/sql/parser';
import { prng } from '../fuzz/mutate';
import { assertConsoleReachesLog } from './console-log-server';
import { startServer } from '../lib/lsp-client';

const STATEMENT_RULES = RULES.filter((r) => r.scope === 'statement');

function exampleFile(): string {
  const parts: string[] = [];
  for (const rule of RULES) for (const e of [...rule.meta.examples.incorrect, ...rule.meta.examples.correct]) if ((e.language ?? 'sql') === 'sql') parts.push(e.code.trim());
  // A message quoting non-ASCII text: its bytes are UTF-8, not one per character.
  parts.push("CREATE TABLE fees_💸 (id bigint PRIMARY KEY, amount float)");
  return parts.join('\n\n') + '\n';
}

function completeCheck(project: Project, text: string): SentView {
  const result = project.lint('typed.sql', text);
  const diagnostics = result.findings.map((f) => toDiagnostic(result.file.lines, f));
  return { text, lines: result.file.lines, segments: result.file.segments, eofDependent: result.file.eofDependent, diagnostics };
}

const publish = (uri: string, version: number, diagnostics: readonly Diagnostic[]) => ({ jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri, version, diagnostics } });

function assertEncoded(msg: unknown, what: string): void {
  assert.ok(encodeMessage(msg).equals(Buffer.from(JSON.stringify(msg), 'utf8')), what);
}

describe('stdio encoder', () => {
  before(async () => {
    await initParser();
  });
  after(() => setFixTransport('stored'));

  for (const transport of ['stored', 'inline'] as const) {
    it(`encodes every publish of 100 random looks as JSON.stringify does (fixes ${transport})`, () => {
      setFixTransport(transport);
      const rng = prng(transport === 'inline' ? 11 : 12);
      const project = new Project(undefined);
      let view = completeCheck(project, exampleFile());
      assert.ok(view.diagnostics.some((d) => /💸/.test(String(d.message))), 'a message with non-ASCII text');
      let carried = 0;
      const seen = new Set<Diagnostic>(view.diagnostics);
      assertEncoded(publish('file:///typed.sql', 1, view.diagnostics), 'the first publish');
      for (let step = 0; step < 100; step++) {
        const at = Math.floor(rng() * view.text.length);
        const text = view.text.slice(0, at) + ['x', ' ', '\n', ';', ''][step % 5] + view.text.slice(at + (step % 5 === 4 ? 1 : 0));
        const look = quickLook(view, text, { path: 'typed.sql', config: project.config, rules: STATEMENT_RULES, cap: 0 });
        view = look ?? completeCheck(project, text);
        carried += view.diagnostics.filter((d) => seen.has(d)).length;
        for (const d of view.diagnostics) seen.add(d);
        assertEncoded(publish('file:///typed.sql', step + 2, view.diagnostics), `step ${step}`);
        // The same objects in another order and another file's publish.
        assertEncoded(publish('file:///other%20"q".sql', step, [...view.diagnostics].reverse()), `step ${step}, reversed`);
      }
      assert.ok(carried > 1000, `diagnostics sent again from their kept bytes: ${carried}`);
    });
  }

  it('sends a publish of new diagnostics whole, and keeps the bytes of those published a second time', () => {
    // A diagnostic is never changed once made; changing one here shows which publish kept its bytes.
    const diagnostics: Diagnostic[] = Array.from({ length: 64 }, (_, i) => ({ range: { start: { line: i, character: 0 }, end: { line: i, character: 3 } }, message: `finding ${i}`, source: 'ledgerlint' }));
    assertEncoded(publish('file:///schema.ts', 1, diagnostics), 'all new: one JSON.stringify');
    diagnostics[0].message = 'changed';
    assert.match(encodeMessage(publish('file:///schema.ts', 2, diagnostics)).toString(), /"changed"/, 'the first publish kept no bytes');
    diagnostics[0].message = 'again';
    const third = encodeMessage(publish('file:///schema.ts', 3, diagnostics)).toString();
    assert.ok(third.includes('"changed"') && !third.includes('"again"'), 'the second publish kept them');
  });

  it('encodes other messages and empty publishes as JSON.stringify does', () => {
    assertEncoded(publish('file:///a.sql', 3, []), 'an empty publish');
    assertEncoded({ jsonrpc: '2.0', id: 4, result: { contents: { kind: 'markdown', value: 'plan ✓' } } }, 'a response');
    assertEncoded({ jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri: 'file:///\u0000diagnostics\u0000.sql', diagnostics: [{ message: 'x', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } }] } }, 'a uri holding the placeholder');
  });

  it('keeps console output off the protocol over stdio: it reaches the client log', async () => {
    await assertConsoleReachesLog();
  });
});
