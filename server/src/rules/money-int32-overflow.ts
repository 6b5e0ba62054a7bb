import { defineRule } from '../engine/rule';
import type { Span } from '../engine/types';
import type { TypeRef } from '../model/schema';
import { moneyWord, wordsOf } from '../engine/vocabulary';
import { INT32_OR_SMALLER } from '../sql/type-name';
import { sameShape, typeUseVisitors } from './lib/type-uses';

const LIMITS: Record<string, { max: string; note: string }> = {
  int2: { max: '32,767', note: 'about USD 327 in cents' },
  serial2: { max: '32,767', note: 'about USD 327 in cents' },
  int4: { max: '2,147,483,647', note: 'about USD 21.4M in cents' },
  serial4: { max: '2,147,483,647', note: 'about USD 21.4M in cents' },
};

/** bigint for plain integers, bigserial for serials (the column keeps its sequence default). */
function widened(type: TypeRef): string {
  return sameShape(type.name.startsWith('serial') ? 'bigserial' : 'bigint', type, false);
}

function unitsOf(column: string): string {
  const last = wordsOf(column).at(-1);
  return last === 'minor' || last === 'cents' ? 'minor units (the name says so)' : 'units';
}

export default defineRule({
  meta: {
    id: 'money-int32-overflow',
    category: 'money',
    severity: 'warning',
    description: 'A money column (`amount_minor`, `total_cents`, ...) typed `integer`, `smallint` or `serial`, which overflow at realistic amounts.',
    rationale:
      '`integer` caps at 2,147,483,647: in minor units that is about USD 21.4M in cents, a limit that a merchant balance, a monthly volume or a single JPY/KRW/IDR payment reaches (IDR 21.4 billion is about USD 1.3M). Past it every INSERT or UPDATE fails with "integer out of range" and payouts stop; `smallint` stops at 32,767. `bigint` costs four more bytes and holds 9.2 quintillion minor units.',
    messages: {
      column:
        '{{table}}.{{column}} is {{type}}, but `{{column}}` looks like a money column in {{units}}: {{type}} caps at {{max}} ({{note}}), after which writes fail with "integer out of range". Use {{fix}}.',
    },
    fix: 'quickfix',
    languages: ['sql', 'typescript'],
    examples: {
      incorrect: [{ code: 'CREATE TABLE payouts (id bigint PRIMARY KEY, amount_minor integer NOT NULL);' }],
      correct: [{ code: 'CREATE TABLE payouts (id bigint PRIMARY KEY, amount_minor bigint NOT NULL, retry_count integer NOT NULL);' }],
    },
  },
  scope: 'statement',
  create(context) {
    const check = (table: string, column: string, type: TypeRef, span: Span, typeSpan: Span, replacement: string | undefined) => {
      if (!INT32_OR_SMALLER.has(type.name) || !moneyWord(column, context.vocabulary)) return;
      const fix = widened(type);
      context.report({
        messageId: 'column',
        span,
        data: { table, column, type: type.written || type.name, units: unitsOf(column), fix, ...LIMITS[type.name] },
        fixes: replacement ? [{ title: `Change ${table}.${column} to ${fix}`, edits: [{ ...typeSpan, newText: replacement }], preferred: true }] : undefined,
      });
    };
    const { ColumnDef } = typeUseVisitors(context, (use) => {
      if (use.kind === 'alter-column' && use.table && use.name) check(use.table, use.name, use.type, use.span, use.typeSpan, widened(use.type));
    });
    return {
      column(decl) {
        check(decl.table, decl.name, decl.type, decl.span, decl.typeSpan, decl.retype(widened(decl.type)));
      },
      ColumnDef,
    };
  },
});
