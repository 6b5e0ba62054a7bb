import rule from '../../server/src/rules/transaction-nesting-uncommitted';
import { ruleTester } from '../lib/rule-tester';

ruleTester(rule, {
  valid: [
    'BEGIN;\nALTER TABLE payments ADD COLUMN note text;\nCOMMIT;',
    'START TRANSACTION;\nSAVEPOINT a;\nRELEASE SAVEPOINT a;\nROLLBACK;\nBEGIN;\nEND;',
    { name: 'runner-wrapped file without transaction control', code: 'ALTER TABLE payments ADD COLUMN note text;', fileInfo: { runnerWrapsTransaction: true } },
    'ALTER TABLE payments ADD COLUMN note text',
  ],
  invalid: [
    {
      name: 'BEGIN never committed',
      code: 'ALTER TABLE a ADD COLUMN b int;\nBEGIN;\nALTER TABLE payments ADD COLUMN note text;',
      errors: [{ messageId: 'uncommitted', line: 2, column: 1, endColumn: 6, severity: 'error' }],
      output: null,
    },
    {
      name: 'nested BEGIN names the outer one',
      code: 'BEGIN;\nUPDATE a SET b = 1 WHERE id = 1;\nBEGIN;\nUPDATE a SET b = 2 WHERE id = 2;\nCOMMIT;\nCOMMIT;',
      errors: [{ messageId: 'nested', line: 3, includes: 'since line 1' }],
    },
    {
      name: 'runner-wrapped: BEGIN and COMMIT',
      code: 'BEGIN;\nALTER TABLE payments ADD COLUMN note text;\nCOMMIT;',
      fileInfo: { runnerWrapsTransaction: true },
      errors: [
        { messageId: 'nested', line: 1, includes: 'runner already opened' },
        { messageId: 'commitInWrapped', line: 3, includes: ['COMMIT inside', 'drizzle-kit'] },
      ],
    },
  ],
});
