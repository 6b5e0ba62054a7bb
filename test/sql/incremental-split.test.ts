import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { parseSqlFile, StatementCache, type SqlFile } from '../../server/src/sql/document';
import { fullSplit, textChange, updateSplit } from '../../server/src/sql/incremental-split';
import { LineIndex } from '../../server/src/sql/offsets';
import { initParser } from '../../server/src/sql/parser';
import { generateSqlFile } from '../../bench/lib/generate';
import { seededRandom as rng } from '../lib/seeded-random';

before(async () => {
  await initParser();
});

// Pieces that open, close, merge and split statements, bodies, comments and COPY data.
const PIECES = [
  ' ', 'x', ';', '\n', '\r\n', '\r', "'", '"', '$$', '$fn$', '/*', '*/', '--', '(', ')', 'é', '💸', 'E\'\\\'', '\\g\n', '\\set x 1\n',
  'BEGIN', ' END', ' CASE ', 'CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END;\n',
  'COPY t FROM stdin;\n1\t2\n\\.\n', 'COPY t FROM stdin;\n1\t2\n', "SELECT 'a;\nb';\n", 'DO $$ BEGIN PERFORM 1; END $$;\n',
  'CREATE RULE r AS ON INSERT TO t DO (INSERT INTO u VALUES (1); INSERT INTO v VALUES (2));\n',
];

const SEED_TEXT =
  generateSqlFile(40) +
  "CREATE FUNCTION pay() RETURNS void LANGUAGE plpgsql AS $$ BEGIN UPDATE wallets SET balance = 0 WHERE id = 1; END $$;\n" +
  'COPY ledger FROM stdin;\n1\t2\n\\.\n\\echo done\nSELECT 1 \\g\n' +
  generateSqlFile(20, 5);

function edit(text: string, random: () => number): string {
  const r = random();
  const at = r < 0.1 ? 0 : r < 0.2 ? text.length : Math.floor(random() * (text.length + 1));
  if (r > 0.9 && at < text.length) {
    // A replacement of the same length: nothing moves, but a line break may come or go.
    return text.slice(0, at) + ['\n', 'x', ';', "'"][Math.floor(random() * 4)] + text.slice(at + 1);
  }
  if (random() < 0.35) {
    const len = random() < 0.7 ? 1 + Math.floor(random() * 3) : Math.floor(random() * 400);
    return text.slice(0, at) + text.slice(Math.min(text.length, at + len));
  }
  return text.slice(0, at) + PIECES[Math.floor(random() * PIECES.length)] + text.slice(at);
}

function shape(file: SqlFile) {
  return {
    segments: file.segments,
    statements: file.statements.map((s) => ({ index: s.index, segment: s.segment, text: s.entry.text, error: s.error, firstLine: s.firstLine() })),
    lines: Array.from({ length: file.lines.lineCount }, (_, i) => [file.lines.lineStart(i), file.lines.lineEnd(i)]),
  };
}

test('random edits: the incrementally re-split and re-parsed file equals a fresh parse, and the cache holds exactly its statements', () => {
  for (const seed of [1, 2, 3]) {
    const random = rng(seed);
    let text = seed === 2 ? SEED_TEXT.replace(/\n/g, '\r\n') : SEED_TEXT;
    const cache = new StatementCache();
    let file = parseSqlFile('a.sql', text, cache);
    let kept = 0;
    let candidates = 0;
    for (let round = 0; round < 250; round++) {
      const previous = file;
      text = edit(text, random);
      file = parseSqlFile('a.sql', text, cache);
      const fresh = parseSqlFile('a.sql', text);
      assert.deepEqual(shape(file), shape(fresh), `seed ${seed} round ${round}`);
      assert.equal(cache.size, new Set(fresh.statements.map((s) => s.entry.text)).size, `seed ${seed} round ${round}: cache size`);
      // Statements well before the edit are the same objects, with their parse.
      const change = textChange(previous.text, text);
      for (const s of previous.statements) {
        const next = previous.statements[s.index + 1];
        if (!next || next.segment.start >= change.start) break;
        candidates++;
        if (file.statements[s.index] === s) kept++;
      }
    }
    // Open quotes and bodies before an edit make it re-split from there; most edits do not.
    assert.ok(kept > candidates * 0.5, `seed ${seed}: kept ${kept} of ${candidates}`);
  }
});

test('an edit in the middle of a big file re-splits only a few statements', () => {
  const text = generateSqlFile(2000);
  const state = fullSplit(text);
  const mid = state.segments[1000].start + 3;
  const next = text.slice(0, mid) + ' ' + text.slice(mid);
  const update = updateSplit(state, next, textChange(text, next))!;
  assert.ok(update.resumeNew - update.keptBefore <= 3, `re-split ${update.resumeNew - update.keptBefore} segments`);
  assert.equal(update.delta, 1);
  assert.deepEqual(update.state.segments, fullSplit(next).segments);
});

test('a statement inserted right before another is split, not mistaken for the old one that starts where it now ends', () => {
  const cache = new StatementCache();
  const text = 'SELECT 1;\nSELECT 2;\n';
  parseSqlFile('i.sql', text, cache);
  const inserted = 'SELECT 1;\nSELECT 3;\nSELECT 2;\n';
  assert.deepEqual(shape(parseSqlFile('i.sql', inserted, cache)), shape(parseSqlFile('i.sql', inserted)));
  // The new statement starts exactly as far after the old first one as the text inserted is long.
  const other = new StatementCache();
  parseSqlFile('j.sql', 'SELECT 1;\n', other);
  const appended = 'SELECT 1;\nSELECT 2;\n';
  assert.deepEqual(shape(parseSqlFile('j.sql', appended, other)), shape(parseSqlFile('j.sql', appended)));
  // Same length, a line break for a space: statements after it keep their offsets, not their lines.
  const broken = inserted.replace('SELECT 3', 'SELECT\n3');
  assert.deepEqual(shape(parseSqlFile('i.sql', broken, cache)), shape(parseSqlFile('i.sql', broken)));
});

test('an unclosed quote before the edit is re-split with it: closing it later in the file changes its end', () => {
  const text = "SELECT 'abc;\nSELECT 1;\nSELECT 2;\n";
  const cache = new StatementCache();
  parseSqlFile('q.sql', text, cache);
  const closed = text.replace('SELECT 2;', "SELECT 2';");
  assert.deepEqual(shape(parseSqlFile('q.sql', closed, cache)), shape(parseSqlFile('q.sql', closed)));
});

test('LineIndex.edited equals a fresh index around CRLF pairs split and joined by an edit', () => {
  const random = rng(11);
  let text = 'a\r\nb\rc\n\r\nd';
  let lines = new LineIndex(text);
  for (let round = 0; round < 500; round++) {
    const next = edit(text, random);
    lines = LineIndex.edited(lines, next, textChange(text, next));
    text = next;
    const fresh = new LineIndex(text);
    assert.equal(lines.lineCount, fresh.lineCount, `round ${round}`);
    for (let i = 0; i < fresh.lineCount; i++) assert.equal(lines.lineStart(i), fresh.lineStart(i), `round ${round} line ${i}`);
  }
});

test('textChange finds the changed range in chunks exactly as a character-by-character scan', () => {
  const naive = (a: string, b: string) => {
    let start = 0;
    while (start < Math.min(a.length, b.length) && a[start] === b[start]) start++;
    let oldEnd = a.length;
    let newEnd = b.length;
    while (oldEnd > start && newEnd > start && a[oldEnd - 1] === b[newEnd - 1]) {
      oldEnd--;
      newEnd--;
    }
    return { start, oldEnd, newEnd };
  };
  const random = rng(5);
  const base = generateSqlFile(200);
  for (let round = 0; round < 300; round++) {
    // Edits at, around and between chunk boundaries, repeated text that could fool a suffix match.
    const at = round % 3 === 0 ? 2048 * (1 + (round % 5)) - 1 + (round % 3) : Math.floor(random() * base.length);
    const cut = Math.floor(random() * 3);
    const edited = base.slice(0, at) + ['', 'a', 'ab', base.slice(at, at + 40)][round % 4] + base.slice(at + cut);
    assert.deepEqual(textChange(base, edited), naive(base, edited), `round ${round} at ${at}`);
  }
});
