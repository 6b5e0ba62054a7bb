import rule from '../../server/src/rules/ledger-mutation';
import { ruleTester } from '../lib/rule-tester';

const fn = (body: string) => `CREATE OR REPLACE FUNCTION post(p_id bigint) RETURNS void LANGUAGE plpgsql AS $$\nDECLARE r record;\nBEGIN\n${body}\nEND $$;`;

ruleTester(rule, {
  valid: [
    'INSERT INTO ledger_entries (account_id, amount) VALUES (1, 100);',
    'UPDATE accounts SET status = 1 WHERE id = 2;',
    'DELETE FROM sessions WHERE id = 1;',
    'INSERT INTO ledger_entries (id, amount) VALUES (1, 5) ON CONFLICT (id) DO NOTHING;',
    'SELECT * FROM journal_lines WHERE id = 1 FOR UPDATE;',
    { name: 'insert-only body', code: fn('  INSERT INTO postings (account_id, amount) VALUES (p_id, 1);') },
    { name: 'configured ledger list', code: 'UPDATE ledger_entries SET memo = 1 WHERE id = 1;', config: { vocabulary: { ledgerTables: ['postings'] } } as any },
  ],
  invalid: [
    {
      code: 'UPDATE ledger_entries SET amount = 90\nWHERE id = 42;',
      errors: [{ messageId: 'mutation', line: 1, column: 1, endLine: 1, endColumn: 38, includes: ['UPDATE on `ledger_entries`', 'reversing entry', 'looks like an append-only ledger'] }],
      output: null,
    },
    { code: 'DELETE FROM public.journal WHERE id = 1;', errors: [{ messageId: 'mutation', includes: 'DELETE on `public.journal`' }] },
    { code: 'TRUNCATE sessions, postings;', errors: [{ messageId: 'mutation', includes: 'TRUNCATE on `postings`' }] },
    {
      code: 'MERGE INTO ledger_entries l USING src s ON l.id = s.id\nWHEN MATCHED THEN UPDATE SET amount = s.amount\nWHEN NOT MATCHED THEN INSERT (id) VALUES (s.id);',
      errors: [{ messageId: 'mutation', line: 1, includes: 'MERGE ... UPDATE' }],
    },
    { code: 'INSERT INTO journal_entries (id, amount) VALUES (1, 5)\nON CONFLICT (id) DO UPDATE SET amount = excluded.amount;', errors: [{ messageId: 'mutation', includes: 'ON CONFLICT DO UPDATE' }] },
    {
      name: 'inside nested blocks and loops of a function body',
      code: fn('  FOR r IN SELECT id FROM accounts LOOP\n    IF r.id > 0 THEN\n      BEGIN\n        UPDATE ledger_entries\n           SET amount = 0 WHERE account_id = r.id;\n      EXCEPTION WHEN others THEN\n        DELETE FROM postings WHERE id = r.id;\n      END;\n    END IF;\n  END LOOP;'),
      errors: [
        { messageId: 'mutation', line: 7, column: 9, endLine: 8, endColumn: 50, includes: 'in function `post`' },
        { messageId: 'mutation', line: 10, column: 9, endLine: 10, endColumn: 45, includes: 'DELETE on `postings`' },
      ],
    },
    {
      name: 'DO block with a quoted-style body and TRUNCATE',
      code: "DO $body$\nBEGIN\n  TRUNCATE ledger;\nEND\n$body$;",
      errors: [{ messageId: 'mutation', line: 3, column: 3, endColumn: 18, includes: 'in a DO block' }],
    },
    {
      name: 'procedure with body as a plain string, language after it',
      code: "CREATE PROCEDURE purge() AS 'BEGIN DELETE FROM journal WHERE memo = ''x''; END' LANGUAGE plpgsql;",
      errors: [{ messageId: 'mutation', line: 1, column: 36, endColumn: 74, includes: 'procedure `purge`' }],
    },
  ],
});
