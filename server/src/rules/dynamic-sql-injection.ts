import { defineRule } from '../engine/rule';
import { plpgsqlBody } from '../sql/plpgsql';
import { analyzeDynamicSql } from './lib/flow-dynamic-sql';

export default defineRule({
  meta: {
    id: 'dynamic-sql-injection',
    category: 'security',
    severity: 'error',
    description: 'PL/pgSQL `EXECUTE` of a string built with `||` or `format(\'%s\')` from values that are not quoted with `%I`/`%L`/`quote_*` or passed with `USING`; in TypeScript, Drizzle `sql.raw(value)` or a template / concatenation passed to `pg` `query()`.',
    rationale:
      'Dynamic SQL glued from text runs whatever the text says: a table name or filter that contains a quote turns `UPDATE wallets SET ... WHERE owner = ` into a statement that touches every wallet, and inside a SECURITY DEFINER function it runs with the owner\'s rights. `format(\'%I\', name)` quotes identifiers, `%L` and `quote_literal` quote values, and `EXECUTE ... USING` passes values as parameters that are never parsed as SQL. Variables of number, boolean, date and uuid types cannot carry a quote and are not reported. In TypeScript the same holds for `sql.raw()` and for SQL glued together before `query()`: parameters (`$1` in pg, `${value}` in Drizzle\'s `sql` template) are sent separately and never parsed as SQL; identifiers belong in `sql.identifier()`.',
    messages: {
      unquoted:
        'EXECUTE{{where}} builds SQL with {{via}} from {{pieces}} without quoting: a value containing a quote rewrites the statement (SQL injection), and it runs with the function\'s rights on your money tables. Quote identifiers with format(\'%I\', ...) or quote_ident(), and pass values as parameters: EXECUTE format(\'... WHERE id = $1\') USING value (or %L).',
    },
    fix: 'none',
    languages: ['sql'],
    examples: {
      incorrect: [
        { code: "CREATE FUNCTION purge(tbl text) RETURNS void LANGUAGE plpgsql AS $$\nBEGIN\n  EXECUTE 'DELETE FROM ' || tbl;\nEND $$;" },
      ],
      correct: [
        { code: "CREATE FUNCTION purge(tbl text, p_id bigint) RETURNS void LANGUAGE plpgsql AS $$\nBEGIN\n  EXECUTE format('DELETE FROM %I WHERE id = $1', tbl) USING p_id;\nEND $$;" },
      ],
    },
  },
  scope: 'statement',
  create(context) {
    return {
      statement(stmt) {
        const body = plpgsqlBody(stmt);
        if (!body) return;
        for (const step of body.steps) {
          if (step.kind !== 'execute' || !step.query || !step.span) continue;
          const verdict = analyzeDynamicSql(step.query, body.variables);
          if (verdict.unsafe.length === 0) continue;
          context.report({
            messageId: 'unquoted',
            span: step.span,
            data: {
              where: body.kind === 'do' ? ' in a DO block' : ` in ${body.kind} \`${body.name}\``,
              via: verdict.via.join(' and '),
              pieces: verdict.unsafe.map((p) => `\`${p}\``).join(', '),
            },
          });
        }
      },
    };
  },
});
