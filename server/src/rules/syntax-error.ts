import { defineRule } from '../engine/rule';

export default defineRule({
  meta: {
    id: 'syntax-error',
    category: 'syntax',
    severity: 'error',
    description: 'A statement PostgreSQL cannot parse.',
    rationale:
      'PostgreSQL rejects the statement, so the migration fails when it runs (and with it every statement after it in the same transaction). Ledgerlint reports the error at the character where PostgreSQL\'s own parser stopped and keeps checking the other statements of the file.',
    messages: {
      syntax: '{{message}} (PostgreSQL will reject this statement).',
      encoding:
        'This file is not valid UTF-8 (first invalid byte at offset {{byte}}); it was read with replacement characters. PostgreSQL clients expect UTF-8: re-save the file as UTF-8.',
      unterminated: '{{message}}: the {{what}} opened here is never closed, so everything up to the next `;` is part of this statement.',
    },
    fix: 'none',
    languages: ['sql', 'typescript'],
    examples: {
      incorrect: [{ code: 'CREATE TABLE payments (id bigint, amount numeric(19,4),);' }],
      correct: [{ code: 'CREATE TABLE payments (id bigint, amount numeric(19,4));' }],
    },
  },
  scope: 'statement',
  create(context) {
    const WHAT = { quote: 'string', identifier: 'quoted identifier', dollar: 'dollar-quoted body', comment: 'block comment' } as const;
    return {
      statement(stmt) {
        if (!stmt.error) return;
        const { segment } = stmt;
        const unterminated = segment.unterminated;
        const at = unterminated && segment.unterminatedAt !== undefined ? segment.unterminatedAt : stmt.error.offset;
        // One character wide, or to the end of the offending word, so the squiggle is visible.
        let end = at + 1;
        while (end < segment.end && /[\w$]/.test(context.text[end] ?? '')) end++;
        context.report({
          messageId: unterminated ? 'unterminated' : 'syntax',
          // "at end of input" points just past the statement: step back onto its last character. Not
          // onto what follows it (a `;`, a line break, nothing at the end of the file), which this
          // statement's cached findings would not follow when it changes.
          span: at >= segment.end ? { start: Math.max(segment.start, segment.end - 1), end: segment.end } : { start: at, end: Math.min(Math.max(end, at + 1), segment.end) },
          data: { message: stmt.error.message, what: unterminated ? WHAT[unterminated] : '' },
        });
      },
    };
  },
});
