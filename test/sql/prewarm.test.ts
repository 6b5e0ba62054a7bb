// Parsing a huge file in slices ahead of its lint: the event loop runs between slices, a stale
// prewarm stops, and the lint takes the prewarmed statements instead of parsing them again.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { clearPrewarmed, parseSqlFile, prewarmStatements, StatementCache } from '../../server/src/sql/document';
import { initParser } from '../../server/src/sql/parser';

const texts = Array.from({ length: 3000 }, (_, i) => `SELECT id, amount FROM payments WHERE id = ${i}`);

describe('prewarmStatements', () => {
  before(() => initParser());

  it('yields to the event loop between slices and hands its entries to the next parse', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const done = await prewarmStatements(texts, () => false, () => false, 5);
    clearInterval(timer);
    assert.equal(done, true);
    assert.ok(ticks >= 2, `the event loop ran ${ticks} times during the prewarm`);
    const file = parseSqlFile('x.sql', texts.join(';\n'), new StatementCache());
    // Tokens and node index were computed during the prewarm: the entry already holds them.
    assert.ok(file.statements.every((s) => s.entry.tokens && s.entry.nodes && s.ast));
    assert.equal(file.statements[5].tokens()[0].keyword, 'select');
    assert.equal(file.statements[5].tokens()[0].start, file.statements[5].segment.start);
  });

  it('stops when stale and skips texts the caller already has', async () => {
    let asked = 0;
    const done = await prewarmStatements(texts.map((t) => t + ' AND true'), () => false, () => ++asked >= 1, 0);
    assert.equal(done, false);
    clearPrewarmed();
    const known = new Set(texts.slice(0, 10));
    await prewarmStatements(texts.slice(0, 10), (t) => known.has(t), () => false);
    const file = parseSqlFile('y.sql', texts.slice(0, 10).join(';\n'), new StatementCache());
    // Not prewarmed, so parsed on demand: no tokens until a rule asks.
    assert.ok(file.statements.every((s) => s.entry.tokens === undefined));
  });
});
