import rule from '../../server/src/rules/audit-trigger-missing';
import { ruleTester } from '../lib/rule-tester';

const WALLETS = 'CREATE TABLE wallets (id bigint PRIMARY KEY, balance numeric(19,4) NOT NULL);';
const AUDIT_FN =
  "CREATE FUNCTION audit() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  IF TG_OP = 'DELETE' THEN\n    INSERT INTO wallet_history (op, row_data) VALUES (TG_OP, to_jsonb(OLD));\n  ELSE\n    BEGIN\n      INSERT INTO wallet_history (op, row_data) VALUES (TG_OP, to_jsonb(NEW));\n    END;\n  END IF;\n  RETURN NULL;\nEND $$;";

ruleTester(rule, {
  valid: [
    { name: 'audited in the same file (insert nested in IF and a block)', code: [WALLETS, AUDIT_FN, 'CREATE TRIGGER w_audit AFTER INSERT OR UPDATE OR DELETE ON wallets FOR EACH ROW EXECUTE FUNCTION audit();'].join('\n') },
    {
      name: 'trigger from a later migration with a function from another file',
      path: 'migrations/0001_w.sql',
      code: WALLETS,
      files: [{ path: 'migrations/0002_audit.sql', code: 'CREATE TRIGGER w_audit AFTER INSERT OR UPDATE OR DELETE ON wallets FOR EACH ROW EXECUTE FUNCTION shared.audit_row();' }],
    },
    { name: 'ledgers keep their own history', code: 'CREATE TABLE ledger_entries (id bigint PRIMARY KEY, amount_minor bigint);' },
    { name: 'the audit table itself', code: 'CREATE TABLE account_audit_log (id bigint PRIMARY KEY, row_data jsonb);' },
    { name: 'not money', code: 'CREATE TABLE users (id bigint PRIMARY KEY, email text);' },
    { name: 'temporary', code: 'CREATE TEMP TABLE wallet_scratch (id bigint);' },
  ],
  invalid: [
    {
      code: WALLETS,
      errors: [{ messageId: 'missing', line: 1, column: 14, endColumn: 21, severity: 'info', includes: ['wallets', 'INSERT, UPDATE or DELETE', 'clock_timestamp()'] }],
      output:
        WALLETS +
        "\nCREATE TABLE IF NOT EXISTS audit_log (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, table_name text NOT NULL, op text NOT NULL, old_row jsonb, new_row jsonb, actor text NOT NULL DEFAULT current_user, at timestamptz NOT NULL DEFAULT clock_timestamp());\nCREATE OR REPLACE FUNCTION audit_row_change() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  INSERT INTO audit_log (table_name, op, old_row, new_row)\n  VALUES (TG_TABLE_NAME, TG_OP, CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END, CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END);\n  RETURN NULL;\nEND $$;\nCREATE TRIGGER wallets_audit AFTER INSERT OR UPDATE OR DELETE ON wallets FOR EACH ROW EXECUTE FUNCTION audit_row_change();",
    },
    {
      name: 'fee schedule audited on UPDATE only',
      code: ['CREATE TABLE fee_schedules (id bigint PRIMARY KEY, fee_bps integer NOT NULL);', AUDIT_FN, 'CREATE TRIGGER f_audit AFTER UPDATE ON fee_schedules FOR EACH ROW EXECUTE FUNCTION audit();'].join('\n'),
      errors: [{ messageId: 'missing', includes: ['fee_schedules', 'INSERT or DELETE'] }],
    },
    {
      name: 'a trigger whose function (in this file) writes no audit table',
      code: [WALLETS, "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  FOR i IN 1..1 LOOP\n    NEW.updated_at := now();\n  END LOOP;\n  RETURN NEW;\nEND $$;", 'CREATE TRIGGER w_touch BEFORE INSERT OR UPDATE OR DELETE ON wallets FOR EACH ROW EXECUTE FUNCTION touch();'].join('\n'),
      errors: [{ messageId: 'missing', includes: 'INSERT, UPDATE or DELETE' }],
    },
    {
      name: 'statement-level trigger cannot see the rows',
      code: [WALLETS, AUDIT_FN, 'CREATE TRIGGER w_audit AFTER INSERT OR UPDATE OR DELETE ON wallets FOR EACH STATEMENT EXECUTE FUNCTION audit();'].join('\n'),
      errors: [{ messageId: 'missing' }],
    },
  ],
});
