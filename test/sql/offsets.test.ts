import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineIndex, codePointToUtf16, isAscii, utf8ByteToUtf16 } from '../../server/src/sql/offsets';

test('LineIndex handles \\n, \\r\\n and lone \\r line breaks', () => {
  const text = 'ab\ncd\r\nef\rgh';
  const lines = new LineIndex(text);
  assert.equal(lines.lineCount, 4);
  assert.deepEqual([0, 1, 2, 3].map((l) => [lines.lineStart(l), lines.lineEnd(l)]), [[0, 2], [3, 5], [7, 9], [10, 12]]);
  assert.deepEqual(lines.positionAt(0), { line: 0, character: 0 });
  assert.deepEqual(lines.positionAt(4), { line: 1, character: 1 });
  assert.deepEqual(lines.positionAt(7), { line: 2, character: 0 });
  assert.deepEqual(lines.positionAt(11), { line: 3, character: 1 });
  // Between \r and \n: still the end of line 1, never a character past it.
  assert.deepEqual(lines.positionAt(6), { line: 1, character: 2 });
  for (let o = 0; o <= text.length; o++) {
    if (o === 6) continue;
    assert.equal(lines.offsetAt(lines.positionAt(o)), o, `round trip of ${o}`);
  }
});

test('LineIndex clamps out-of-range input like LSP clients expect', () => {
  const lines = new LineIndex('abc\ndef\n');
  assert.equal(lines.lineCount, 3);
  assert.deepEqual(lines.positionAt(-5), { line: 0, character: 0 });
  assert.deepEqual(lines.positionAt(99), { line: 2, character: 0 });
  assert.deepEqual(lines.positionAt(Number.NaN), { line: 0, character: 0 });
  assert.equal(lines.offsetAt({ line: 0, character: 99 }), 3);
  assert.equal(lines.offsetAt({ line: 1, character: -1 }), 4);
  assert.equal(lines.offsetAt({ line: 7, character: 0 }), 8);
  assert.equal(lines.offsetAt({ line: -1, character: 2 }), 0);
  assert.equal(lines.lineEnd(99), 8);
  const empty = new LineIndex('');
  assert.equal(empty.lineCount, 1);
  assert.deepEqual(empty.positionAt(0), { line: 0, character: 0 });
  assert.equal(empty.lineEnd(0), 0);
});

test('LineIndex counts UTF-16 units: an emoji is two characters', () => {
  const text = '😀x\n\ufeffé😀y';
  const lines = new LineIndex(text);
  assert.deepEqual(lines.positionAt(text.indexOf('x')), { line: 0, character: 2 });
  assert.deepEqual(lines.positionAt(text.indexOf('y')), { line: 1, character: 4 });
  assert.equal(lines.offsetAt({ line: 1, character: 4 }), text.indexOf('y'));
});

test('isAscii', () => {
  assert.equal(isAscii(''), true);
  assert.equal(isAscii('SELECT 1;\r\n\x7f'), true);
  assert.equal(isAscii('SELECT é'), false);
  assert.equal(isAscii('\ufeff'), false);
});

test('utf8ByteToUtf16 is the identity (clamped) for ASCII text', () => {
  const toUtf16 = utf8ByteToUtf16('SELECT 1');
  assert.deepEqual([0, 3, 8, 9, -2, 2.7].map(toUtf16), [0, 3, 8, 8, 0, 2]);
});

test('utf8ByteToUtf16 matches Buffer byte lengths for every character start', () => {
  const text = "SELECT 'é😀中\ufeff' AS \"🦄\", 'x\ud800y' -- ß\n";
  const toUtf16 = utf8ByteToUtf16(text);
  for (let i = 0; i <= text.length; i++) {
    const isLow = i > 0 && /[\udc00-\udfff]/.test(text[i]) && /[\ud800-\udbff]/.test(text[i - 1]);
    if (isLow) continue;
    const byte = Buffer.byteLength(text.slice(0, i), 'utf8');
    assert.equal(toUtf16(byte), i, `byte ${byte} of UTF-16 index ${i}`);
  }
  const total = Buffer.byteLength(text, 'utf8');
  assert.equal(toUtf16(total + 10), text.length);
});

test('utf8ByteToUtf16 maps bytes inside a multi-byte character to its start', () => {
  const text = 'a😀b中c';
  const toUtf16 = utf8ByteToUtf16(text);
  // a=0, 😀=bytes 1..4 (UTF-16 1..2), b=5 (3), 中=6..8 (4), c=9 (5)
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(toUtf16), [0, 1, 1, 1, 1, 3, 4, 4, 4, 5, 6]);
});

test('utf8ByteToUtf16 agrees with libpg-query locations', async () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pg = require('libpg-query') as { loadModule(): Promise<void>; parseSync(sql: string): unknown };
  await pg.loadModule();
  const sql = "SELECT '😀é' AS a, \"中\" FROM t WHERE x = 1";
  const json = JSON.stringify(pg.parseSync(sql));
  const toUtf16 = utf8ByteToUtf16(sql);
  const where = sql.indexOf('x = 1');
  const locations = [...json.matchAll(/"location":(\d+)/g)].map((m) => toUtf16(Number(m[1])));
  assert.ok(locations.includes(where), `expected ${where} among ${locations}`);
  assert.ok(locations.includes(sql.indexOf('"中"')));
});

test('codePointToUtf16 turns PostgreSQL cursor positions into string offsets', () => {
  const text = "SELECT '😀' FRM x";
  assert.equal(codePointToUtf16(text, 0), 0);
  assert.equal(codePointToUtf16(text, 10), text.indexOf(' FRM'));
  assert.equal(codePointToUtf16(text, 15), text.indexOf('x'));
  assert.equal(codePointToUtf16(text, 1000), text.length);
  assert.equal(codePointToUtf16(text, -3), 0);
  assert.equal(codePointToUtf16('\ud800a', 1), 1); // a lone surrogate is one code point
});

test('codePointToUtf16 agrees with libpg-query error positions', async () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pg = require('libpg-query') as { loadModule(): Promise<void>; parseSync(sql: string): unknown };
  await pg.loadModule();
  const sql = "SELECT '😀🦄', \"é\" FRM x";
  let cursor = -1;
  try {
    pg.parseSync(sql);
  } catch (err) {
    cursor = (err as { sqlDetails?: { cursorPosition?: number } }).sqlDetails?.cursorPosition ?? -1;
  }
  assert.equal(codePointToUtf16(sql, cursor), sql.indexOf('x'));
});
