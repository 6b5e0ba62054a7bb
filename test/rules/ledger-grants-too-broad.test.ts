import rule from '../../server/src/rules/ledger-grants-too-broad';
import { ruleTester } from '../lib/rule-tester';

ruleTester(rule, {
  valid: [
    'GRANT SELECT, INSERT ON ledger_entries TO app;',
    'GRANT ALL ON ledger_entries TO ledger_owner;',
    'GRANT ALL PRIVILEGES ON journal TO migrator;',
    'GRANT UPDATE ON accounts TO app;',
    'GRANT ALL ON users TO app;',
    'GRANT SELECT ON ALL TABLES IN SCHEMA public TO readonly;',
    'REVOKE ALL ON ledger_entries FROM PUBLIC;',
    'GRANT USAGE ON SEQUENCE ledger_entries_id_seq TO app;',
    'GRANT ALL ON ledger_entries TO CURRENT_USER;',
  ],
  invalid: [
    {
      code: 'GRANT ALL ON ledger_entries TO app;',
      errors: [{ messageId: 'ledger', line: 1, column: 7, endColumn: 10, includes: ['ledger_entries', 'app', 'SELECT, INSERT'] }],
      output: 'GRANT SELECT, INSERT ON ledger_entries TO app;',
    },
    {
      name: 'column-level UPDATE and DELETE to PUBLIC',
      code: 'GRANT SELECT, UPDATE (status), DELETE ON public.postings TO PUBLIC;',
      errors: [{ messageId: 'ledger', column: 7, endColumn: 38, includes: ['public.postings', 'PUBLIC'] }],
      output: 'GRANT SELECT, INSERT ON public.postings TO PUBLIC;',
    },
    {
      name: 'financial table: DELETE is the problem, UPDATE is kept',
      code: 'GRANT SELECT, INSERT, UPDATE, DELETE ON payments, customers TO app_rw;',
      errors: [{ messageId: 'financial', includes: ['payments', 'app_rw'] }],
      output: 'GRANT SELECT, INSERT, UPDATE ON payments, customers TO app_rw;',
    },
    {
      name: 'ON ALL TABLES: no mechanical fix',
      code: 'GRANT SELECT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO app_rw;',
      errors: [{ messageId: 'allTables', column: 7, endColumn: 29, includes: ['SCHEMA public', 'app_rw'] }],
      output: null,
    },
    {
      name: 'TRUNCATE on the journal, multi-line',
      code: 'GRANT\n  TRUNCATE\nON journal TO app, PUBLIC;',
      errors: [{ messageId: 'ledger', line: 2, column: 3, endColumn: 11, includes: 'app, PUBLIC' }],
      output: 'GRANT\n  SELECT, INSERT\nON journal TO app, PUBLIC;',
    },
    {
      name: 'inside a DO block',
      code: "DO $$\nBEGIN\n  IF true THEN\n    GRANT ALL ON ledger_entries TO app;\n  END IF;\nEND $$;",
      errors: [{ messageId: 'ledger', line: 4, column: 11, endColumn: 14 }],
      output: "DO $$\nBEGIN\n  IF true THEN\n    GRANT SELECT, INSERT ON ledger_entries TO app;\n  END IF;\nEND $$;",
    },
  ],
});
