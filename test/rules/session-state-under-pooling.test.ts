import rule from '../../server/src/rules/session-state-under-pooling';
import { ruleTester } from '../lib/rule-tester';

const app = { migration: false, role: 'plain' as const };

ruleTester(rule, {
  valid: [
    { code: "BEGIN;\nSET LOCAL app.tenant_id = '42';\nSELECT set_config('app.user_id', '7', true);\nCOMMIT;", fileInfo: app },
    { code: 'SET TRANSACTION ISOLATION LEVEL SERIALIZABLE;\nRESET app.tenant_id;', fileInfo: app },
    { code: 'CREATE TEMP TABLE batch (id bigint) ON COMMIT DROP;', fileInfo: app },
    { name: 'migrations run on a direct connection', code: "SET lock_timeout = '3s';\nSET statement_timeout = 0;" },
    { name: 'a DO block in a migration runs once', code: 'DO $$\nBEGIN\n  CREATE TEMP TABLE scratch (id bigint);\nEND $$;' },
  ],
  invalid: [
    {
      code: "SET app.tenant_id = '42';\nSELECT * FROM payments;",
      fileInfo: app,
      errors: [{ messageId: 'sessionState', line: 1, column: 1, endColumn: 25, includes: ['SET app.tenant_id (without LOCAL)', 'SET LOCAL app.tenant_id'] }],
      output: "SET LOCAL app.tenant_id = '42';\nSELECT * FROM payments;",
    },
    {
      code: "SET ROLE payments_admin;\nLISTEN payouts;\nPREPARE q AS SELECT 1;\nCREATE TEMP TABLE t AS SELECT 1 AS x;\nSELECT set_config('app.tenant_id', '42', false);",
      fileInfo: app,
      errors: [
        { messageId: 'sessionState', line: 1, includes: 'SET role' },
        { messageId: 'sessionState', line: 2, includes: 'LISTEN payouts' },
        { messageId: 'sessionState', line: 3, includes: 'PREPARE q' },
        { messageId: 'sessionState', line: 4, includes: 'CREATE TEMP TABLE t' },
        { messageId: 'sessionState', line: 5, column: 8, endColumn: 48, includes: 'set_config(..., false)' },
      ],
    },
    {
      name: 'inside a function body (even in a migration), in a loop',
      code: "CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$\nDECLARE i int;\nBEGIN\n  FOR i IN 1..2 LOOP\n    CREATE TEMP TABLE scratch (id bigint);\n    SET search_path = app;\n  END LOOP;\nEND $$;",
      errors: [
        { messageId: 'sessionState', line: 5, column: 5, endColumn: 42, includes: ['CREATE TEMP TABLE scratch', 'in function `f`'] },
        { messageId: 'sessionState', line: 6, column: 5, endColumn: 26 },
      ],
      output: "CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$\nDECLARE i int;\nBEGIN\n  FOR i IN 1..2 LOOP\n    CREATE TEMP TABLE scratch (id bigint);\n    SET LOCAL search_path = app;\n  END LOOP;\nEND $$;",
    },
  ],
});
