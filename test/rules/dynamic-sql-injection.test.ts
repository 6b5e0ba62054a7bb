import rule from '../../server/src/rules/dynamic-sql-injection';
import { ruleTester } from '../lib/rule-tester';

const fn = (body: string, decl = '') =>
  `CREATE FUNCTION run(tbl text, p_filter text, p_id bigint) RETURNS void LANGUAGE plpgsql AS $$\nDECLARE r record;${decl}\nBEGIN\n${body}\nEND $$;`;

ruleTester(rule, {
  valid: [
    fn("  EXECUTE format('SELECT * FROM %I', tbl);"),
    fn("  EXECUTE format('UPDATE wallets SET frozen = true WHERE owner = %L', p_filter);"),
    fn("  EXECUTE 'UPDATE wallets SET frozen = true WHERE owner = $1' USING p_filter;"),
    fn("  EXECUTE 'SELECT * FROM ' || quote_ident(tbl) || ' WHERE note = ' || quote_literal(p_filter);"),
    fn("  EXECUTE 'DELETE FROM ' || 'holds' || ' WHERE id = ' || p_id;"),
    fn("  EXECUTE format('SELECT %s FROM t', 42);"),
    fn('  EXECUTE p_filter;'),
    { name: 'no body analysis outside PL/pgSQL', code: "SELECT 'SELECT * FROM ' || tbl FROM t;" },
    { name: 'sql-language function', code: "CREATE FUNCTION s(tbl text) RETURNS text LANGUAGE sql AS $$ SELECT 'x' || tbl $$;" },
  ],
  invalid: [
    {
      code: fn("  EXECUTE 'DELETE FROM ' || tbl\n    || ' WHERE id = ' || p_id;"),
      errors: [{ messageId: 'unquoted', line: 4, column: 3, endLine: 5, endColumn: 30, includes: ['`tbl`', 'function `run`', 'with ||'] }],
      output: null,
    },
    {
      code: fn("  EXECUTE format('UPDATE wallets SET frozen = true WHERE owner = ''%s''', p_filter) INTO r USING p_id;"),
      errors: [{ messageId: 'unquoted', line: 4, column: 3, includes: ["format('%s')", '`p_filter`'] }],
    },
    {
      name: 'positional %s argument; %I argument stays safe',
      code: fn("  EXECUTE format('SELECT * FROM %1$I WHERE note = %2$s', tbl, p_filter);"),
      errors: [{ messageId: 'unquoted', includes: '`p_filter`' }],
    },
    {
      name: 'inside a loop, an IF branch and an exception block; RETURN QUERY EXECUTE and FOR ... IN EXECUTE',
      code: `CREATE FUNCTION rows_of(tbl text) RETURNS SETOF record LANGUAGE plpgsql AS $$
DECLARE r record;
BEGIN
  FOR r IN EXECUTE 'SELECT * FROM ' || tbl LOOP
    IF r IS NOT NULL THEN
      BEGIN
        RETURN QUERY EXECUTE concat('SELECT * FROM ', tbl, '_archive');
      EXCEPTION WHEN others THEN
        NULL;
      END;
    END IF;
  END LOOP;
END $$;`,
      errors: [
        { messageId: 'unquoted', line: 4, column: 12, endColumn: 43 },
        { messageId: 'unquoted', line: 7, column: 22, endColumn: 71 },
      ],
    },
    {
      name: 'DO block, text variable',
      code: "DO $$\nDECLARE t text := 'payments';\nBEGIN\n  EXECUTE 'TRUNCATE ' || t;\nEND $$;",
      errors: [{ messageId: 'unquoted', line: 4, column: 3, endColumn: 27, includes: 'in a DO block' }],
    },
  ],
});
