// Diagnostics are reused for findings that did not change (lsp/diagnostics.ts): after any edit,
// including ones that move line breaks without moving offsets, they equal a fresh conversion.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { Project } from '../../server/src/engine/project';
import { toDiagnostic } from '../../server/src/lsp/diagnostics';
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
