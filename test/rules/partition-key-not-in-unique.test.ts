import rule from '../../server/src/rules/partition-key-not-in-unique';
import { ruleTester } from '../lib/rule-tester';

const ledger = 'CREATE TABLE ledger_entries (id bigint NOT NULL, account_id bigint, created_at timestamptz NOT NULL) PARTITION BY RANGE (created_at);\n';

ruleTester(rule, {
  valid: [
    'CREATE TABLE ledger_entries (id bigint, created_at timestamptz, PRIMARY KEY (id, created_at)) PARTITION BY RANGE (created_at)',
    'CREATE TABLE payments (id bigint PRIMARY KEY, created_at timestamptz)',
    ledger + 'ALTER TABLE ledger_entries ADD CONSTRAINT ledger_pk PRIMARY KEY (id, created_at);',
    ledger + 'CREATE UNIQUE INDEX ledger_ref ON ledger_entries (account_id, created_at);',
    ledger + 'CREATE INDEX ledger_account ON ledger_entries (account_id);',
  ],
  invalid: [
    {
      name: 'column PRIMARY KEY in the CREATE, anchored on the keywords',
      code: 'CREATE TABLE ledger_entries (\n  id bigint PRIMARY KEY,\n  created_at timestamptz NOT NULL\n) PARTITION BY RANGE (created_at);',
      errors: [{ messageId: 'missing', line: 2, column: 13, endColumn: 24, severity: 'error', includes: ['PRIMARY KEY (id)', 'ledger_entries', 'partition key (created_at)', 'PRIMARY KEY (id, created_at)'] }],
      output: null,
    },
    {
      name: 'table UNIQUE, later ADD PRIMARY KEY and CREATE UNIQUE INDEX',
      code: ledger + 'ALTER TABLE ledger_entries ADD CONSTRAINT ledger_pk PRIMARY KEY (id);\nCREATE UNIQUE INDEX ledger_ref ON ledger_entries (account_id);',
      errors: [
        { messageId: 'missing', line: 2, column: 53, includes: 'PRIMARY KEY (id)' },
        { messageId: 'missing', line: 3, column: 8, includes: ['UNIQUE INDEX (account_id)', 'UNIQUE INDEX (account_id, created_at)'] },
      ],
    },
    {
      name: 'expression partition key',
      code: 'CREATE TABLE events (id bigint, kind text, UNIQUE (id, kind)) PARTITION BY LIST ((lower(kind)));',
      errors: [{ messageId: 'expression', column: 44, includes: 'events' }],
    },
  ],
});
