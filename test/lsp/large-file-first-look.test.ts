// The first look at a big file just opened splits only its opening statements, not the whole file:
// the cut must fall where a split of the whole file puts it, also when a dollar-quoted body, a block
// comment or a string holding `;` runs across FIRST_LOOK_CHARS, and the whole file is split first only
// when it may be over budget (its notice goes with the look). Also the TypeScript compiler's stand-in
// (lsp/lazy-exports.ts), which the server runs with instead of loading the compiler as it starts.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver';
import { resolveConfig } from '../../server/src/engine/config';
import { lintSqlFile } from '../../server/src/engine/linter';
import { toDiagnostic } from '../../server/src/lsp/diagnostics';
import { lazyExports } from '../../server/src/lsp/lazy-exports';
import { FIRST_LOOK_CHARS, firstLook, type LargeFileLimits } from '../../server/src/lsp/lint-scheduler';
import { RULES } from '../../server/src/rules';
import { clearPrewarmed, parseSqlFile, StatementCache } from '../../server/src/sql/document';
import { initParser } from '../../server/src/sql/parser';
import { splitSql } from '../../server/src/sql/splitter';

const project = { config: resolveConfig(), rules: RULES };
const WIDE: LargeFileLimits = { maxStatements: 1e6, maxFileSize: 1e8 };
const FLOAT = (i: number) => `CREATE TABLE t_${i} (id bigint PRIMARY KEY, amount double precision NOT NULL)`;

/** Statements up to just before `at` characters, then `across` (which starts before `at` and ends after it), then more. */
function fileWith(across: string, at = FIRST_LOOK_CHARS, after = 400): string {
  const parts: string[] = [];
  let length = 0;
  for (let i = 0; length + FLOAT(i).length + 2 < at - across.length / 2; i++) {
    parts.push(FLOAT(i));
    length += FLOAT(i).length + 2;
  }
  parts.push(across);
  for (let i = 0; i < after; i++) parts.push(FLOAT(10_000 + i));
  return parts.join(';\n') + ';\n';
}

/** What the first look must publish: statement rules on the text before the first statement a whole-file split starts at FIRST_LOOK_CHARS or later. */
function expected(text: string): Diagnostic[] {
  const next = splitSql(text).find((s) => s.kind === 'statement' && s.start >= FIRST_LOOK_CHARS)!;
  const file = parseSqlFile('/first-look.sql', text.slice(0, next.start), new StatementCache());
  const output = lintSqlFile({ file, config: project.config, rules: RULES.filter((r) => r.scope === 'statement') });
  return output.findings.map((f) => toDiagnostic(file.lines, f));
}

const comparable = (d: Diagnostic) => JSON.stringify({ range: d.range, code: d.code, message: d.message });

describe('first look at a big file', () => {
  before(() => initParser());
  after(() => clearPrewarmed());

  const semicolons = ';'.repeat(40);
  const cases: Array<[string, string]> = [
    ['a function body with `;` across the cut', `CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $body$ BEGIN ${'PERFORM 1; '.repeat(150)}END $body$`],
    ['a block comment with `;` across the cut', `/* ${'note; '.repeat(200)} */ SELECT 1`],
    ['a string with `;` across the cut', `INSERT INTO notes (body) VALUES ('${'a;b '.repeat(400)}')`],
    ['an unterminated-looking quote inside a comment', `-- it's ${semicolons}\nSELECT 2`],
  ];
  for (const [name, across] of cases) {
    it(`cuts where a whole-file split does: ${name}`, () => {
      const text = fileWith(across);
      const look = firstLook('/first-look.sql', text, WIDE, project);
      assert.equal(look.plan, undefined, 'a file within budget was split whole before the first look');
      const want = expected(text);
      assert.ok(want.length > 50, 'the case has no findings to compare');
      assert.deepEqual(look.diagnostics!.map(comparable), want.map(comparable));
      clearPrewarmed();
    });
  }

  it('cuts at a statement starting exactly at FIRST_LOOK_CHARS', () => {
    const head = FLOAT(0) + ';\n';
    const text = head + '-'.repeat(FIRST_LOOK_CHARS - head.length - 1) + '\n' + Array.from({ length: 300 }, (_, i) => FLOAT(i + 1)).join(';\n') + ';\n';
    assert.equal(splitSql(text).find((s) => s.kind === 'statement' && s.start >= FIRST_LOOK_CHARS)?.start, FIRST_LOOK_CHARS);
    const look = firstLook('/first-look.sql', text, WIDE, project);
    assert.deepEqual(look.diagnostics!.map(comparable), expected(text).map(comparable));
    assert.ok(look.diagnostics!.every((d) => d.range.start.line === 0), 'the first look reached past its cut');
    clearPrewarmed();
  });

  it('gives no first look to a file not much longer than it', () => {
    const text = Array.from({ length: 20 }, (_, i) => FLOAT(i)).join(';\n') + ';\n' + `/* ${' '.repeat(FIRST_LOOK_CHARS)} */`;
    assert.deepEqual(firstLook('/first-look.sql', text, WIDE, project), { plan: undefined });
  });

  it('a file of exactly maxStatements statements is within budget: not split whole before the look', () => {
    const count = 600;
    const text = Array.from({ length: count }, (_, i) => FLOAT(i)).join(';\n') + ';\n\n';
    const within = firstLook('/first-look.sql', text, { maxStatements: count, maxFileSize: 1e8 }, project);
    assert.equal(within.plan, undefined);
    assert.ok(within.diagnostics!.length > 0 && !within.diagnostics!.some((d) => d.code === 'large-file'));
    clearPrewarmed();
    const over = firstLook('/first-look.sql', text, { maxStatements: count - 1, maxFileSize: 1e8 }, project);
    assert.equal(over.plan?.skipped?.checked, count - 1);
    assert.equal(over.diagnostics![0].code, 'large-file', 'the notice of the skipped part comes with the first look');
    assert.deepEqual(over.diagnostics!.slice(1).map(comparable), within.diagnostics!.map(comparable));
    clearPrewarmed();
  });
});

describe('lazyExports', () => {
  it('loads the module on first use only, once, and then reads, writes and `in` tests reach it', () => {
    let loads = 0;
    const real: Record<string, unknown> = { kind: 7, twice: (x: number) => 2 * x };
    const stub = lazyExports(() => (loads++, real));
    assert.equal(loads, 0, 'loaded before use');
    assert.equal(stub.kind, 7);
    assert.equal(loads, 1);
    assert.equal((stub.twice as (x: number) => number)(4), 8);
    assert.equal('twice' in stub, true);
    assert.equal(stub.missing, undefined);
    real.added = 'later';
    assert.equal(stub.added, 'later', 'the stand-in copied the module instead of reaching it');
    assert.equal(loads, 1);
  });

  it('loads on an `in` test or a write as well', () => {
    let loads = 0;
    const a = lazyExports(() => (loads++, { x: 1 }));
    assert.equal('x' in a, true);
    const real: Record<string, unknown> = {};
    const b = lazyExports(() => (loads++, real));
    b.y = 2;
    assert.equal(real.y, 2);
    assert.equal(loads, 2);
  });
});
