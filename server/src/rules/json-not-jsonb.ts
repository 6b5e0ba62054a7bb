import { defineRule } from '../engine/rule';
import type { Span } from '../engine/types';
import type { TypeRef } from '../model/schema';
import { sameShape, typeUseVisitors } from './lib/type-uses';

const toJsonb = (type: TypeRef) => sameShape('jsonb', type, false);

export default defineRule({
  meta: {
    id: 'json-not-jsonb',
    category: 'integrity',
    severity: 'info',
    description: 'A column, domain or cast uses `json` where `jsonb` is almost always meant.',
    rationale:
      '`json` keeps the input text and re-parses it on every `->` / `->>` access, cannot be indexed with GIN, and has no equality operator, so `DISTINCT`, `GROUP BY` and `UNION` over it fail ("could not identify an equality operator for type json"). `jsonb` is parsed once, indexable and comparable. It drops duplicate keys, key order and whitespace: when the exact bytes matter (re-verifying a payment provider\'s webhook signature), keep the raw body as `text` beside a `jsonb` copy.',
    messages: {
      column:
        '{{table}}.{{column}} is json: it is re-parsed on every access, cannot be GIN-indexed and has no equality operator (DISTINCT, GROUP BY and UNION fail on it). Use jsonb; keep the raw text in a text column if you must re-verify a signature over the exact bytes.',
      domain: 'Domain {{name}} is based on json, so its columns are re-parsed on every access and cannot be indexed or compared. Base it on jsonb.',
      cast: 'Casting to json keeps the text as is and re-parses it on every access; the result cannot be compared or indexed. Cast to jsonb unless the exact text (key order, duplicate keys) is needed.',
    },
    fix: 'quickfix',
    languages: ['sql', 'typescript'],
    examples: {
      incorrect: [{ code: 'CREATE TABLE webhook_events (id bigint PRIMARY KEY, payload json NOT NULL);' }],
      correct: [{ code: 'CREATE TABLE webhook_events (id bigint PRIMARY KEY, raw_body text NOT NULL, payload jsonb NOT NULL);' }],
    },
  },
  scope: 'statement',
  create(context) {
    const column = (table: string, name: string, span: Span, typeSpan: Span, replacement: string | undefined) =>
      context.report({
        messageId: 'column',
        span,
        data: { table, column: name },
        fixes: replacement ? [{ title: `Change ${table}.${name} to jsonb`, edits: [{ ...typeSpan, newText: replacement }], preferred: true }] : undefined,
      });
    return {
      column(decl) {
        if (decl.type.name === 'json') column(decl.table, decl.name, decl.span, decl.typeSpan, decl.retype(toJsonb(decl.type)));
      },
      ...typeUseVisitors(context, (use) => {
        if (use.type.name !== 'json') return;
        // Function signatures are left alone: returning json to a client stores nothing.
        if (use.kind === 'parameter' || use.kind === 'return') return;
        if (use.kind === 'cast') context.report({ messageId: 'cast', span: use.span });
        else if (use.kind === 'domain') {
          context.report({ messageId: 'domain', span: use.span, data: { name: use.name ?? '' }, fixes: [{ title: `Change domain ${use.name} to jsonb`, edits: [{ ...use.typeSpan, newText: toJsonb(use.type) }], preferred: true }] });
        } else column(use.table ?? '', use.name ?? '', use.span, use.typeSpan, toJsonb(use.type));
      }),
    };
  },
});
