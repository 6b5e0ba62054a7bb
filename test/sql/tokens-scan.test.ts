// The JavaScript scanner (scanTokensFast) against libpg-query's: for every text it covers it must
// give exactly the tokens convertTokens(scanText(...)) gives, kinds and offsets included, and it
// must leave to libpg-query what it does not cover.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { initParser, scanText } from '../../server/src/sql/parser';
import { utf8ByteToUtf16 } from '../../server/src/sql/offsets';
import { convertTokens, KEYWORDS, scanTokens, scanTokensFast } from '../../server/src/sql/tokens';
import { seededRandom } from '../lib/seeded-random';

function realTokens(text: string, base: number) {
  const toUtf16 = utf8ByteToUtf16(text);
  return convertTokens(scanText(text), (byte) => base + toUtf16(byte));
}

const COVERED = [
  `CREATE TABLE payments (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  amount numeric(12, 2) NOT NULL DEFAULT 0,\n  created_at timestamptz NOT NULL DEFAULT now()\n)`,
  `SELECT a.id, sum(e.amount_minor)::bigint FROM accounts a JOIN ledger_entries e ON e.account_id = a.id WHERE a.x <= 1.5e10 AND b >= .5 AND c <> 1. AND d != $1 GROUP BY 1`,
  `-- reconciliation 💸\nUPDATE "Wallets" SET balance = balance - $2 WHERE id = $1 /* nested /* comment */ here */ RETURNING *`,
  `SELECT 'it''s', $$body $x$ $$, $fn$ SELECT 1; $fn$, "we""ird", café, x$1, a..b, 1..10, 1.2.3, :x, :=, =>, ->>, @-, *=-1, x=-1, <=-1, +/*c*/1, <-- c\n1`,
  `SELECT data #>> '{a,b}', data @> '{"k": 1}', a || b, a[1:2], ~x, !!y, a ?| b, a \\ b, {x}`,
  `CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  NEW.updated_at := now();\n  RETURN NEW;\nEND\n$$`,
  `SELECT 'a'  -- a comment after a literal on its line\n  AS x, ünïcode, "ü", Ä_1, NaN, SELECT, Select, SÉLECT, ${'<'.repeat(63)}`,
  `select not between not in not like nulls first with time with ordinality format json without time`,
  '\tSELECT\t1\r\n;\r\n',
];

// Forms libpg-query treats in ways of their own (or rejects): left to it.
const NOT_COVERED = [`SELECT e'x\\'y'`, `SELECT b'01'`, `SELECT x'ff'`, `SELECT n'abc'`, `SELECT u&'d\\0061t'`, `SELECT U&"x"`, `SELECT 'a'\n'b'`, `SELECT 0x1F`, `SELECT 1_000`, `SELECT 123abc`, `SELECT 1e`, `SELECT $1a`, `SELECT 'open`, `SELECT "open`, `SELECT ""`, `/* open`, `SELECT $$open`, `SELECT $tag`, `SELECT \u0001`, `SELECT 1 /* \f */`, '\tSELECT\f1\v;\r\n', `SELECT '\ud800'`, `SELECT ${'<'.repeat(64)} 1`, `SELECT 'a'\n-- may continue the literal\n'b'`];

describe('scanTokensFast', () => {
  before(() => initParser());

  it('gives the tokens libpg-query gives, at any base offset', () => {
    for (const text of COVERED) {
      for (const base of [0, 37]) {
        const fast = scanTokensFast(text, base);
        assert.ok(fast, `covers ${JSON.stringify(text)}`);
        assert.deepEqual(fast, realTokens(text, base), text);
      }
    }
  });

  it('leaves what it does not cover to libpg-query, and scanTokens then asks it', () => {
    for (const text of NOT_COVERED) {
      assert.equal(scanTokensFast(text, 0), undefined, JSON.stringify(text));
      assert.deepEqual(scanTokens(text, 5, utf8ByteToUtf16(text)), realTokens(text, 5), text);
    }
  });

  it('knows every keyword libpg-query knows, and only those', () => {
    for (const word of KEYWORDS) {
      assert.deepEqual(scanTokensFast(word.toUpperCase(), 0), realTokens(word.toUpperCase(), 0), word);
      assert.equal(realTokens(word, 0)[0]?.kind, 'keyword', word);
    }
    // Words near keywords, and identifiers from the statements above.
    const words = new Set(['payment', 'amounts', 'nchar2', 'timestamptz', 'balance', 'selects', 'zone_', 'current', 'json_table', 'xmltable', 'uescape', 'unknown', 'n', 'e', 'x']);
    for (const w of words) assert.deepEqual(scanTokensFast(w, 0), realTokens(w, 0), w);
  });

  it('agrees with libpg-query on random splices of tricky statements', () => {
    const random = seededRandom(15);
    const pieces = [...COVERED, ...NOT_COVERED, "'", '"', '$$', '$a$', '--', '/*', '*/', '\n', '::', '..', '.5', '1e+5', '=-', '💸', '\\', '`'];
    let compared = 0;
    for (let i = 0; i < 3000; i++) {
      const a = pieces[Math.floor(random() * pieces.length)];
      const b = pieces[Math.floor(random() * pieces.length)];
      const text = a.slice(0, Math.floor(random() * (a.length + 1))) + b.slice(Math.floor(random() * (b.length + 1)));
      const fast = scanTokensFast(text, 3);
      if (!fast) continue;
      compared++;
      assert.deepEqual(fast, realTokens(text, 3), JSON.stringify(text));
    }
    // Most splices are covered: the fast path is what runs, not the fallback.
    assert.ok(compared > 1000, `compared ${compared}`);
  });
});
