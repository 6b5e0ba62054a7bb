import { defineRule } from '../engine/rule';
import type { Span } from '../engine/types';
import { sameShape, typeUseVisitors, type TypeUse } from './lib/type-uses';

const CURRENCY_HINT = "add a currency column: currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$')";

export default defineRule({
  meta: {
    id: 'money-type',
    category: 'money',
    severity: 'error',
    description: "PostgreSQL's `money` type used for a column, a cast, a domain or a function signature.",
    rationale:
      "`money` stores a fixed number of fractional digits chosen by the `lc_monetary` setting (2 for most locales), so sub-cent values such as FX rates, interest accruals and fee splits are rounded away, and it carries no currency, so EUR and JPY amounts mix silently. Its text form follows `lc_monetary` too: PostgreSQL's documentation warns that a dump may not load into a database with another setting, so a restore or a replica can read amounts wrongly. Store `numeric(19,4)` (or `bigint` minor units) next to a constrained currency column.",
    messages: {
      column: `{{table}}.{{column}} uses the money type: it rounds to lc_monetary's fractional digits (2 for most locales), stores no currency, and its text form changes with lc_monetary, so a dump restored under another locale misreads amounts. Use numeric(19,4) and ${CURRENCY_HINT}.`,
      cast: `Casting to money rounds to lc_monetary's fractional digits and formats the result with the session's locale: amounts depend on a server setting. Keep the value numeric (cast to numeric(19,4)) and format it in the application with its currency.`,
      domain: `Domain {{name}} is based on money, which rounds to lc_monetary's fractional digits and stores no currency; every column of this domain inherits that. Base it on numeric(19,4) and ${CURRENCY_HINT} where it is used.`,
      signature: `Function {{name}} takes or returns money, which rounds to lc_monetary's fractional digits and has no currency; callers lose sub-cent precision. Use numeric(19,4) and pass the currency alongside.`,
    },
    fix: 'quickfix',
    languages: ['sql', 'typescript'],
    examples: {
      incorrect: [{ code: 'CREATE TABLE invoices (id bigint PRIMARY KEY, total money NOT NULL);' }],
      correct: [
        {
          code: "CREATE TABLE invoices (\n  id bigint PRIMARY KEY,\n  total numeric(19,4) NOT NULL,\n  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$')\n);",
        },
      ],
    },
  },
  scope: 'statement',
  create(context) {
    const retypeFix = (label: string, typeSpan: Span, newText: string | undefined) =>
      newText ? [{ title: `Change ${label} to numeric(19,4)`, edits: [{ ...typeSpan, newText }], preferred: true }] : undefined;
    const onUse = (use: TypeUse) => {
      if (use.type.name !== 'money') return;
      const replacement = sameShape('numeric(19,4)', use.type, false);
      switch (use.kind) {
        case 'cast':
          context.report({ messageId: 'cast', span: use.span });
          return;
        case 'domain':
          context.report({ messageId: 'domain', span: use.span, data: { name: use.name ?? '' }, fixes: retypeFix(`domain ${use.name}`, use.typeSpan, replacement) });
          return;
        case 'parameter':
        case 'return':
          // A new signature creates an overload beside the old function instead of replacing it: no fix.
          context.report({ messageId: 'signature', span: use.span, data: { name: use.name ?? '' } });
          return;
        default: {
          const label = `${use.table ?? ''}.${use.name ?? ''}`;
          context.report({ messageId: 'column', span: use.span, data: { table: use.table ?? '', column: use.name ?? '' }, fixes: retypeFix(label, use.typeSpan, replacement) });
        }
      }
    };
    return {
      column(decl) {
        if (decl.type.name !== 'money') return;
        context.report({
          messageId: 'column',
          span: decl.span,
          data: { table: decl.table, column: decl.name },
          fixes: retypeFix(`${decl.table}.${decl.name}`, decl.typeSpan, decl.retype(sameShape('numeric(19,4)', decl.type, false))),
        });
      },
      ...typeUseVisitors(context, onUse),
    };
  },
});
