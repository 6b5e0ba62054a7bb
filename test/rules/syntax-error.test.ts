import rule from '../../server/src/rules/syntax-error';
import { ruleTester } from '../lib/rule-tester';

ruleTester(rule, {
  valid: [
    'CREATE TABLE payments (id bigint PRIMARY KEY)',
    "SELECT 'it''s' AS s, E'\\'' AS e, $fn$ ; $fn$ AS body",
    '-- only a comment',
    '',
  ],
  invalid: [
    {
      name: 'an error at the end of the input stays inside the text',
      code: 'CREATE TABLE n',
      errors: [{ messageId: 'syntax', line: 1, column: 14, endColumn: 15, includes: 'end of input' }],
    },
    {
      name: 'an error at the end of a statement is on its last character, whatever follows it',
      code: 'UPDATE accounts SET balance = $1 WHERE id =;\nSELECT 1;',
      errors: [{ messageId: 'syntax', line: 1, column: 43, endColumn: 44, includes: 'end of input' }],
    },
    {
      name: 'at the character where the parser stopped',
      code: 'CREATE TABLE payments (id bigint, amount numeric(19,4),);',
      errors: [{ messageId: 'syntax', line: 1, column: 56, includes: 'syntax error at or near ")"' }],
      output: null,
    },
    {
      name: 'emoji and CRLF before the error count as the editor counts',
      code: "SELECT '💸💸' AS a;\r\nSELECT 1 FROM WHERE x;",
      errors: [{ messageId: 'syntax', line: 2, column: 15, endColumn: 20 }],
    },
    {
      name: 'one bad statement does not hide the next',
      code: 'SELEC 1;\nSELECT 2;\nSELECT FROM FROM;',
      errors: [
        { messageId: 'syntax', line: 1, column: 1 },
        { messageId: 'syntax', line: 3, column: 13 },
      ],
    },
    {
      name: 'unterminated string while typing: reported at the quote, later statements still parsed',
      code: "INSERT INTO notes VALUES ('oops);\nSELECT 1;\nSELEC 2;",
      errors: [
        { messageId: 'unterminated', line: 1, column: 27, includes: 'string' },
        { messageId: 'syntax', line: 3, column: 1 },
      ],
    },
  ],
});
