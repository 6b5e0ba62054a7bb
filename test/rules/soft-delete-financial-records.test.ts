import rule from '../../server/src/rules/soft-delete-financial-records';
import { ruleTester } from '../lib/rule-tester';

const PAYMENTS = { path: 'migrations/0001_payments.sql', code: 'CREATE TABLE payments (id bigint PRIMARY KEY, amount_minor bigint NOT NULL, deleted_at timestamptz);' };

ruleTester(rule, {
  valid: [
    'UPDATE payments SET deleted_at = now() WHERE id = $1;',
    'DELETE FROM sessions WHERE expires_at < now();',
    { name: 'ledgers are ledger-mutation\'s', code: 'DELETE FROM ledger_entries WHERE id = 1;' },
    { name: 'down migration', fileInfo: { role: 'down' }, code: 'DELETE FROM payment_methods WHERE code = \'sepa\';' },
    { name: 'unique index scoped to live rows', code: 'CREATE TABLE merchants (id bigint PRIMARY KEY, slug text NOT NULL, deleted_at timestamptz);\nCREATE UNIQUE INDEX merchants_slug ON merchants (slug) WHERE deleted_at IS NULL;' },
    { name: 'no soft-delete column: uniques are fine', code: 'CREATE TABLE merchants (id bigint PRIMARY KEY, slug text UNIQUE);' },
  ],
  invalid: [
    {
      code: 'DELETE FROM payments WHERE id = $1;',
      errors: [{ messageId: 'hardDelete', line: 1, column: 1, endColumn: 35, includes: ['payments', 'deleted_at = now()'] }],
      output: null,
    },
    {
      name: 'fix when the workspace table has deleted_at',
      files: [PAYMENTS],
      path: 'queries/cancel.sql',
      code: 'DELETE FROM payments p WHERE p.id = $1 RETURNING p.id;',
      errors: [{ messageId: 'hardDelete' }],
      output: 'UPDATE payments p SET deleted_at = now() WHERE p.id = $1 RETURNING p.id;',
    },
    {
      name: 'inside a function body, in a loop inside an exception block',
      files: [PAYMENTS],
      path: 'queries/purge.sql',
      code: 'CREATE FUNCTION purge(p_ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$\nDECLARE i bigint;\nBEGIN\n  FOREACH i IN ARRAY p_ids LOOP\n    BEGIN\n      DELETE FROM public.payments WHERE id = i;\n    EXCEPTION WHEN others THEN NULL;\n    END;\n  END LOOP;\nEND $$;',
      errors: [{ messageId: 'hardDelete', line: 6, column: 7, includes: 'function `purge`' }],
      output: 'CREATE FUNCTION purge(p_ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$\nDECLARE i bigint;\nBEGIN\n  FOREACH i IN ARRAY p_ids LOOP\n    BEGIN\n      UPDATE public.payments SET deleted_at = now() WHERE id = i;\n    EXCEPTION WHEN others THEN NULL;\n    END;\n  END LOOP;\nEND $$;',
    },
    {
      name: 'USING join: no mechanical fix',
      files: [PAYMENTS],
      path: 'queries/x.sql',
      code: 'DELETE FROM payments USING customers c WHERE c.id = payments.customer_id AND c.banned;',
      errors: [{ messageId: 'hardDelete' }],
      output: null,
    },
    {
      name: 'UNIQUE that ignores deleted_at',
      code: 'CREATE TABLE merchants (\n  id bigint PRIMARY KEY,\n  slug text NOT NULL,\n  deleted_at timestamptz,\n  UNIQUE (slug)\n);\nCREATE UNIQUE INDEX merchants_email ON merchants (email);',
      errors: [
        { messageId: 'uniqueIgnoresSoftDelete', line: 5, column: 3, severity: 'info', includes: ['UNIQUE (slug)', 'merchants', 'WHERE deleted_at IS NULL'] },
        { messageId: 'uniqueIgnoresSoftDelete', line: 7, column: 1, includes: 'UNIQUE (email)' },
      ],
    },
  ],
});
