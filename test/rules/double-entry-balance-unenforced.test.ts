import rule from '../../server/src/rules/double-entry-balance-unenforced';
import { ruleTester } from '../lib/rule-tester';

const TABLE = 'CREATE TABLE ledger_postings (id bigint PRIMARY KEY, journal_id bigint NOT NULL, account_id bigint NOT NULL, amount_minor bigint NOT NULL);';
const CHECK = "CREATE FUNCTION check_balanced() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  RAISE EXCEPTION 'x';\nEND $$;";

ruleTester(rule, {
  valid: [
    { name: 'deferred constraint trigger in the same file', code: [TABLE, CHECK, 'CREATE CONSTRAINT TRIGGER bal AFTER INSERT OR UPDATE ON ledger_postings DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION check_balanced();'].join('\n') },
    {
      name: 'trigger in a later migration',
      path: 'migrations/0001_l.sql',
      code: TABLE,
      files: [{ path: 'migrations/0002_t.sql', code: [CHECK, 'CREATE CONSTRAINT TRIGGER bal AFTER INSERT ON ledger_postings DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION check_balanced();'].join('\n') }],
    },
    { name: 'no journal key: single-entry ledger', code: 'CREATE TABLE ledger_entries (id bigint PRIMARY KEY, account_id bigint NOT NULL, amount_minor bigint NOT NULL);' },
    { name: 'not a ledger', code: 'CREATE TABLE payments (id bigint PRIMARY KEY, transaction_id bigint, amount numeric);' },
    { name: 'reported where the table is created only', files: [{ path: 'migrations/0001_l.sql', code: TABLE }], code: 'INSERT INTO ledger_postings VALUES (1, 1, 1, 5);' },
  ],
  invalid: [
    {
      code: TABLE,
      errors: [{ messageId: 'unenforced', line: 1, column: 14, endColumn: 29, includes: ['ledger_postings', '`journal_id`', '`amount_minor`', 'DEFERRABLE INITIALLY DEFERRED'] }],
      output:
        TABLE +
        "\nCREATE OR REPLACE FUNCTION ledger_postings_check_balanced() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  IF EXISTS (SELECT 1 FROM ledger_postings WHERE journal_id = NEW.journal_id HAVING sum(amount_minor) <> 0) THEN\n    RAISE EXCEPTION 'journal % of ledger_postings does not balance', NEW.journal_id;\n  END IF;\n  RETURN NULL;\nEND $$;\nCREATE CONSTRAINT TRIGGER ledger_postings_balanced AFTER INSERT OR UPDATE ON ledger_postings DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_postings_check_balanced();",
    },
    {
      name: 'debit/credit columns and a currency: sums per currency',
      code: 'CREATE TABLE journal_lines (id bigint PRIMARY KEY, transaction_id bigint NOT NULL, currency text NOT NULL, debit numeric(19,4) NOT NULL DEFAULT 0, credit numeric(19,4) NOT NULL DEFAULT 0)',
      errors: [{ messageId: 'unenforced', includes: ['`transaction_id`', 'debit/credit'] }],
      output:
        'CREATE TABLE journal_lines (id bigint PRIMARY KEY, transaction_id bigint NOT NULL, currency text NOT NULL, debit numeric(19,4) NOT NULL DEFAULT 0, credit numeric(19,4) NOT NULL DEFAULT 0)' +
        ";\nCREATE OR REPLACE FUNCTION journal_lines_check_balanced() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  IF EXISTS (SELECT 1 FROM journal_lines WHERE transaction_id = NEW.transaction_id GROUP BY currency HAVING sum(debit) - sum(credit) <> 0) THEN\n    RAISE EXCEPTION 'journal % of journal_lines does not balance', NEW.transaction_id;\n  END IF;\n  RETURN NULL;\nEND $$;\nCREATE CONSTRAINT TRIGGER journal_lines_balanced AFTER INSERT OR UPDATE ON journal_lines DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION journal_lines_check_balanced();",
    },
    {
      name: 'a plain (not deferred) AFTER trigger checks too early',
      code: [TABLE, CHECK, 'CREATE TRIGGER bal AFTER INSERT ON ledger_postings FOR EACH ROW EXECUTE FUNCTION check_balanced();'].join('\n'),
      errors: [{ messageId: 'unenforced' }],
    },
  ],
});
