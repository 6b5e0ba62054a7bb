import rule from '../../server/src/rules/rls-missing-on-tenant-table';
import { ruleTester } from '../lib/rule-tester';

ruleTester(rule, {
  valid: [
    'CREATE TABLE users (id bigint PRIMARY KEY, email text);',
    'CREATE TABLE notes (id bigint PRIMARY KEY, org_id bigint);\nALTER TABLE notes ENABLE ROW LEVEL SECURITY;',
    {
      name: 'RLS enabled and forced by a later migration',
      files: [{ path: 'migrations/0002_rls.sql', code: 'ALTER TABLE payments ENABLE ROW LEVEL SECURITY;\nALTER TABLE payments FORCE ROW LEVEL SECURITY;' }],
      path: 'migrations/0001_payments.sql',
      code: 'CREATE TABLE payments (id bigint PRIMARY KEY, merchant_id bigint NOT NULL);',
    },
    {
      name: 'a table of another migration is reported there',
      files: [{ path: 'migrations/0001_payments.sql', code: 'CREATE TABLE payments (id bigint PRIMARY KEY, merchant_id bigint NOT NULL);' }],
      code: 'SELECT * FROM payments WHERE merchant_id = $1;',
    },
  ],
  invalid: [
    {
      code: 'CREATE TABLE payments (\n  id bigint PRIMARY KEY,\n  merchant_id bigint NOT NULL\n);\nSELECT 1;',
      errors: [{ messageId: 'disabled', line: 1, column: 14, endColumn: 22, includes: ['payments has a tenant column (merchant_id)', 'other tenants'] }],
      output:
        "CREATE TABLE payments (\n  id bigint PRIMARY KEY,\n  merchant_id bigint NOT NULL\n);\nALTER TABLE payments ENABLE ROW LEVEL SECURITY;\nALTER TABLE payments FORCE ROW LEVEL SECURITY;\nCREATE POLICY payments_tenant_isolation ON payments USING (merchant_id = (select current_setting('app.tenant_id')::bigint)) WITH CHECK (merchant_id = (select current_setting('app.tenant_id')::bigint));\nSELECT 1;",
    },
    {
      name: 'financial table: enabled but not forced',
      code: "CREATE TABLE wallet_transactions (id bigint PRIMARY KEY, tenant_id uuid NOT NULL)\n;ALTER TABLE wallet_transactions ENABLE ROW LEVEL SECURITY;\nCREATE POLICY p ON wallet_transactions USING (tenant_id = (select current_setting('app.tenant_id')::uuid));",
      errors: [{ messageId: 'notForced', line: 1, column: 14, includes: 'bypasses every policy' }],
      output:
        "CREATE TABLE wallet_transactions (id bigint PRIMARY KEY, tenant_id uuid NOT NULL)\n;\nALTER TABLE wallet_transactions FORCE ROW LEVEL SECURITY;ALTER TABLE wallet_transactions ENABLE ROW LEVEL SECURITY;\nCREATE POLICY p ON wallet_transactions USING (tenant_id = (select current_setting('app.tenant_id')::uuid));",
    },
    {
      name: 'tenant column added to a table of an earlier migration: reported at the column',
      files: [{ path: 'migrations/0001_invoices.sql', code: 'CREATE TABLE invoices (id bigint PRIMARY KEY);' }],
      code: 'ALTER TABLE invoices ADD COLUMN organization_id bigint;',
      errors: [{ messageId: 'disabled', column: 33, includes: 'invoices has a tenant column (organization_id)' }],
    },
  ],
});
