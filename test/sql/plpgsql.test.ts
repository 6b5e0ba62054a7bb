import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { resolveConfig } from '../../server/src/engine/config';
import { lintSqlFile } from '../../server/src/engine/linter';
import { parseSqlFile, StatementCache } from '../../server/src/sql/document';
import { initParser } from '../../server/src/sql/parser';
import { plpgsqlBody } from '../../server/src/sql/plpgsql';
import syntaxError from '../../server/src/rules/syntax-error';
import unboundedUpdateDelete from '../../server/src/rules/unbounded-update-delete';

const slice = (text: string, s: { start: number; end: number }) => text.slice(s.start, s.end);

const DEBIT = `CREATE OR REPLACE FUNCTION debit(p_id bigint, p_amt numeric) RETURNS numeric
LANGUAGE plpgsql SECURITY DEFINER AS $fn$
DECLARE
  v numeric; -- solde é 💶
  r record;
BEGIN
  SELECT balance
    INTO STRICT v
    FROM wallets WHERE id = p_id;
  v := v - p_amt;
  UPDATE wallets SET balance = v WHERE id = p_id;
  PERFORM pg_notify('debit', p_id::text);
  FOR r IN SELECT * FROM ledger_entries WHERE wallet_id = p_id LOOP
    IF r.amount > 0 THEN
      DELETE FROM ledger_entries WHERE id = r.id;
    END IF;
  END LOOP;
  BEGIN
    UPDATE audit SET n = n + 1 WHERE id = 1 RETURNING n INTO v;
  EXCEPTION WHEN others THEN
    DELETE FROM audit;
  END;
  EXECUTE format('SELECT %s FROM t', col) INTO v USING p_id;
  RETURN v;
END $fn$;`;

describe('PL/pgSQL front-end', () => {
  before(() => initParser());

  it('maps every embedded statement to its exact text in the file, through multi-byte characters', () => {
    const text = 'SELECT 1;\n' + DEBIT;
    const file = parseSqlFile('a.sql', text);
    assert.deepEqual(
      file.embedded.map((s) => slice(text, s.span())),
      [
        'SELECT balance\n    INTO STRICT v\n    FROM wallets WHERE id = p_id',
        'UPDATE wallets SET balance = v WHERE id = p_id',
        "PERFORM pg_notify('debit', p_id::text)",
        'SELECT * FROM ledger_entries WHERE wallet_id = p_id',
        'DELETE FROM ledger_entries WHERE id = r.id',
        'UPDATE audit SET n = n + 1 WHERE id = 1 RETURNING n INTO v',
        'DELETE FROM audit',
      ],
    );
    for (const s of file.embedded) {
      assert.equal(s.container?.kind, 'function');
      assert.equal(s.container?.name, 'debit');
      assert.equal(s.container?.securityDefiner, true);
      assert.equal(s.container?.ownerStatementIndex, 1);
      assert.ok(s.ast, 'embedded statements are parsed');
    }
    // AST locations (bytes in the INTO-less query text) land on the same words in the file.
    const select = file.embedded[0];
    const from = (select.ast as any).SelectStmt.fromClause[0].RangeVar;
    assert.equal(text.slice(select.at(from.location), select.at(from.location) + 'wallets'.length), 'wallets');
    assert.deepEqual(select.container?.into, ['v']);
    assert.equal(select.tokens().map((t) => t.text).join(' '), 'SELECT balance FROM wallets WHERE id = p_id');
    const del = file.embedded[4];
    assert.deepEqual(del.container?.frames.map((f) => f.kind), ['loop', 'if']);
    assert.deepEqual(file.embedded[6].container?.frames.map((f) => f.kind), ['handler']);
    assert.deepEqual(file.embedded[5].container?.frames.map((f) => f.kind), ['protected']);
    assert.equal(slice(text, file.embedded[4].firstLine()), 'DELETE FROM ledger_entries WHERE id = r.id');
  });

  it('gives flow rules the ordered steps with assignments and EXECUTE arguments', () => {
    const file = parseSqlFile('a.sql', DEBIT);
    const body = plpgsqlBody(file.statements[0])!;
    assert.deepEqual(body.steps.map((s) => s.kind), ['sql', 'assign', 'sql', 'sql', 'sql', 'sql', 'sql', 'sql', 'execute', 'return']);
    assert.deepEqual(body.steps[1].assign, { variable: 'v', expr: 'v - p_amt' });
    const exec = body.steps[8];
    assert.equal(exec.query, "format('SELECT %s FROM t', col)");
    assert.deepEqual(exec.using, ['p_id']);
    assert.deepEqual(exec.into, ['v']);
    assert.equal(slice(DEBIT, exec.span!), "EXECUTE format('SELECT %s FROM t', col) INTO v USING p_id");
    assert.equal(slice(DEBIT, exec.exprSpan!), "format('SELECT %s FROM t', col)");
    assert.deepEqual(body.argTypes, ['bigint', 'numeric']);
    assert.equal(body.setsSearchPath, false);
  });

  it('handles quoted bodies, language after the body, procedures and DO blocks', () => {
    const text = [
      "CREATE PROCEDURE p() AS 'BEGIN UPDATE t SET a = ''x'' WHERE b = ''y''; COMMIT; END' LANGUAGE plpgsql;",
      'DO LANGUAGE plpgsql $$ BEGIN DELETE FROM t WHERE id = 1; DELETE FROM t WHERE id = 1; END $$;',
      "CREATE FUNCTION s() RETURNS int LANGUAGE sql AS $$ DELETE FROM t RETURNING 1 $$;",
    ].join('\n');
    const file = parseSqlFile('a.sql', text);
    assert.deepEqual(file.embedded.map((s) => [s.container?.kind, slice(text, s.span())]), [
      ['procedure', "UPDATE t SET a = ''x'' WHERE b = ''y''"],
      ['do', 'DELETE FROM t WHERE id = 1'],
      ['do', 'DELETE FROM t WHERE id = 1'],
    ]);
    // Two identical statements on one line map to two different places.
    assert.notEqual(file.embedded[1].span().start, file.embedded[2].span().start);
    const upd = file.embedded[0];
    const where = (upd.ast as any).UpdateStmt.whereClause.A_Expr.rexpr.A_Const;
    assert.equal(text.slice(upd.at(where.location), upd.at(where.location) + 5), "''y''");
  });

  it('reports a body that fails to parse once, at the offending word, and keeps linting the rest', () => {
    const text = 'DELETE FROM payments;\nCREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$\nBEGIN\n  UPDATE t SET a = 1 WHERE id = 2;\n  SELEC 1;\nEND $$;\nDELETE FROM refunds;';
    const file = parseSqlFile('a.sql', text);
    const { findings } = lintSqlFile({ file, config: resolveConfig(undefined), rules: [syntaxError, unboundedUpdateDelete] });
    assert.deepEqual(findings.map((f) => [f.ruleId, slice(text, f.span)]), [
      ['unbounded-update-delete', 'DELETE FROM payments'],
      ['syntax-error', 'SELEC'],
      ['unbounded-update-delete', 'DELETE FROM refunds'],
    ]);
    assert.match(findings[1].message, /syntax error at or near "SELEC"/);
  });

  it('places PL/pgSQL-level errors (unknown variable, missing END) inside the body', () => {
    const text = 'CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$\nBEGIN\n  OPEN cur FOR SELECT 1;\nEND $$;';
    const file = parseSqlFile('a.sql', text);
    const { findings } = lintSqlFile({ file, config: resolveConfig(undefined), rules: [syntaxError] });
    assert.equal(findings.length, 1);
    assert.equal(slice(text, findings[0].span), 'cur');
    const missing = 'DO $$\nBEGIN\n  UPDATE t SET a = 1 WHERE id = 2;\n$$;';
    const f2 = lintSqlFile({ file: parseSqlFile('b.sql', missing), config: resolveConfig(undefined), rules: [syntaxError] }).findings;
    assert.equal(f2.length, 1);
    assert.match(f2[0].message, /end of input/);
    assert.equal(missing.slice(f2[0].span.start, f2[0].span.start + 2), '$$');
  });

  it('statement rules report inside bodies, and cached findings follow the function when it moves', () => {
    const fn = 'CREATE FUNCTION purge() RETURNS void LANGUAGE plpgsql AS $$\nBEGIN\n  DELETE FROM payments;\nEND $$;';
    const cache = new StatementCache();
    const config = resolveConfig(undefined);
    const run = (text: string) => {
      const { findings } = lintSqlFile({ file: parseSqlFile('a.sql', text, cache), config, rules: [unboundedUpdateDelete] });
      return findings.map((f) => slice(text, f.span));
    };
    assert.deepEqual(run(fn), ['DELETE FROM payments']);
    const moved = 'SELECT 1;\n\n-- moved down\n' + fn;
    assert.deepEqual(run(moved), ['DELETE FROM payments']);
  });

  it('never throws on junk around bodies', () => {
    for (const junk of ['DO $$ $$;', "DO 'BEGIN';", 'CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ $$;', 'CREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END $$ LANGUAGE plpgsql', "DO E'BEGIN NULL; END';"]) {
      const file = parseSqlFile('j.sql', junk);
      lintSqlFile({ file, config: resolveConfig(undefined), rules: [syntaxError, unboundedUpdateDelete] });
    }
  });
});
