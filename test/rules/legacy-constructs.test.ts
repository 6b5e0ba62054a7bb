import rule from '../../server/src/rules/legacy-constructs';
import { ruleTester } from '../lib/rule-tester';

ruleTester(rule, {
  valid: [
    { name: 'declarative partitioning: PARTITION OF lists its parent too', code: "CREATE TABLE payments_2025 PARTITION OF payments FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');" },
    { name: 'a trigger instead of a rule', code: 'CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger_entries FOR EACH ROW EXECUTE FUNCTION forbid_mutation();' },
    { name: 'LIKE copies columns, no inheritance', code: 'CREATE TABLE payments_archive (LIKE payments INCLUDING ALL);' },
    { name: 'the words in comments and strings', code: "-- CREATE RULE r AS ON UPDATE TO t DO INSTEAD NOTHING\nSELECT 'INHERITS (payments)' AS note;" },
    { name: 'NO INHERIT on a CHECK and DROP RULE', code: 'ALTER TABLE payments ADD CONSTRAINT amount_positive CHECK (amount > 0) NO INHERIT;\nDROP RULE IF EXISTS old_rule ON payments;' },
  ],
  invalid: [
    {
      name: 'DO INSTEAD NOTHING: silent success, first line',
      code: 'CREATE RULE ledger_no_update AS\n  ON UPDATE TO ledger_entries DO INSTEAD NOTHING;',
      errors: [{ messageId: 'rule', line: 1, column: 1, endLine: 1, endColumn: 32, includes: ['ledger_no_update', 'UPDATE on ledger_entries', 'report success with 0 rows', 'COPY ignores rules'] }],
      output: null,
    },
    {
      name: 'a rule with actions does not claim DO INSTEAD NOTHING',
      code: 'CREATE RULE log_insert AS ON INSERT TO payments DO ALSO INSERT INTO payment_log VALUES (NEW.id);',
      errors: [{ messageId: 'rule', line: 1, column: 1, includes: ['INSERT on payments', 'trigger'] }],
    },
    {
      name: 'INHERITS: the clause, several parents, schema-qualified',
      code: "CREATE TABLE payments_2025 (\n  CHECK (created_at >= '2025-01-01')\n) INHERITS (public.payments, audit_base);",
      errors: [{ messageId: 'inherits', line: 3, column: 3, endLine: 3, endColumn: 41, includes: ['payments_2025 inherits from public.payments, audit_base', 'declarative partitioning'] }],
    },
    {
      name: 'ALTER TABLE ... INHERIT: the subcommand',
      code: 'ALTER TABLE refunds_2024 ADD COLUMN note text, INHERIT refunds;',
      errors: [{ messageId: 'inherits', line: 1, column: 48, endColumn: 63, includes: 'refunds_2024 inherits from refunds' }],
    },
    {
      name: 'emoji before the statement keeps columns right',
      code: '-- 💸\nCREATE TABLE c () INHERITS (p);',
      errors: [{ messageId: 'inherits', line: 2, column: 19, endColumn: 31 }],
    },
  ],
});
