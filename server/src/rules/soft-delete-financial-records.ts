import { defineRule } from '../engine/rule';
import type { Fix, Span } from '../engine/types';
import { financialWord, isLedgerTable } from '../engine/vocabulary';
import type { Statement } from '../sql/document';
import { relName } from './lib/ast';
import { statementAnchor, whereText } from './lib/flow-context';
import { ownSpan, ownTables, qualifiedName, workspaceSchema } from './lib/schema-workspace';

const SOFT_DELETE_COLUMNS = ['deleted_at', 'archived_at', 'voided_at'];

export default defineRule({
  meta: {
    id: 'soft-delete-financial-records',
    category: 'integrity',
    severity: 'warning',
    description: 'DELETE on a financial table (payments, invoices, accounts...) instead of marking rows deleted; UNIQUE constraints that ignore a `deleted_at` column.',
    rationale:
      'Payments, invoices, refunds and accounts are evidence: auditors, tax authorities, chargeback disputes and reconciliation with the bank or the card processor ask for them years later, and a deleted row cannot be produced or explained. Balances and reports computed earlier stop adding up once a row they counted disappears. Mark the row instead (`UPDATE ... SET deleted_at = now()`), filter it out of live queries, and pseudonymize personal data when privacy law requires erasure. When a table soft-deletes, its UNIQUE constraints usually need `WHERE deleted_at IS NULL`, or a deleted row keeps blocking a new one with the same natural key. Ledgers are covered by ledger-mutation.',
    messages: {
      hardDelete:
        'DELETE FROM {{table}}{{where}} erases financial records (`{{table}}` looks like a financial table): the evidence for audits, disputes and reconciliation is gone and totals computed earlier no longer add up. Mark rows instead: UPDATE {{table}} SET deleted_at = now() WHERE ..., and pseudonymize personal data if it must be erased.',
      uniqueIgnoresSoftDelete:
        'UNIQUE ({{columns}}) on {{table}} also counts rows marked deleted by `{{column}}`: a soft-deleted row keeps blocking a new one with the same key. If deleted rows should free the key, make it a unique index WHERE {{column}} IS NULL.',
    },
    fix: 'quickfix',
    languages: ['sql'],
    examples: {
      incorrect: [{ code: 'DELETE FROM payments WHERE id = $1;' }],
      correct: [{ code: 'UPDATE payments SET deleted_at = now() WHERE id = $1;' }, { code: 'DELETE FROM sessions WHERE expires_at < now();' }],
    },
  },
  scope: 'file',
  // Reads DELETEs and the file's CREATE TABLEs (with the schema, covered by the file-rule token).
  concerns: (stmt) => !!(stmt.ast as any)?.DeleteStmt,
  stateless: true,
  create(context) {
    const softDeleteColumn = (table: string) => {
      const t = workspaceSchema(context).table(table);
      return SOFT_DELETE_COLUMNS.find((c) => t?.columns.has(c));
    };

    /** `DELETE FROM payments` -> `UPDATE payments SET deleted_at = now()` when the table has the column and no USING. */
    const rewrite = (stmt: Statement, node: any, table: string): Fix[] | undefined => {
      const column = softDeleteColumn(table);
      if (!column || node.usingClause || node.withClause) return undefined;
      const tokens = stmt.tokens();
      const from = tokens.findIndex((t) => t.keyword === 'from');
      if (tokens[0]?.keyword !== 'delete' || from !== 1) return undefined;
      const relStart = stmt.at(node.relation?.location ?? 0);
      let k = tokens.findIndex((t) => t.start === relStart);
      if (k < 0) return undefined;
      while (tokens[k + 1]?.text === '.' && tokens[k + 2]) k += 2;
      // alias (`payments p` / `payments AS p`) stays with the table
      if (node.relation?.alias) k += tokens[k + 1]?.keyword === 'as' ? 2 : 1;
      const relEnd = tokens[k]?.end;
      if (relEnd === undefined) return undefined;
      const edits = [
        { start: tokens[0].start, end: tokens[1].end, newText: 'UPDATE' },
        { start: relEnd, end: relEnd, newText: ` SET ${column} = now()` },
      ];
      return [{ title: `Mark rows deleted (SET ${column} = now())`, edits, preferred: true }];
    };

    const checkDelete = (stmt: Statement) => {
      const node = (stmt.ast as any)?.DeleteStmt;
      if (!node) return;
      const table = relName(node.relation);
      if (!table || !financialWord(table, context.vocabulary) || isLedgerTable(table, context.vocabulary)) return;
      context.report({ messageId: 'hardDelete', span: statementAnchor(stmt), data: { table, where: whereText(stmt) }, fixes: rewrite(stmt, node, table) });
    };

    const firstLineOf = (span: Span): Span => {
      const nl = context.file.text.slice(span.start, span.end).search(/\r?\n/);
      return nl < 0 ? span : { start: span.start, end: span.start + nl };
    };

    return {
      endFile() {
        // A down migration undoes seed data or its own inserts: deleting there is the point.
        if (context.fileInfo.role !== 'down') for (const stmt of [...context.file.statements, ...context.file.embedded]) checkDelete(stmt);
        for (const table of ownTables(context)) {
          const column = SOFT_DELETE_COLUMNS.find((c) => table.columns.has(c));
          if (!column) continue;
          for (const u of table.uniques) {
            const span = ownSpan(context, u.source);
            if (!span || (u.where ?? '').toLowerCase().includes(column)) continue;
            context.report({ messageId: 'uniqueIgnoresSoftDelete', severity: 'info', span: firstLineOf(span), data: { table: qualifiedName(table), columns: u.columns.join(', '), column } });
          }
        }
      },
    };
  },
});
