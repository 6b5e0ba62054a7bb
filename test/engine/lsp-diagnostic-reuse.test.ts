// Diagnostics are reused for findings that did not change (lsp/diagnostics.ts): after any edit,
// including ones that move line breaks without moving offsets, they equal a fresh conversion.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { Project } from '../../server/src/engine/project';
import type { Diagnostic } from 'vscode-languageserver';
import { fixKeyOf, setFixTransport, toDiagnostic, toWireFix } from '../../server/src/lsp/diagnostics';
import { StoredFindings } from '../../server/src/lsp/stored-findings';
import { lintDiagnostics, statementDiagnosticsStats } from '../../server/src/lsp/statement-diagnostics';
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

// Statement by statement (lsp/statement-diagnostics.ts): a statement's diagnostics are reused while
// it starts on the same line and column with the same findings, whatever its offset.
for (const transport of ['inline', 'stored'] as const) {
  test(`statement-wise diagnostics (${transport} fixes) equal fresh conversions of the findings after random edits, and their keys resolve to the moved fixes`, () => {
    const random = rng(transport === 'inline' ? 21 : 22);
    let text = ('-- é💸\r\nSELECT 1;\r\n' + generateSqlFile(36) + "SELECT * FROM payments WHERE created_at BETWEEN '2024-01-01' AND '2024-01-31';\n").replace(/\n/g, (m, at: number) => (at % 5 === 0 ? '\r\n' : m));
    const inserts = [' ', 'x', 'é', '\n', '\r\n', ';', "'", '$$', '/*', 'CREATE TABLE t9 (at timestamp, amount float);\n', 'DROP TABLE wallets;\n'];
    const project = new Project(undefined);
    const stored = new StoredFindings();
    setFixTransport(transport);
    let reused = 0;
    let statementWise = 0;
    const stats = { ...statementDiagnosticsStats };
    try {
      let previous = new Set<unknown>();
      for (let round = 0; round < 70; round++) {
        const at = random() < 0.1 ? 0 : Math.floor(random() * (text.length + 1));
        if (random() < 0.3 && at < text.length) text = text.slice(0, at) + text.slice(at + 1);
        else text = text.slice(0, at) + inserts[Math.floor(random() * inserts.length)] + text.slice(at);
        // The last rounds with a suppression comment (converted finding by finding).
        if (round === 55) text = '-- ledgerlint-disable-next-line\n' + text;
        const result = project.lint('f.sql', text);
        const lines = result.file.lines;
        const converted = lintDiagnostics(result);
        stored.setConverted('f', round, lines, converted.findingOf);
        const lookup = stored.lookup('f', round);
        const withoutKey = (d: Diagnostic) => JSON.stringify({ ...d, data: d.data && transport === 'stored' ? 'key' : d.data });
        assert.equal(converted.diagnostics.length, result.findings.length, `round ${round}`);
        const keys = new Set<number>();
        result.findings.forEach((f, i) => {
          const d = converted.diagnostics[i];
          assert.equal(withoutKey(d), withoutKey(toDiagnostic(lines, { ...f })), `round ${round}: ${f.ruleId} at ${f.span.start}`);
          if (transport === 'inline' || !f.fixes?.length) return;
          const key = (d.data as { key: number }).key;
          assert.ok(!keys.has(key), `round ${round}: key ${key} used twice`);
          keys.add(key);
          assert.deepEqual(lookup(key), f.fixes.map((x) => toWireFix(lines, x)), `round ${round}: fixes of ${f.ruleId} at ${f.span.start}`);
        });
        if (!text.includes('ledgerlint-disable-')) statementWise++;
        for (const d of converted.diagnostics) if (previous.has(d)) reused++;
        previous = new Set(converted.diagnostics);
      }
    } finally {
      setFixTransport('inline');
    }
    assert.ok(statementWise > 30 && statementWise < 70, `only ${statementWise} rounds without a suppression comment`);
    // Most of those took the statement-wise way, and reused statements' diagnostics there.
    const checks = statementDiagnosticsStats.checks - stats.checks;
    assert.ok(checks > statementWise / 2 && checks <= statementWise, `${checks} of ${statementWise} rounds converted statement by statement`);
    assert.ok(statementDiagnosticsStats.reused - stats.reused > 200, `${statementDiagnosticsStats.reused - stats.reused} statements' diagnostics reused`);
    assert.ok(reused > 300, `only ${reused} diagnostics were reused`);
  });
}

// A reused whole-file finding whose fix reaches past its statement (a fix adding a statement after
// it; missing-lock-timeout's, at the top of the bench file, is reused through its concerns) is handed on with the cross-statement findings, not in its statement's list: in that
// list it made every query edit of the file fall back to converting each finding.
test('query edits next to a reused whole-file finding reaching past its statement convert statement by statement', () => {
  const project = new Project(undefined);
  let text = generateSqlFile(40);
  const first = project.lint('f.sql', text);
  const statements = first.file.statements;
  const reachesPast = first.findings.filter((f) => {
    const stmt = statements.find((s) => s.segment.start <= f.span.start && f.span.start <= s.segment.end)!;
    return (f.fixes ?? []).some((x) => x.edits.some((e) => e.start < stmt.segment.start || e.end > stmt.segment.end));
  });
  assert.ok(reachesPast.length > 0, 'the file has no finding with a fix outside its statement');
  lintDiagnostics(first);
  for (const k of [7, 11, 15, 19]) {
    const query = project.model.sqlFile('f.sql')!.statements[k];
    assert.match(query.segment.text, /^(-- |SELECT|INSERT|UPDATE)/);
    const at = query.segment.start + 7;
    text = text.slice(0, at) + ' ' + text.slice(at);
    const checks = statementDiagnosticsStats.checks;
    const result = project.lint('f.sql', text);
    const converted = lintDiagnostics(result);
    assert.equal(statementDiagnosticsStats.checks, checks + 1, `edit in statement ${k} converted finding by finding`);
    assert.deepEqual(converted.diagnostics.map((d) => JSON.stringify(d)), result.findings.map((f) => JSON.stringify(toDiagnostic(result.file.lines, f))));
  }
});
