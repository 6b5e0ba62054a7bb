// Diagnostics are reused for findings that did not change (lsp/diagnostics.ts): after any edit,
// including ones that move line breaks without moving offsets, they equal a fresh conversion.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { Project } from '../../server/src/engine/project';
import type { Diagnostic } from 'vscode-languageserver';
import { fixKeyOf, setFixTransport, toDiagnostic, toWireFix } from '../../server/src/lsp/diagnostics';
import { StoredFindings } from '../../server/src/lsp/stored-findings';
import { initParser } from '../../server/src/sql/parser';
import { generateSqlFile } from '../../bench/lib/generate';
import { seededRandom as rng } from '../lib/seeded-random';

before(async () => {
  await initParser();
});

test('reused diagnostics equal fresh conversions after edits that keep or move offsets and line breaks', () => {
  const random = rng(5);
  let text = generateSqlFile(40).replace(/\n/g, (m, at: number) => (at % 7 === 0 ? '\r\n' : m));
  const project = new Project(undefined);
  let reused = 0;
  let previous = new Set<unknown>();
  for (let round = 0; round < 60; round++) {
    const r = random();
    const at = Math.floor(random() * text.length);
    // Same length: a character becomes a line break (or the reverse), so later offsets stay and lines move.
    if (r < 0.4) text = text.slice(0, at) + (text[at] === '\n' ? ' ' : '\n') + text.slice(at + 1);
    else if (r < 0.7) text = text.slice(0, at) + ' ' + text.slice(at);
    else text = text.slice(0, at) + text.slice(at + 1);
    const result = project.lint('f.sql', text);
    const lines = result.file.lines;
    const diagnostics = result.findings.map((f) => toDiagnostic(lines, f));
    // A copy of the finding is a new object: never found in the cache.
    const fresh = result.findings.map((f) => toDiagnostic(lines, { ...f }));
    assert.equal(JSON.stringify(diagnostics), JSON.stringify(fresh), `round ${round}`);
    for (const d of diagnostics) if (previous.has(d)) reused++;
    previous = new Set(diagnostics);
  }
  assert.ok(reused > 100, `only ${reused} diagnostics were reused`);
});

test('moved findings take over their diagnostics and fix keys (stored fixes): equal to fresh conversions, keys unique and resolving to the moved fixes', () => {
  const random = rng(11);
  let text = ('SELECT 1;\r\n' + generateSqlFile(30)).replace(/\n/g, (m, at: number) => (at % 5 === 0 ? '\r\n' : m));
  const project = new Project(undefined);
  const stored = new StoredFindings();
  setFixTransport('stored');
  let movedReuse = 0;
  try {
    let previous = { findings: new Set<unknown>(), diagnostics: new Set<unknown>() };
    for (let round = 0; round < 60; round++) {
      const r = random();
      const at = Math.floor(random() * text.length);
      if (r < 0.2) text = text.slice(0, at) + (text[at] === '\n' ? ' ' : '\n') + text.slice(at + 1);
      else if (r < 0.35) text = text.slice(0, at) + 'é\r\n' + text.slice(at);
      else if (r < 0.7) text = text.slice(0, at) + ' ' + text.slice(at);
      else text = text.slice(0, at) + text.slice(at + 1);
      const result = project.lint('f.sql', text);
      const lines = result.file.lines;
      const diagnostics = result.findings.map((f) => toDiagnostic(lines, f));
      stored.set('f', round, lines, result.findings);
      const lookup = stored.lookup('f', round);
      const withoutKey = (d: Diagnostic) => JSON.stringify({ ...d, data: d.data ? 'key' : undefined });
      const keys = new Set<number>();
      result.findings.forEach((f, i) => {
        const d = diagnostics[i];
        assert.equal(withoutKey(d), withoutKey(toDiagnostic(lines, { ...f })), `round ${round}: ${f.ruleId} at ${f.span.start}`);
        if (!f.fixes?.length) return;
        const key = (d.data as { key: number }).key;
        assert.ok(!keys.has(key), `round ${round}: key ${key} used twice`);
        keys.add(key);
        assert.equal(fixKeyOf(f), key);
        assert.deepEqual(lookup(key), f.fixes.map((x) => toWireFix(lines, x)));
        if (previous.diagnostics.has(d) && !previous.findings.has(f)) movedReuse++;
      });
      previous = { findings: new Set(result.findings), diagnostics: new Set(diagnostics) };
    }
  } finally {
    setFixTransport('inline');
  }
  assert.ok(movedReuse > 100, `only ${movedReuse} diagnostics of moved findings were reused`);
});
