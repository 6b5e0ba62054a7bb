// sql/pg-glue.ts against libpg-query's own wrappers: the same module entry points, so every answer
// (trees, tokens, PL/pgSQL trees) and every error (message, cursor, details) must be the same.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as lib from 'libpg-query';
import { generateMigration, generateSqlFile } from '../../bench/lib/generate';
import { loadPgGlue, type PgApi } from '../../server/src/sql/pg-glue';
import { fullSplit } from '../../server/src/sql/incremental-split';
import { RULES } from '../../server/src/rules';

function outcome(f: () => unknown): unknown {
  try {
    return { ok: f() };
  } catch (err) {
    const e = err as Error & { sqlDetails?: unknown };
    return { error: e.message, details: e.sqlDetails };
  }
}

/** Statements as the CLI hands them to the parser: generated migrations and files, and every rule's examples. */
function corpus(): string[] {
  const texts = [generateSqlFile(1000), ...Array.from({ length: 100 }, (_, i) => generateMigration(i))];
  for (const rule of RULES) for (const ex of [...rule.meta.examples.incorrect, ...rule.meta.examples.correct]) if (ex.language !== 'typescript') texts.push(ex.code);
  const out: string[] = [];
  for (const t of texts) for (const s of fullSplit(t).segments) if (s.kind === 'statement') out.push(s.text);
  return out;
}

const ODD = [
  'SELEC 1;',
  'SELECT * FROM t WHERE;',
  "SELECT 'unterminated",
  'CREATE TABLE ( );',
  'SELECT 1; SELECT 2;',
  "SELECT '💸 café 日本' AS note, \"naïve\" FROM \"Ünïcode\";",
  "SELECT '\uD800 lone surrogate';",
  "SELECT 'a\uDC00b' FROM t WHERE x = '\uD83D';",
  '-- only a comment',
  ' ',
  `SELECT ${Array.from({ length: 20000 }, (_, i) => `col_${i}`).join(', ')} FROM wide;`,
  `INSERT INTO t VALUES ${Array.from({ length: 5000 }, (_, i) => `(${i}, 'x${i}')`).join(', ')};`,
  'SELECT $1, $2::int FROM t WHERE a = ANY($3);',
  'CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$;',
];

const PLPGSQL = [
  'CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$;',
  "CREATE FUNCTION g(a int) RETURNS void LANGUAGE plpgsql AS $$ DECLARE x int; BEGIN SELECT 1 INTO x; UPDATE t SET v = a; IF x > 0 THEN RAISE NOTICE 'hi 💸'; END IF; END $$;",
  'CREATE FUNCTION h() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN ; END IF; $$;',
  'CREATE FUNCTION k() RETURNS int LANGUAGE plpgsql AS $$ BEGIN broken syntax here END $$;',
  'SELECT 1;',
];

describe('sql/pg-glue.ts answers as libpg-query does', () => {
  let glue: PgApi;
  before(async () => {
    await lib.loadModule();
    glue = await loadPgGlue();
  });

  it('parses every statement of the corpus and the odd inputs to the same trees and errors', () => {
    const statements = [...corpus(), ...ODD];
    assert.ok(statements.length > 1000, `corpus of ${statements.length}`);
    let errors = 0;
    for (const s of statements) {
      const want = outcome(() => lib.parseSync(s));
      if ('error' in (want as object)) errors++;
      assert.deepEqual(outcome(() => glue.parseSync(s)), want, s.slice(0, 200));
    }
    // The corpus does exercise the error path, with PostgreSQL's details.
    assert.ok(errors >= 4, `${errors} errors`);
  });

  it('scans to the same tokens', () => {
    for (const s of [...corpus().slice(0, 300), ...ODD]) assert.deepEqual(outcome(() => glue.scanSync(s)), outcome(() => lib.scanSync(s)), s.slice(0, 200));
  });

  it('parses PL/pgSQL bodies to the same trees and errors', () => {
    for (const s of PLPGSQL) assert.deepEqual(outcome(() => glue.parsePlPgSQLSync(s)), outcome(() => lib.parsePlPgSQLSync(s)), s);
  });

  it('rejects what the package rejects before parsing', () => {
    assert.deepEqual(outcome(() => glue.parseSync('')), outcome(() => lib.parseSync('')));
    assert.deepEqual(outcome(() => glue.parseSync(undefined as unknown as string)), outcome(() => lib.parseSync(undefined as unknown as string)));
  });
});
