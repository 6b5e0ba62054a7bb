import rule from '../../server/src/rules/ledger-append-only-not-enforced';
import { ruleTester } from '../lib/rule-tester';

const TABLE = 'CREATE TABLE ledger_entries (id bigint PRIMARY KEY, amount_minor bigint NOT NULL);';
const RAISES = "CREATE FUNCTION forbid() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  IF TG_OP <> 'INSERT' THEN\n    RAISE EXCEPTION 'append-only';\n  END IF;\n  RETURN NEW;\nEND $$;";
const ROW_TRIGGER = 'CREATE TRIGGER le_guard BEFORE UPDATE OR DELETE ON ledger_entries FOR EACH ROW EXECUTE FUNCTION forbid();';
const TRUNCATE_TRIGGER = 'CREATE TRIGGER le_trunc BEFORE TRUNCATE ON ledger_entries FOR EACH STATEMENT EXECUTE FUNCTION forbid();';
const FIX_ALL =
  "\nCREATE OR REPLACE FUNCTION forbid_ledger_mutation() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  RAISE EXCEPTION '% on % is not allowed: the ledger is append-only, post a reversing entry', TG_OP, TG_TABLE_NAME;\nEND $$;\n" +
  'CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries FOR EACH ROW EXECUTE FUNCTION forbid_ledger_mutation();\n' +
  'CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON ledger_entries FOR EACH STATEMENT EXECUTE FUNCTION forbid_ledger_mutation();';

ruleTester(rule, {
  valid: [
    { name: 'raising row trigger and truncate trigger in the same file', code: [TABLE, RAISES, ROW_TRIGGER, TRUNCATE_TRIGGER].join('\n') },
    { name: 'row trigger plus REVOKE TRUNCATE', code: [TABLE, RAISES, ROW_TRIGGER, 'REVOKE TRUNCATE ON ledger_entries FROM PUBLIC;'].join('\n') },
    { name: 'REVOKE ALL', code: [TABLE, 'REVOKE ALL ON ledger_entries FROM app_rw;'].join('\n') },
    { name: 'not a ledger table', code: 'CREATE TABLE customers (id bigint PRIMARY KEY, name text);' },
    { name: 'temporary ledger scratch table', code: 'CREATE TEMP TABLE ledger_scratch (id bigint);' },
    {
      name: 'guards added by a later migration count',
      path: 'migrations/0001_ledger.sql',
      code: TABLE,
      files: [{ path: 'migrations/0002_guard.sql', code: [RAISES, ROW_TRIGGER, TRUNCATE_TRIGGER].join('\n') }],
    },
    {
      name: 'a trigger function declared in another file is trusted',
      path: 'migrations/0002_ledger.sql',
      code: [TABLE, ROW_TRIGGER, TRUNCATE_TRIGGER].join('\n'),
      files: [{ path: 'migrations/0001_fn.sql', code: RAISES }],
    },
    {
      name: 'a ledger created in another migration is reported there, not here',
      files: [{ path: 'migrations/0001_ledger.sql', code: TABLE }],
      code: 'INSERT INTO ledger_entries (id, amount_minor) VALUES (1, 100);',
    },
  ],
  invalid: [
    {
      name: 'nothing guards the ledger',
      code: TABLE,
      errors: [{ messageId: 'notEnforced', line: 1, column: 14, endColumn: 28, includes: ['ledger_entries', 'UPDATE, DELETE or TRUNCATE'] }],
      output: TABLE + FIX_ALL,
    },
    {
      name: 'row trigger only: TRUNCATE bypasses it',
      code: [TABLE, RAISES, ROW_TRIGGER].join('\n'),
      errors: [{ messageId: 'truncateOpen', line: 1, column: 14, includes: ['row triggers do not fire on TRUNCATE'] }],
      output:
        TABLE +
        "\nCREATE OR REPLACE FUNCTION forbid_ledger_mutation() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  RAISE EXCEPTION '% on % is not allowed: the ledger is append-only, post a reversing entry', TG_OP, TG_TABLE_NAME;\nEND $$;\n" +
        'CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON ledger_entries FOR EACH STATEMENT EXECUTE FUNCTION forbid_ledger_mutation();\n' +
        [RAISES, ROW_TRIGGER].join('\n'),
    },
    {
      name: 'the trigger function in this file never raises (it only logs)',
      code: [
        TABLE,
        "CREATE FUNCTION log_change() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  FOR i IN 1..1 LOOP\n    BEGIN\n      RAISE NOTICE 'changed';\n    END;\n  END LOOP;\n  RETURN NEW;\nEND $$;",
        'CREATE TRIGGER le_log BEFORE UPDATE OR DELETE OR TRUNCATE ON ledger_entries FOR EACH STATEMENT EXECUTE FUNCTION log_change();',
      ].join('\n'),
      errors: [{ messageId: 'notEnforced', includes: 'UPDATE, DELETE or TRUNCATE' }],
    },
    {
      name: 'a raise nested in a block inside a loop counts; only DELETE is still open',
      code: [
        'CREATE TABLE journal (id bigint PRIMARY KEY, amount numeric(19,4) NOT NULL);',
        "CREATE FUNCTION no_upd() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  FOR i IN 1..1 LOOP\n    BEGIN\n      RAISE EXCEPTION 'no';\n    END;\n  END LOOP;\nEND $$;",
        'CREATE TRIGGER j_upd BEFORE UPDATE ON journal FOR EACH ROW EXECUTE FUNCTION no_upd();',
        'REVOKE TRUNCATE ON journal FROM PUBLIC;',
      ].join('\n'),
      errors: [{ messageId: 'notEnforced', column: 14, endColumn: 21, includes: ['journal', 'stops DELETE on it'] }],
    },
    {
      name: 'an AFTER trigger cannot stop the change in time to matter here',
      code: [TABLE, RAISES, 'CREATE TRIGGER le_after AFTER UPDATE OR DELETE ON ledger_entries FOR EACH ROW EXECUTE FUNCTION forbid();', TRUNCATE_TRIGGER].join('\n'),
      errors: [{ messageId: 'notEnforced', includes: 'UPDATE or DELETE' }],
    },
    {
      name: 'a later GRANT gives back what a REVOKE took',
      code: [TABLE, 'REVOKE ALL ON ledger_entries FROM PUBLIC;', 'GRANT DELETE ON ledger_entries TO app;'].join('\n'),
      errors: [{ messageId: 'notEnforced', includes: 'stops DELETE' }],
    },
    {
      name: 'workspace: the guard migration was rolled back by a later one dropping the trigger',
      path: 'migrations/0001_ledger.sql',
      code: TABLE,
      files: [
        { path: 'migrations/0002_guard.sql', code: [RAISES, ROW_TRIGGER, TRUNCATE_TRIGGER].join('\n') },
        { path: 'migrations/0003_drop.sql', code: 'DROP TRIGGER le_trunc ON ledger_entries;' },
      ],
      errors: [{ messageId: 'truncateOpen', line: 1, column: 14 }],
    },
  ],
});
