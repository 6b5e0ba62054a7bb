import { defineRule } from '../engine/rule';
import { financialWord, moneyWord } from '../engine/vocabulary';
import { FLOAT_TYPES, canonicalTypeName } from '../sql/type-name';
import { columnRefName, nodeSpan } from './lib/ast';

export default defineRule({
  meta: {
    id: 'money-float-type',
    category: 'money',
    severity: 'error',
    description: 'Money stored or computed as a binary floating-point number.',
    rationale:
      '`real` and `double precision` store binary fractions: 0.1 + 0.2 is 0.30000000000000004, and sums over many rows drift by cents that no reconciliation will ever find again. Store money as `numeric(19,4)` or as `bigint` minor units next to a currency code.',
    messages: {
      column:
        '{{table}}.{{column}} stores money as {{type}}{{why}}: binary floating point cannot represent 0.10 exactly, so totals and balances drift by fractions of a cent. Use numeric(19,4), or bigint minor units with a currency column.',
      cast: 'Casting {{column}} to {{type}} turns an exact amount into a binary approximation; rounding errors reach totals and comparisons. Keep it numeric (or cast to numeric(19,4)).',
    },
    fix: 'quickfix',
    languages: ['sql', 'typescript'],
    examples: {
      incorrect: [{ code: 'CREATE TABLE payments (id bigint PRIMARY KEY, amount double precision NOT NULL);' }],
      correct: [{ code: 'CREATE TABLE payments (id bigint PRIMARY KEY, amount numeric(19,4) NOT NULL);' }],
    },
  },
  scope: 'statement',
  create(context) {
    return {
      column(decl) {
        if (!FLOAT_TYPES.has(decl.type.name)) return;
        const word = moneyWord(decl.name, context.vocabulary);
        const tableWord = financialWord(decl.table, context.vocabulary);
        if (!word && !tableWord) return;
        const why = word ? ` (\`${decl.name}\` looks like a money column)` : ` (\`${decl.table}\` looks like a financial table)`;
        const replacement = decl.retype('numeric(19,4)');
        context.report({
          messageId: 'column',
          span: decl.span,
          data: { table: decl.table, column: decl.name, type: decl.type.written || decl.type.name, why },
          fixes: replacement ? [{ title: `Change ${decl.table}.${decl.name} to numeric(19,4)`, edits: [{ ...decl.typeSpan, newText: replacement }], preferred: true }] : undefined,
        });
      },
      TypeCast(ref, stmt) {
        const name = canonicalTypeName(String(ref.node.typeName?.names?.at(-1)?.String?.sval ?? ''));
        if (!FLOAT_TYPES.has(name)) return;
        const column = columnRefName(ref.node.arg);
        if (!column || !moneyWord(column, context.vocabulary)) return;
        context.report({ messageId: 'cast', span: nodeSpan(stmt, ref.node), data: { column, type: name === 'float4' ? 'real' : 'double precision' } });
      },
    };
  },
});
