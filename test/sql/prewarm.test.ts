// Parsing a huge file in slices ahead of its lint: the event loop runs between slices, a stale
// prewarm stops, and the lint takes the prewarmed statements instead of parsing them again.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { clearPrewarmed, parseSqlFile, prewarmStatements, StatementCache } from '../../server/src/sql/document';
import { initParser } from '../../server/src/sql/parser';

const texts = Array.from({ length: 3000 }, (_, i) => `SELECT id, amount FROM payments WHERE id = ${i}`);
/** The statements of `texts.join(';\n')` with their file offsets. */
function at(list: string[]): Array<{ text: string; start: number }> {
  let start = 0;
  return list.map((text) => {
    const s = { text, start };
    start += text.length + 2;
    return s;
  });
}

describe('prewarmStatements', () => {
  before(() => initParser());

  it('yields to the event loop between slices and hands its entries to the next parse', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const done = await prewarmStatements(at(texts), () => false, () => false, 5);
    clearInterval(timer);
    assert.equal(done, true);
    assert.ok(ticks >= 2, `the event loop ran ${ticks} times during the prewarm`);
    const file = parseSqlFile('x.sql', texts.join(';\n'), new StatementCache());
    // Tokens and node index were computed during the prewarm: the entry already holds them.
    assert.ok(file.statements.every((s) => s.entry.shiftedTokens?.base === s.segment.start && s.entry.nodes && s.ast));
    const tokens = file.statements[5].tokens();
    assert.equal(tokens, file.statements[5].entry.shiftedTokens!.tokens, 'the prewarmed tokens are used, not scanned again');
    assert.equal(tokens[0].keyword, 'select');
    assert.equal(tokens[0].start, file.statements[5].segment.start);
    assert.equal(file.text.slice(tokens.at(-1)!.start, tokens.at(-1)!.end), '5');
  });

  it('stops when stale and skips texts the caller already has', async () => {
    let asked = 0;
    const done = await prewarmStatements(at(texts.map((t) => t + ' AND true')), () => false, () => ++asked >= 1, 0);
    assert.equal(done, false);
    clearPrewarmed();
    const known = new Set(texts.slice(0, 10));
    await prewarmStatements(at(texts.slice(0, 10)), (t) => known.has(t), () => false);
    const file = parseSqlFile('y.sql', texts.slice(0, 10).join(';\n'), new StatementCache());
    // Not prewarmed, so parsed on demand: no tokens until a rule asks.
    assert.ok(file.statements.every((s) => s.entry.tokens === undefined && s.entry.shiftedTokens === undefined));
  });
});

describe('statement tokens at file offsets', () => {
  before(() => initParser());

  it('are the same whether scanned at the offset, shifted after a move, or at offset 0', () => {
    const stmt = "SELECT 'é💸', amount FROM payments";
    const shiftedBy = (prefix: string) => {
      const file = parseSqlFile('z.sql', prefix + stmt + ';', cache);
      return file.statements.at(-1)!.tokens().map((t) => ({ ...t, start: t.start - prefix.length, end: t.end - prefix.length }));
    };
    const cache = new StatementCache();
    const first = shiftedBy('SELECT 1;\n');
    // Same text, moved by an edit above it: shifted from the previous offset, not rescanned.
    const moved = shiftedBy('SELECT 1;\n-- a comment\n');
    const atZero = shiftedBy('');
    const fresh = parseSqlFile('w.sql', stmt).statements[0].tokens();
    assert.deepEqual(first, fresh);
    assert.deepEqual(moved, fresh);
    assert.deepEqual(atZero, fresh);
    assert.equal(stmt.slice(fresh[1].start, fresh[1].end), "'é💸'");
  });
});
