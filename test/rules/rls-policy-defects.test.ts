import rule from '../../server/src/rules/rls-policy-defects';
import { ruleTester } from '../lib/rule-tester';

const table = 'CREATE TABLE payments (id bigint PRIMARY KEY, merchant_id bigint NOT NULL);\nALTER TABLE payments ENABLE ROW LEVEL SECURITY;';
const tenant = "merchant_id = (select current_setting('app.tenant_id')::bigint)";

ruleTester(rule, {
  valid: [
    `${table}\nCREATE POLICY tenant ON payments USING (${tenant}) WITH CHECK (${tenant});`,
    { name: 'USING (true) for reads only', code: `${table}\nCREATE POLICY read_all ON payments FOR SELECT USING (true);` },
    { name: 'restrictive true', code: `${table}\nCREATE POLICY r ON payments AS RESTRICTIVE FOR DELETE USING (true);` },
    {
      name: 'RLS enabled by a later migration',
      files: [{ path: 'migrations/0003_rls.sql', code: 'ALTER TABLE refunds ENABLE ROW LEVEL SECURITY;' }],
      path: 'migrations/0002_policy.sql',
      code: `CREATE POLICY tenant ON refunds FOR SELECT USING (${tenant});`,
    },
  ],
  invalid: [
    {
      name: 'write policy USING (true)',
      code: `${table}\nCREATE POLICY open ON payments FOR DELETE USING (true);`,
      errors: [{ messageId: 'permissive', line: 3, column: 50, endColumn: 54, severity: 'error', includes: ['open on payments allows DELETE with USING (true)', 'delete every row'] }],
    },
    {
      name: 'policy on a table without RLS; ALL without WITH CHECK; unwrapped current_setting with a fix',
      files: [{ path: 'migrations/0001_refunds.sql', code: 'CREATE TABLE refunds (id bigint PRIMARY KEY, merchant_id bigint);' }],
      code: "CREATE POLICY tenant ON refunds USING (merchant_id = current_setting('app.tenant_id')::bigint);",
      errors: [
        { messageId: 'rlsOff', line: 1, column: 1, severity: 'error', includes: 'no migration enables row level security on refunds' },
        { messageId: 'noWithCheck', line: 1, column: 1, includes: 'tenant on refunds (ALL)' },
        { messageId: 'unwrapped', column: 54, endColumn: 86, includes: 'current_setting() in policy tenant' },
      ],
      output: "CREATE POLICY tenant ON refunds USING (merchant_id = (select current_setting('app.tenant_id'))::bigint);",
    },
    {
      name: 'RLS enabled and no policy anywhere',
      code: table,
      errors: [{ messageId: 'noPolicy', line: 1, column: 14, severity: 'info', includes: 'payments has row level security enabled but no policy' }],
    },
    {
      name: 'auth.uid() in WITH CHECK of an INSERT policy',
      code: `${table}\nCREATE POLICY ins ON payments FOR INSERT WITH CHECK (merchant_id = auth.uid());`,
      errors: [{ messageId: 'unwrapped', line: 3, includes: 'auth.uid()' }],
      output: `${table}\nCREATE POLICY ins ON payments FOR INSERT WITH CHECK (merchant_id = (select auth.uid()));`,
    },
  ],
});
