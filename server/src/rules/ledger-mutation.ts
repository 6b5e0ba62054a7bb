import { defineRule } from '../engine/rule';
import { isLedgerTable } from '../engine/vocabulary';
import type { SqlStatement } from '../sql/statement';
import { relName } from './lib/ast';
import { statementAnchor, whereText } from './lib/flow-context';

export default defineRule({
  meta: {
    id: 'ledger-mutation',
    category: 'ledger',
    severity: 'error',
    description: 'UPDATE, DELETE, TRUNCATE, MERGE ... UPDATE/DELETE or ON CONFLICT DO UPDATE on an append-only ledger table, at top level or inside a PL/pgSQL body.',
    rationale:
      'A ledger is the history every balance, statement and reconciliation is derived from. Editing or deleting a posted entry changes past balances without a trace: the audit trail no longer explains the money, and reports already sent to customers or auditors stop matching the database. Corrections are new entries that reverse the old ones (same account, negated amount, a link to the reversed entry), so both the mistake and its correction stay visible. The rule also looks inside function bodies and DO blocks, where such updates often hide.',
    messages: {
      mutation:
        '{{verb}} on `{{table}}`{{where}} rewrites posted history: `{{table}}` looks like an append-only ledger, so balances derived from it change without a trace and the audit trail no longer explains the money. Post a reversing entry instead: INSERT INTO {{table}} (..., amount, reverses_entry_id) SELECT ..., -amount, id FROM {{table}} WHERE id = $1.',
    },
    fix: 'none',
    languages: ['sql'],
    examples: {
      incorrect: [
        { code: 'UPDATE ledger_entries SET amount = 90 WHERE id = 42;' },
        { code: 'CREATE FUNCTION fix_entry(p_id bigint) RETURNS void LANGUAGE plpgsql AS $$\nBEGIN\n  DELETE FROM ledger_entries WHERE id = p_id;\nEND $$;' },
      ],
      correct: [
        { code: 'INSERT INTO ledger_entries (account_id, amount, reverses_entry_id)\nSELECT account_id, -amount, id FROM ledger_entries WHERE id = 42;' },
      ],
    },
  },
  scope: 'statement',
  create(context) {
    const check = (verb: string, rel: any, stmt: SqlStatement) => {
      const table = relName(rel);
      if (!table || !isLedgerTable(table, context.vocabulary)) return;
      context.report({ messageId: 'mutation', span: statementAnchor(stmt), data: { verb, table, where: whereText(stmt) } });
    };
    return {
      UpdateStmt(ref, stmt) {
        check('UPDATE', ref.node.relation, stmt);
      },
      DeleteStmt(ref, stmt) {
        check('DELETE', ref.node.relation, stmt);
      },
      TruncateStmt(ref, stmt) {
        for (const r of ref.node.relations ?? []) check('TRUNCATE', r?.RangeVar, stmt);
      },
      MergeStmt(ref, stmt) {
        const kinds = new Set((ref.node.mergeWhenClauses ?? []).map((c: any) => c?.MergeWhenClause?.commandType));
        if (kinds.has('CMD_UPDATE')) check('MERGE ... UPDATE', ref.node.relation, stmt);
        else if (kinds.has('CMD_DELETE')) check('MERGE ... DELETE', ref.node.relation, stmt);
      },
      InsertStmt(ref, stmt) {
        if (ref.node.onConflictClause?.action === 'ONCONFLICT_UPDATE') check('INSERT ... ON CONFLICT DO UPDATE', ref.node.relation, stmt);
      },
    };
  },
});
