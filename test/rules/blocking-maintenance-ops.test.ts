import rule from '../../server/src/rules/blocking-maintenance-ops';
import { ruleTester } from '../lib/rule-tester';

ruleTester(rule, {
  valid: [
    'DROP INDEX CONCURRENTLY IF EXISTS payments_old_idx',
    'REINDEX INDEX CONCURRENTLY payments_old_idx',
    'REFRESH MATERIALIZED VIEW CONCURRENTLY daily_balances',
    'VACUUM ANALYZE payments',
    'ALTER TABLE payments DETACH PARTITION payments_2019 CONCURRENTLY',
    { name: 'index of a table created in the file', code: 'CREATE TABLE scratch (id int);\nCREATE INDEX scratch_id_idx ON scratch (id);\nDROP INDEX scratch_id_idx;\nVACUUM FULL scratch;' },
  ],
  invalid: [
    {
      name: 'each blocking operation',
      code: [
        'DROP INDEX payments_old_idx;',
        'REINDEX TABLE payments;',
        'REFRESH MATERIALIZED VIEW daily_balances;',
        'VACUUM (FULL, ANALYZE) ledger_entries;',
        'CLUSTER payments USING payments_pkey;',
        'ALTER TABLE payments DETACH PARTITION payments_2019;',
      ].join('\n'),
      errors: [
        { messageId: 'blocking', line: 1, column: 1, endColumn: 28, includes: ['DROP INDEX payments_old_idx', 'CONCURRENTLY'] },
        { messageId: 'blocking', line: 2, includes: ['REINDEX payments', 'CONCURRENTLY'] },
        { messageId: 'blocking', line: 3, includes: 'REFRESH MATERIALIZED VIEW daily_balances' },
        { messageId: 'blocking', line: 4, includes: ['VACUUM FULL ledger_entries', 'pg_repack'] },
        { messageId: 'blocking', line: 5, includes: 'CLUSTER payments' },
        { messageId: 'blocking', line: 6, includes: 'DETACH PARTITION payments_2019 from payments' },
      ],
      output: null,
    },
  ],
});
