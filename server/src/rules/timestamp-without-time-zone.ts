import { defineRule } from '../engine/rule';
import type { Span } from '../engine/types';
import type { TypeRef } from '../model/schema';
import { financialWord } from '../engine/vocabulary';
import { sameShape, typeUseVisitors } from './lib/type-uses';

const isTimestamp = (type: TypeRef) => type.name === 'timestamp';
/** timestamp(3)[] -> timestamptz(3)[]: precision and array part are kept. */
const withZone = (type: TypeRef) => sameShape('timestamptz', type);

export default defineRule({
  meta: {
    id: 'timestamp-without-time-zone',
    category: 'time',
    severity: 'warning',
    description: '`timestamp` (without time zone) used for a column, a cast, a domain or a function signature; an error on financial tables.',
    rationale:
      '`timestamp without time zone` stores wall-clock time and throws the offset away: verified on PostgreSQL, `+02` and `-06` inputs of the same clock time are stored as the same value, although they are 8 hours apart. On a financial table that moves payments across settlement cut-offs, statement periods and interest-accrual days, and the error changes with the server or session time zone. `timestamptz` stores the instant (in UTC) and costs the same 8 bytes.',
    messages: {
      column:
        "{{table}}.{{column}} is {{type}}: it drops the offset, so '10:00+02' and '10:00-06' are stored as the same value although they are 8 hours apart{{why}}. Use {{fix}}.",
      cast: "Casting to {{type}} drops the time zone: an offset in the input is ignored and a timestamptz becomes the session TimeZone's wall-clock time, so the same instant gives different values on different servers. Cast to timestamptz.",
      domain: 'Domain {{name}} is based on {{type}}, which drops the offset of every value (10:00+02 and 10:00-06 become equal); columns of this domain inherit that. Base it on {{fix}}.',
      signature: 'Function {{name}} takes or returns {{type}}, so callers passing timestamptz values get them converted with the session time zone and lose the instant. Use timestamptz (a changed signature is a new overload: drop the old function).',
    },
    fix: 'quickfix',
    languages: ['sql', 'typescript'],
    examples: {
      incorrect: [{ code: 'CREATE TABLE payments (id bigint PRIMARY KEY, captured_at timestamp NOT NULL);' }],
      correct: [{ code: 'CREATE TABLE payments (id bigint PRIMARY KEY, captured_at timestamptz NOT NULL);' }],
    },
  },
  scope: 'statement',
  create(context) {
    const column = (table: string, name: string, type: TypeRef, span: Span, typeSpan: Span, replacement: string | undefined) => {
      const tableWord = financialWord(table, context.vocabulary);
      const fix = withZone(type);
      context.report({
        messageId: 'column',
        span,
        severity: tableWord ? 'error' : undefined,
        data: { table, column: name, type: type.written || 'timestamp', fix, why: tableWord ? ` (\`${table}\` looks like a financial table: cut-offs, statement periods and accrual days depend on the instant)` : '' },
        fixes: replacement ? [{ title: `Change ${table}.${name} to ${fix}`, edits: [{ ...typeSpan, newText: replacement }], preferred: true }] : undefined,
      });
    };
    return {
      column(decl) {
        if (isTimestamp(decl.type)) column(decl.table, decl.name, decl.type, decl.span, decl.typeSpan, decl.retype(withZone(decl.type)));
      },
      ...typeUseVisitors(context, (use) => {
        if (!isTimestamp(use.type)) return;
        const type = use.type.written || 'timestamp';
        if (use.kind === 'cast') context.report({ messageId: 'cast', span: use.span, data: { type } });
        else if (use.kind === 'parameter' || use.kind === 'return') context.report({ messageId: 'signature', span: use.span, data: { name: use.name ?? '', type } });
        else if (use.kind === 'domain') {
          const fix = withZone(use.type);
          context.report({ messageId: 'domain', span: use.span, data: { name: use.name ?? '', type, fix }, fixes: [{ title: `Change domain ${use.name} to ${fix}`, edits: [{ ...use.typeSpan, newText: fix }], preferred: true }] });
        } else column(use.table ?? '', use.name ?? '', use.type, use.span, use.typeSpan, withZone(use.type));
      }),
    };
  },
});
