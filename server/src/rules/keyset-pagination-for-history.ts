import { defineRule } from '../engine/rule';
import { financialWord } from '../engine/vocabulary';
import type { Statement } from '../sql/document';
import { tokenIndexAt } from '../sql/tokens';
import { columnRefName, nodeSpan } from './lib/ast';

/** Literal offsets that are not pagination: `OFFSET 0` (an optimisation fence), `OFFSET 1` (the previous row). */
function isTrivialOffset(expr: any): boolean {
  const c = expr?.A_Const;
  return !!c && (c.isnull || c.ival?.ival === undefined || c.ival.ival <= 1);
}

function finTables(items: any[] | undefined, vocab: Parameters<typeof financialWord>[1], out: string[] = []): string[] {
  for (const item of items ?? []) {
    const rel = item?.RangeVar?.relname;
    if (rel && financialWord(String(rel), vocab) && !out.includes(rel)) out.push(String(rel));
    const join = item?.JoinExpr;
    if (join) finTables([join.larg, join.rarg], vocab, out);
  }
  return out;
}

/** The keyset the query already orders by (its first sort column, `id` as the tie-breaker), in its direction. */
function keysetAdvice(sortClause: any[] | undefined): string {
  const first = sortClause?.[0]?.SortBy;
  const name = columnRefName(first?.node?.ColumnRef);
  // Without a usable ORDER BY, histories are read newest first.
  const ascending = !!name && first.sortby_dir !== 'SORTBY_DESC';
  const [cmp, dir] = ascending ? ['>', ''] : ['<', ' DESC'];
  if (name === 'id') return `WHERE id ${cmp} $1 ORDER BY id${dir} LIMIT n`;
  const column = name ?? 'created_at';
  return `WHERE (${column}, id) ${cmp} ($1, $2) ORDER BY ${column}${dir}, id${dir} LIMIT n`;
}

/** From the OFFSET keyword to the end of its expression (and a trailing ROW/ROWS). */
function offsetSpan(stmt: Statement, expr: any) {
  const exprSpan = nodeSpan(stmt, expr);
  const tokens = stmt.tokens();
  let i = tokenIndexAt(tokens, exprSpan.start) - 1;
  while (i >= 0 && tokens[i].keyword !== 'offset') i--;
  const next = tokens[tokenIndexAt(tokens, exprSpan.end)];
  const end = next && (next.keyword === 'row' || next.keyword === 'rows') ? next.end : exprSpan.end;
  return { start: i >= 0 ? tokens[i].start : exprSpan.start, end };
}

export default defineRule({
  meta: {
    id: 'keyset-pagination-for-history',
    category: 'indexing',
    severity: 'info',
    description: 'OFFSET pagination over a financial table (transaction history, statements, ledger exports).',
    rationale:
      'OFFSET n makes PostgreSQL produce and throw away n rows before returning a page: page 1,000 of a 50-row history reads 50,000 rows, so the deepest pages (exports, reconciliation jobs, customers scrolling back a year) cost the most database time and grow with every payment. Worse for money, OFFSET counts rows, not positions: a transaction inserted or reversed while someone pages shifts every later page by one, so an export or a statement shows an entry twice or skips one, and reconciling against it finds a difference that is not there. Keyset pagination remembers the last row of the page and asks for the rows after it, `WHERE (created_at, id) < ($1, $2) ORDER BY created_at DESC, id DESC LIMIT n`: every page costs one index range scan, on an index over (created_at, id), and pages stay stable while rows arrive.',
    messages: {
      offset:
        'OFFSET pagination over {{table}}: each page reads and discards every row before it, so deep pages of the history cost more and more database time, and rows written meanwhile shift the pages, so an export or a statement of {{table}} shows an entry twice or skips one. Page by key instead: {{advice}}, passing the last row of the previous page as the cursor, with an index on those columns.',
      unordered:
        'OFFSET without ORDER BY over {{table}}: PostgreSQL returns rows in no particular order, so pages of the history overlap or miss entries even with no concurrent writes, and each page reads and discards every row before it. Page by key instead: {{advice}}, passing the last row of the previous page as the cursor.',
    },
    fix: 'none',
    languages: ['sql'],
    examples: {
      incorrect: [{ code: 'SELECT id, amount_minor, created_at\nFROM wallet_transactions\nWHERE wallet_id = $1\nORDER BY created_at DESC\nLIMIT 50 OFFSET $2;' }],
      correct: [
        {
          code: 'CREATE INDEX wallet_transactions_wallet_id_created_at_id_idx ON wallet_transactions (wallet_id, created_at, id);\n\nSELECT id, amount_minor, created_at\nFROM wallet_transactions\nWHERE wallet_id = $1\n  AND (created_at, id) < ($2, $3)\nORDER BY created_at DESC, id DESC\nLIMIT 50;',
        },
      ],
    },
  },
  scope: 'statement',
  create(context) {
    return {
      SelectStmt(ref, stmt) {
        const q = ref.node;
        if (!q?.limitOffset || isTrivialOffset(q.limitOffset)) return;
        const tables = finTables(q.fromClause, context.vocabulary);
        if (tables.length === 0) return;
        const ordered = Array.isArray(q.sortClause) && q.sortClause.length > 0;
        context.report({
          messageId: ordered ? 'offset' : 'unordered',
          span: offsetSpan(stmt, q.limitOffset),
          data: { table: tables.join(', '), advice: keysetAdvice(q.sortClause) },
        });
      },
    };
  },
});
