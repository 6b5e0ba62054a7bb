// Which columns a Drizzle `check('name', sql`...`)` constrains, so schema rules see that
// `check('payments_amount_check', sql`${t.amount} > 0`)` bounds payments.amount as a SQL CHECK would.
import type { DrizzleTable } from './schema-types';

/** `${t.amount}`, `${t["amount"]}` or `${payments.amount}` inside the template. */
const INTERPOLATED = /\$\{\s*[A-Za-z_$][\w$]*\s*(?:\.\s*([A-Za-z_$][\w$]*)|\[\s*(['"])(.*?)\2\s*\])\s*\}/g;
const WORD = /[A-Za-z_][\w$]*/g;

/** The table's database column names that the check expression (as written in TypeScript) mentions. */
export function checkColumns(expr: string, table: DrizzleTable): string[] {
  const out = new Set<string>();
  for (const m of expr.matchAll(INTERPOLATED)) {
    const key = m[1] ?? m[3];
    const col = table.columns.find((c) => c.key === key);
    if (col) out.add(col.dbName);
  }
  // Column names written as SQL in the template (`sql`amount_minor > 0``), outside quotes.
  const literal = expr.replace(INTERPOLATED, ' ').replace(/'(?:[^']|'')*'/g, ' ');
  const names = new Set(table.columns.map((c) => c.dbName));
  for (const [w] of literal.matchAll(WORD)) if (names.has(w)) out.add(w);
  for (const m of literal.matchAll(/"((?:[^"]|"")+)"/g)) if (names.has(m[1])) out.add(m[1]);
  return [...out];
}
