/**
 * Splits a generated 10,000-statement file (~1 MB) and prints the median time.
 * Run: npx tsc -p . && node out/bench/splitter.bench.js
 */
import { splitSql } from '../server/src/sql/splitter';

function generate(count: number): string {
  const shapes = [
    (i: number) => `INSERT INTO ledger_entries (id, account_id, amount, memo) VALUES (${i}, ${i % 97}, 10.25, 'it''s; entry ${i} 😀')`,
    (i: number) => `UPDATE accounts\n   SET balance = balance - $1 -- debit; never below zero\n WHERE id = ${i} AND balance >= $1`,
    (i: number) => `/* report ${i}; */ SELECT a.id, sum(e.amount) FROM accounts a JOIN ledger_entries e ON e.account_id = a.id WHERE a."currency;code" = 'EUR' GROUP BY a.id`,
    (i: number) => `CREATE OR REPLACE FUNCTION f_${i}(x numeric) RETURNS numeric LANGUAGE plpgsql AS $fn$\nBEGIN\n  RETURN round(x, 2); -- $$ inside\nEND;\n$fn$`,
  ];
  const parts: string[] = [];
  for (let i = 0; i < count; i++) parts.push(shapes[i % shapes.length](i));
  return parts.join(';\r\n') + ';\n';
}

const text = generate(10_000);
let segments = 0;
const times: number[] = [];
for (let run = 0; run < 30; run++) {
  const t0 = process.hrtime.bigint();
  segments = splitSql(text).length;
  times.push(Number(process.hrtime.bigint() - t0) / 1e6);
}
times.sort((a, b) => a - b);
console.log(
  `splitSql: ${segments} segments, ${(text.length / 1e6).toFixed(2)} M UTF-16 units; ` +
    `first run ${times[times.length - 1].toFixed(2)} ms (max), median ${times[15].toFixed(2)} ms, min ${times[0].toFixed(2)} ms`,
);
