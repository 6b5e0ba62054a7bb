import rule from '../../server/src/rules/security-definer-unsafe';
import { ruleTester } from '../lib/rule-tester';

const SAFE = "CREATE FUNCTION app.credit(p_id bigint, p_amount numeric) RETURNS void\nLANGUAGE plpgsql SECURITY DEFINER SET search_path = ''\nAS $$ BEGIN UPDATE app.wallets SET balance = balance + p_amount WHERE id = p_id; END $$;";

ruleTester(rule, {
  valid: [
    SAFE + '\nREVOKE EXECUTE ON FUNCTION app.credit(bigint, numeric) FROM PUBLIC;',
    SAFE + '\nREVOKE ALL ON FUNCTION app.credit FROM public, app_user;',
    SAFE + '\nREVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA app FROM PUBLIC;',
    'ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;\n' + SAFE,
    'CREATE FUNCTION f() RETURNS int LANGUAGE sql SECURITY INVOKER AS $$ SELECT 1 $$;',
    'CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;',
  ],
  invalid: [
    {
      name: 'no search_path, no revoke: both fixes',
      code: 'CREATE FUNCTION app.credit(p_id bigint, p_amount numeric, OUT new_balance numeric)\nLANGUAGE plpgsql SECURITY DEFINER\nAS $$\nBEGIN\n  UPDATE app.wallets SET balance = balance + p_amount WHERE id = p_id RETURNING balance INTO new_balance;\nEND $$;\nSELECT 1;',
      errors: [
        { messageId: 'searchPath', line: 2, column: 18, endLine: 2, endColumn: 34, includes: ['`app.credit`', "SET search_path = ''"] },
        { messageId: 'revoke', line: 2, column: 18, endColumn: 34, includes: 'REVOKE EXECUTE ON FUNCTION app.credit(bigint, numeric) FROM PUBLIC' },
      ],
      output:
        "CREATE FUNCTION app.credit(p_id bigint, p_amount numeric, OUT new_balance numeric)\nLANGUAGE plpgsql SECURITY DEFINER\nSET search_path = ''\nAS $$\nBEGIN\n  UPDATE app.wallets SET balance = balance + p_amount WHERE id = p_id RETURNING balance INTO new_balance;\nEND $$;\nREVOKE EXECUTE ON FUNCTION app.credit(bigint, numeric) FROM PUBLIC;\nSELECT 1;",
    },
    {
      name: 'a REVOKE before the function does not count; procedure, AS on the same line, no final semicolon',
      code: "REVOKE EXECUTE ON PROCEDURE pay FROM PUBLIC;\nCREATE PROCEDURE pay(amount numeric) SECURITY DEFINER SET search_path = pg_catalog LANGUAGE sql AS $$ SELECT 1 $$",
      errors: [{ messageId: 'revoke', line: 2, column: 38, includes: 'REVOKE EXECUTE ON PROCEDURE pay(numeric) FROM PUBLIC' }],
      output: "REVOKE EXECUTE ON PROCEDURE pay FROM PUBLIC;\nCREATE PROCEDURE pay(amount numeric) SECURITY DEFINER SET search_path = pg_catalog LANGUAGE sql AS $$ SELECT 1 $$;\nREVOKE EXECUTE ON PROCEDURE pay(numeric) FROM PUBLIC;",
    },
    {
      name: 'revoked, but search_path missing; fix inserts before AS on the same line',
      code: 'CREATE FUNCTION f(t text) RETURNS int LANGUAGE sql SECURITY DEFINER AS $$ SELECT 1 $$;\nREVOKE EXECUTE ON FUNCTION f(text) FROM PUBLIC;',
      errors: [{ messageId: 'searchPath', line: 1, column: 52 }],
      output: "CREATE FUNCTION f(t text) RETURNS int LANGUAGE sql SECURITY DEFINER SET search_path = '' AS $$ SELECT 1 $$;\nREVOKE EXECUTE ON FUNCTION f(text) FROM PUBLIC;",
    },
  ],
});
