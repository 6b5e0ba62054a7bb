import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitSql } from '../../server/src/sql/splitter';
import type { Segment } from '../../server/src/sql/statement';

/** Segments as `[kind, text]` pairs, with `unterminated@offset` appended when set. */
function split(text: string): string[][] {
  return checked(text).map((s) => (s.unterminated ? [s.kind, s.text, `${s.unterminated}@${s.unterminatedAt}`] : [s.kind, s.text]));
}

/** Splits and asserts the invariants every caller relies on. */
function checked(text: string): Segment[] {
  const segs = splitSql(text);
  let prev = 0;
  for (const s of segs) {
    assert.ok(s.start >= prev, `segment at ${s.start} overlaps the previous one ending at ${prev}`);
    assert.ok(s.end > s.start && s.end <= text.length, `bad bounds ${s.start}..${s.end} of ${text.length}`);
    assert.equal(s.text, text.slice(s.start, s.end));
    if (s.unterminated) assert.ok(s.unterminatedAt! >= s.start && s.unterminatedAt! < s.end);
    prev = s.end;
  }
  return segs;
}

const stmts = (...texts: string[]): string[][] => texts.map((t) => ['statement', t]);

test('splits on top-level semicolons and trims blanks and leading comments', () => {
  assert.deepEqual(split('  SELECT 1 ;\n\n-- lead\n/* lead */ SELECT 2\n;'), stmts('SELECT 1', 'SELECT 2'));
  const segs = checked('-- x\n  select 1  ;');
  assert.equal(segs[0].start, 7);
  assert.equal(segs[0].end, 15);
});

test('a last statement without semicolon runs to the end of the file', () => {
  assert.deepEqual(split('SELECT 1; SELECT 2 -- done\n'), stmts('SELECT 1', 'SELECT 2 -- done'));
});

test('empty statements and comment-only texts produce no segments', () => {
  assert.deepEqual(split(';;  ;\n;'), []);
  assert.deepEqual(split('-- only ; a comment\n/* and ; another */\n  '), []);
  assert.deepEqual(split(''), []);
  assert.deepEqual(split('SELECT 1;;;SELECT 2'), stmts('SELECT 1', 'SELECT 2'));
});

test('semicolons inside quotes, escapes and identifiers do not split', () => {
  assert.deepEqual(split("SELECT 'it''s; fine', 'a'; SELECT 2"), stmts("SELECT 'it''s; fine', 'a'", 'SELECT 2'));
  assert.deepEqual(split("SELECT E'\\'; x'; SELECT 2"), stmts("SELECT E'\\'; x'", 'SELECT 2'));
  assert.deepEqual(split("SELECT E'\\''; SELECT 2"), stmts("SELECT E'\\''", 'SELECT 2'));
  assert.deepEqual(split("SELECT e'a\\\\'; SELECT 2"), stmts("SELECT e'a\\\\'", 'SELECT 2'));
  // Not an E string: the E ends an identifier, so the backslash is plain text and the quote closes.
  assert.deepEqual(split("SELECT xE'\\'; SELECT 2"), stmts("SELECT xE'\\'", 'SELECT 2'));
  assert.deepEqual(split('SELECT "a"";b" FROM t; SELECT 2'), stmts('SELECT "a"";b" FROM t', 'SELECT 2'));
});

test('comments: line comments hide quotes and semicolons, block comments nest', () => {
  assert.deepEqual(split("SELECT 1 -- it's; here\n, 2; SELECT 3"), stmts("SELECT 1 -- it's; here\n, 2", 'SELECT 3'));
  assert.deepEqual(split('SELECT 1 /* a /* b */ ; */ + 1; SELECT 2'), stmts('SELECT 1 /* a /* b */ ; */ + 1', 'SELECT 2'));
  assert.deepEqual(split('SELECT 1 - -2; SELECT 4/2'), stmts('SELECT 1 - -2', 'SELECT 4/2'));
});

test('dollar quotes: tags, nested $$ inside $fn$, and $1 parameters', () => {
  const fn = 'CREATE FUNCTION f() RETURNS int AS $fn$ SELECT $$;$$; $fn$ LANGUAGE sql';
  assert.deepEqual(split(`${fn};\nSELECT $1, $2::int;`), stmts(fn, 'SELECT $1, $2::int'));
  assert.deepEqual(split('DO $body_1$ BEGIN PERFORM 1; END $body_1$; SELECT 2'), stmts('DO $body_1$ BEGIN PERFORM 1; END $body_1$', 'SELECT 2'));
  // Tags are case sensitive; `$a$` does not close `$A$`.
  assert.deepEqual(split('SELECT $A$ ; $a$ ; $A$; SELECT 2'), stmts('SELECT $A$ ; $a$ ; $A$', 'SELECT 2'));
  // `$` continues identifiers, so this is no dollar quote.
  assert.deepEqual(split('SELECT a$$b; SELECT 2'), stmts('SELECT a$$b', 'SELECT 2'));
  assert.deepEqual(split('SELECT $ ; SELECT $x ; SELECT $9$'), stmts('SELECT $', 'SELECT $x', 'SELECT $9$'));
});

test('parentheses keep semicolons like psql (CREATE RULE ... DO (a; b))', () => {
  const rule = 'CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2))';
  assert.deepEqual(split(`${rule};\nSELECT 1`), stmts(rule, 'SELECT 1'));
});

test('BEGIN ATOMIC bodies end at their matching END, CASE ... END included', () => {
  const body =
    'CREATE OR REPLACE FUNCTION f(x int) RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n' +
    '  SELECT CASE WHEN x > 0 THEN 1 ELSE CASE WHEN x < 0 THEN -1 END END;\n  SELECT 2;\nEND';
  assert.deepEqual(split(`${body};\nSELECT 3;`), stmts(body, 'SELECT 3'));
  const proc = 'create procedure p() begin atomic insert into t values (1); end';
  assert.deepEqual(split(`${proc}; select 1`), stmts(proc, 'select 1'));
  // Outside routines BEGIN and END are transaction statements.
  assert.deepEqual(split('BEGIN; UPDATE t SET a = 1; END; SELECT 1'), stmts('BEGIN', 'UPDATE t SET a = 1', 'END', 'SELECT 1'));
  // A CASE in a routine without a BEGIN body does not hold the semicolon.
  assert.deepEqual(
    split('CREATE FUNCTION g() RETURNS int RETURN CASE WHEN true THEN 1 END; SELECT 1'),
    stmts('CREATE FUNCTION g() RETURNS int RETURN CASE WHEN true THEN 1 END', 'SELECT 1'),
  );
});

test('psql meta commands are meta segments; \\g and \\gset end a statement', () => {
  assert.deepEqual(split('\\set ON_ERROR_STOP on\n  \\connect db\nSELECT 1;\n\\i file.sql\r\nSELECT 2'), [
    ['meta', '\\set ON_ERROR_STOP on'],
    ['meta', '\\connect db'],
    ['statement', 'SELECT 1'],
    ['meta', '\\i file.sql'],
    ['statement', 'SELECT 2'],
  ]);
  assert.deepEqual(split("SELECT 1 AS a \\gset\nSELECT :'a' \\g out.txt\nSELECT 3\\;SELECT 4;"), [
    ['statement', 'SELECT 1 AS a'],
    ['meta', '\\gset'],
    ['statement', "SELECT :'a'"],
    ['meta', '\\g out.txt'],
    ['statement', 'SELECT 3'],
    ['statement', 'SELECT 4'],
  ]);
});

test('COPY FROM STDIN data up to \\. is one copy-data segment', () => {
  const text = "COPY t (a, b) FROM STDIN WITH (FORMAT text);\n1\tit's; odd\n2\t\n\\.\nSELECT 1;";
  assert.deepEqual(split(text), [
    ['statement', 'COPY t (a, b) FROM STDIN WITH (FORMAT text)'],
    ['copy-data', "1\tit's; odd\n2\t"],
    ['statement', 'SELECT 1'],
  ]);
  assert.deepEqual(split('copy t from stdin;\r\n\\.\r\nselect 1'), stmts('copy t from stdin', 'select 1'));
  assert.deepEqual(split('\\copy t from stdin\n1\n\\.\nSELECT 2'), [
    ['meta', '\\copy t from stdin'],
    ['copy-data', '1'],
    ['statement', 'SELECT 2'],
  ]);
  // COPY to a file or from a program is plain SQL; `\.` inside data lines does not end the data.
  assert.deepEqual(split("COPY t FROM '/x'; SELECT 1"), stmts("COPY t FROM '/x'", 'SELECT 1'));
  assert.deepEqual(split('COPY t FROM STDIN;\na\\.b\n\\.'), [['statement', 'COPY t FROM STDIN'], ['copy-data', 'a\\.b']]);
});

test('unterminated quote mid-file: reported, and later statements still split', () => {
  const text = "SELECT 1;\nSELECT 'abc;\nSELECT 2;\nSELECT 3;\n";
  assert.deepEqual(split(text), [
    ['statement', 'SELECT 1'],
    ['statement', "SELECT 'abc", `quote@${text.indexOf("'")}`],
    ['statement', 'SELECT 2'],
    ['statement', 'SELECT 3'],
  ]);
  const ident = 'SELECT "abc FROM t;\nSELECT 2;';
  assert.deepEqual(split(ident), [['statement', 'SELECT "abc FROM t', 'identifier@7'], ['statement', 'SELECT 2']]);
  // At the very end there is nothing to recover; the statement just runs to the end.
  assert.deepEqual(split("SELECT 'abc"), [['statement', "SELECT 'abc", 'quote@7']]);
  assert.deepEqual(split("SELECT E'abc\\"), [['statement', "SELECT E'abc\\", 'quote@8']]);
});

test('unterminated dollar body resumes at the next statement line', () => {
  const fn = 'CREATE FUNCTION f() RETURNS int AS $$\nDECLARE\n  x int;\nBEGIN\n  RETURN 1;\nEND;\nLANGUAGE plpgsql;';
  const text = `${fn}\n\n-- next\nCREATE TABLE t (id int);\nSELECT 1;`;
  assert.deepEqual(split(text), [
    ['statement', fn, `dollar@${fn.indexOf('$$')}`],
    ['statement', 'CREATE TABLE t (id int)'],
    ['statement', 'SELECT 1'],
  ]);
  assert.deepEqual(split('SELECT $tag$ abc'), [['statement', 'SELECT $tag$ abc', 'dollar@7']]);
  // An indented comment ending in `;` between the body and the next statement is not a `;` line.
  const body = 'DO $$\nBEGIN\n  x := 1\n  -- done;\nSELECT 2;\nSELECT 3;';
  assert.deepEqual(split(body), [
    ['statement', 'DO $$\nBEGIN\n  x := 1\n  -- done;\nSELECT 2;', 'dollar@3'],
    ['statement', 'SELECT 3'],
  ]);
});

test('unterminated block comment is reported and does not hide everything after it', () => {
  assert.deepEqual(split('SELECT 1;\n/* todo\nSELECT 2;\nSELECT 3;\n'), [
    ['statement', 'SELECT 1'],
    ['statement', '/* todo\nSELECT 2;', 'comment@10'],
    ['statement', 'SELECT 3'],
  ]);
  assert.deepEqual(split('SELECT 1 /* a /* b */'), [['statement', 'SELECT 1 /* a /* b */', 'comment@9']]);
});

test('an unclosed parenthesis at the end of the file gives up its statement at the first inner semicolon', () => {
  assert.deepEqual(split('CREATE TABLE t (\n  id int;\nSELECT 2;'), stmts('CREATE TABLE t (\n  id int', 'SELECT 2'));
});

test('a BEGIN ATOMIC body without END resumes at the next statement line', () => {
  const fn = 'CREATE PROCEDURE p() BEGIN ATOMIC\n  INSERT INTO a VALUES (1);\n  INSERT INTO b VALUES (2);';
  assert.deepEqual(split(`${fn}\nCREATE TABLE t (id int);`), stmts(fn, 'CREATE TABLE t (id int)'));
});

test('CRLF, BOM and astral characters keep UTF-16 offsets exact', () => {
  const text = '\ufeff-- 😀 é\r\nSELECT \'😀;\' AS "🦄";\r\n\r\nSELECT 2;\r\n';
  const segs = checked(text);
  assert.deepEqual(
    segs.map((s) => [s.start, s.text]),
    [
      [text.indexOf('SELECT'), 'SELECT \'😀;\' AS "🦄"'],
      [text.lastIndexOf('SELECT'), 'SELECT 2'],
    ],
  );
  assert.deepEqual(split('SELECT 1;\ufeffSELECT 2\ufeff'), stmts('SELECT 1', 'SELECT 2'));
  assert.deepEqual(split('SELECT ü$$; SELECT 2'), stmts('SELECT ü$$', 'SELECT 2'));
});

test('odd endings never throw: lone $, E, backslash, quote, slash', () => {
  for (const text of ['$', 'E', "E'", 'SELECT E', '\\', 'SELECT 1 \\', '/', '/*', '-', '--', "'", '"', '$a', '$a$', '(', ')', ';', '\r', '\ud83d']) {
    checked(text);
  }
});

test('randomized mutations never throw or hang and keep the invariants', () => {
  const seeds = [
    "SELECT 'a''b', E'\\'', \"x\"\"y\" FROM t WHERE a = $1; -- c ; '\n",
    'CREATE FUNCTION f() RETURNS int AS $fn$ SELECT $$;$$ $fn$ LANGUAGE sql;\n',
    'CREATE FUNCTION g() BEGIN ATOMIC SELECT CASE WHEN 1 THEN 2 END; END;\n',
    '/* a /* b */ ; */ COPY t FROM STDIN;\n1\t2\n\\.\n\\set x 1\nSELECT 😀 \\gset\n',
    'CREATE RULE r AS ON INSERT TO t DO (INSERT INTO a VALUES (1); DELETE FROM b);\r\n\ufeff',
  ];
  const alphabet = ["'", '"', '$', '$$', '$x$', ';', '\n', '\r\n', '(', ')', '/*', '*/', '--', '\\', 'E', 'BEGIN', 'END', 'CASE', 'COPY', 'FROM STDIN', '\\.', '😀', '\ud800', ' '];
  let state = 20240611;
  const rand = (k: number): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % k;
  };
  for (let round = 0; round < 3000; round++) {
    let text = '';
    for (let i = 0, parts = 1 + rand(6); i < parts; i++) text += seeds[rand(seeds.length)];
    for (let m = 0, edits = 1 + rand(8); m < edits; m++) {
      const at = rand(text.length + 1);
      const op = rand(3);
      if (op === 0) text = text.slice(0, at) + alphabet[rand(alphabet.length)] + text.slice(at);
      else if (op === 1) text = text.slice(0, at) + text.slice(at + 1 + rand(4));
      else text = text.slice(0, at) + String.fromCharCode(rand(0x10000)) + text.slice(at);
    }
    checked(text);
  }
});

test('pathological input: many unterminated dollar quotes stay fast', () => {
  const text = Array.from({ length: 20000 }, (_, i) => `SELECT $t${i}$;\nSELECT 1;\n`).join('');
  const t0 = performance.now();
  const segs = checked(text);
  assert.ok(segs.length >= 1);
  assert.ok(performance.now() - t0 < 2000, 'splitting took too long');
});

// How fast is splitter.bench's to print; here the count, with quotes, comments and `;` inside them.
test('10,000 statements with `;` in quotes and comments split into 10,000 segments', () => {
  const parts: string[] = [];
  for (let i = 0; i < 10000; i++) {
    parts.push(i % 3 === 0 ? `INSERT INTO ledger (id, memo) VALUES (${i}, 'it''s; ${i}') -- note ;\n` : `UPDATE accounts SET balance = balance - $1 WHERE id = ${i} /* ; */\n`);
  }
  const text = parts.join(';\n');
  const segs = splitSql(text);
  assert.equal(segs.length, 10000);
  assert.equal(segs[0].text.trimEnd(), "INSERT INTO ledger (id, memo) VALUES (0, 'it''s; 0') -- note ;");
});

test('on valid SQL the segments match PostgreSQL’s own statement boundaries (libpg-query)', async () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pg = require('libpg-query') as {
    loadModule(): Promise<void>;
    parseSync(sql: string): { stmts: { stmt_location?: number; stmt_len?: number }[] };
  };
  await pg.loadModule();
  const file = [
    "\ufeff-- 😀 migration; 'not a quote'\r\nCREATE TABLE \"a;b\" (id int, memo text DEFAULT 'it''s; 😀');",
    "INSERT INTO \"a;b\" VALUES (1, E'\\';'), (2, $$;$$), (3, $q$ $$ ; $q$) /* x /* ; */ */;",
    'CREATE OR REPLACE FUNCTION f(x int) RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT CASE WHEN x > 0 THEN 1 END;\n  SELECT 2;\nEND;',
    'CREATE FUNCTION g() RETURNS trigger LANGUAGE plpgsql AS $fn$\nBEGIN\n  RETURN NEW; -- $$\nEND;\n$fn$;',
    'CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); DELETE FROM b);',
    'PREPARE p AS SELECT $1::int + ( SELECT 1 );',
    'BEGIN; UPDATE accounts SET balance = balance - 10 WHERE id = 1; COMMIT',
  ].join('\n');
  const segs = checked(file);
  // PostgreSQL rejects a BOM; psql strips it before sending.
  const stmts = pg.parseSync(file.replace('\ufeff', ' ')).stmts;
  assert.equal(segs.length, stmts.length);
  for (const seg of segs) assert.equal(pg.parseSync(seg.text).stmts.length, 1, seg.text);
});
