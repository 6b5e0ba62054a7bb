// Drizzle quick fixes of money-amount-unconstrained and currency-code-unconstrained: a named
// `check()` in the pgTable's extra config (array, object, or a new callback; columns as an object or
// a callback), `.notNull()` where the SQL fix adds NOT NULL, imports added. The fixed files must
// compile against drizzle-orm's types, drizzle-orm must carry the CHECK, and the rules must be quiet.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import currencyRule from '../../server/src/rules/currency-code-unconstrained';
import moneyRule from '../../server/src/rules/money-amount-unconstrained';
import { initParser } from '../../server/src/sql/parser';
import { applyEdits } from '../lib/rule-tester';
import { lintTs, preferredEdits, tsRuleTester, uniqueEdits, type TsInvalidCase } from '../lib/ts-rule-tester';
import { loadModule, typeErrors } from './n-plus-one/harness';

const HEAD = "import { bigint, char, index, pgTable, text } from 'drizzle-orm/pg-core';\n";
const ID = "  id: bigint('id', { mode: 'number' }).primaryKey(),\n";
const CCY = "  currency: char('currency', { length: 3 }).notNull(),\n";
const SQL_IMPORT = "import { sql } from 'drizzle-orm';\n";
const FIXED_HEAD = "import { bigint, char, index, pgTable, text, check } from 'drizzle-orm/pg-core';\n";

const moneyCases: TsInvalidCase[] = [
  {
    name: 'nullable, no extra config: .notNull() and a new (t) => [check()] callback; sql and check imported',
    code: `${HEAD}export const payments = pgTable('payments', {\n${ID}  amountMinor: bigint('amount_minor', { mode: 'number' }),\n${CCY}});\n`,
    errors: [{ messageId: 'nullableUnchecked', line: 4, column: 3, includes: ['payments.amount_minor', '(amount_minor > 0)'] }],
    output: `${SQL_IMPORT}${FIXED_HEAD}export const payments = pgTable('payments', {\n${ID}  amountMinor: bigint('amount_minor', { mode: 'number' }).notNull(),\n${CCY}}, (t) => [check('payments_amount_minor_check', sql\`\${t.amountMinor} > 0\`)]);\n`,
  },
  {
    name: 'array form, one item per line with a trailing comma: the check is a new line',
    code: `${SQL_IMPORT}${HEAD}export const payments = pgTable('payments', {\n${ID}  amountMinor: bigint('amount_minor', { mode: 'number' }).notNull(),\n${CCY}}, (t) => [\n  index('payments_id_idx').on(t.id),\n]);\n`,
    errors: [{ messageId: 'unchecked', line: 5 }],
    output: `${SQL_IMPORT}${FIXED_HEAD}export const payments = pgTable('payments', {\n${ID}  amountMinor: bigint('amount_minor', { mode: 'number' }).notNull(),\n${CCY}}, (t) => [\n  index('payments_id_idx').on(t.id),\n  check('payments_amount_minor_check', sql\`\${t.amountMinor} > 0\`),\n]);\n`,
  },
  {
    name: 'older object form: a new property; an existing drizzle-orm import gets sql',
    code: `import { eq } from 'drizzle-orm';\n${HEAD}export const payouts = pgTable('payouts', {\n${ID}  amount: bigint('amount', { mode: 'number' }).notNull(),\n${CCY}}, (table) => ({ byId: index('payouts_id_idx').on(table.id) }));\nexport const same = eq(payouts.id, 1);\n`,
    errors: [{ messageId: 'unchecked', line: 5 }],
    output: `import { eq, sql } from 'drizzle-orm';\n${FIXED_HEAD}export const payouts = pgTable('payouts', {\n${ID}  amount: bigint('amount', { mode: 'number' }).notNull(),\n${CCY}}, (table) => ({ byId: index('payouts_id_idx').on(table.id), payoutsAmountCheck: check('payouts_amount_check', sql\`\${table.amount} > 0\`) }));\nexport const same = eq(payouts.id, 1);\n`,
  },
  {
    name: 'columns as a callback, ledger table (signed entries: <> 0), key differs from the SQL name',
    code: `${HEAD}export const ledgerEntries = pgTable('ledger_entries', (t) => ({\n  id: t.bigint('id', { mode: 'number' }).primaryKey(),\n  amountMinor: t.bigint('amount_minor', { mode: 'number' }),\n  currency: t.char('currency', { length: 3 }).notNull(),\n}));\n`,
    errors: [{ messageId: 'nullableUnchecked', line: 4, includes: '<> 0' }],
    output: `${SQL_IMPORT}${FIXED_HEAD}export const ledgerEntries = pgTable('ledger_entries', (t) => ({\n  id: t.bigint('id', { mode: 'number' }).primaryKey(),\n  amountMinor: t.bigint('amount_minor', { mode: 'number' }).notNull(),\n  currency: t.char('currency', { length: 3 }).notNull(),\n}), (t) => [check('ledger_entries_amount_minor_check', sql\`\${t.amountMinor} <> 0\`)]);\n`,
  },
  {
    name: 'namespace imports: p.check and d.sql, nothing to import; the name PostgreSQL would pick is taken: ..._check1',
    code: `import * as d from 'drizzle-orm';\nimport * as p from 'drizzle-orm/pg-core';\nexport const transfers = p.pgTable('transfers', {\n${ID.replace('bigint', 'p.bigint')}  fee: p.bigint('fee', { mode: 'number' }).notNull(),\n  currency: p.text('currency').notNull(),\n}, (t) => [p.check('transfers_fee_check', d.sql\`\${t.currency} <> ''\`)]);\n`,
    errors: [{ messageId: 'unchecked', line: 5, includes: '(fee >= 0)' }],
    output: `import * as d from 'drizzle-orm';\nimport * as p from 'drizzle-orm/pg-core';\nexport const transfers = p.pgTable('transfers', {\n${ID.replace('bigint', 'p.bigint')}  fee: p.bigint('fee', { mode: 'number' }).notNull(),\n  currency: p.text('currency').notNull(),\n}, (t) => [p.check('transfers_fee_check', d.sql\`\${t.currency} <> ''\`), p.check('transfers_fee_check1', d.sql\`\${t.fee} >= 0\`)]);\n`,
  },
  {
    name: "the workspace names its checks chk_<table>_<column>: the new one follows",
    code: `${SQL_IMPORT}${FIXED_HEAD}export const accounts = pgTable('accounts', {\n${ID}  balance: bigint('balance', { mode: 'number' }).notNull(),\n}, (t) => [check('chk_accounts_balance', sql\`\${t.balance} >= 0\`)]);\nexport const payments = pgTable('payments', {\n${ID}  amountMinor: bigint('amount_minor', { mode: 'number' }).notNull(),\n});\n`,
    errors: [{ messageId: 'unchecked', line: 9 }],
    output: `${SQL_IMPORT}${FIXED_HEAD}export const accounts = pgTable('accounts', {\n${ID}  balance: bigint('balance', { mode: 'number' }).notNull(),\n}, (t) => [check('chk_accounts_balance', sql\`\${t.balance} >= 0\`)]);\nexport const payments = pgTable('payments', {\n${ID}  amountMinor: bigint('amount_minor', { mode: 'number' }).notNull(),\n}, (t) => [check('chk_payments_amount_minor', sql\`\${t.amountMinor} > 0\`)]);\n`,
  },
  {
    name: 'a key-derived camelCase column (casing set elsewhere): the check name is snake_case, the column goes in as ${t.key}',
    code: `${SQL_IMPORT}${FIXED_HEAD}export const payments = pgTable('payments', {\n${ID}  amountMinor: bigint({ mode: 'number' }).notNull(),\n});\n`,
    errors: [{ messageId: 'unchecked', line: 5 }],
    output: `${SQL_IMPORT}${FIXED_HEAD}export const payments = pgTable('payments', {\n${ID}  amountMinor: bigint({ mode: 'number' }).notNull(),\n}, (t) => [check('payments_amount_minor_check', sql\`\${t.amountMinor} > 0\`)]);\n`,
  },
];

const currencyCases: TsInvalidCase[] = [
  {
    name: 'text currency, no extra config: a check on the ISO pattern in a new callback',
    code: `${HEAD}export const invoices = pgTable('invoices', {\n${ID}  currency: text('currency').notNull(),\n});\n`,
    errors: [{ messageId: 'unconstrained', line: 4, column: 3, includes: 'invoices.currency' }],
    output: `${SQL_IMPORT}${FIXED_HEAD}export const invoices = pgTable('invoices', {\n${ID}  currency: text('currency').notNull(),\n}, (t) => [check('invoices_currency_check', sql\`\${t.currency} ~ '^[A-Z]{3}$'\`)]);\n`,
  },
  {
    name: 'char(3) in the array form, renamed key',
    code: `${SQL_IMPORT}${HEAD}export const invoices = pgTable('invoices', {\n${ID}  ccy: char('currency_code', { length: 3 }).notNull(),\n}, (t) => [index('invoices_id_idx').on(t.id)]);\n`,
    errors: [{ messageId: 'char3', line: 5 }],
    output: `${SQL_IMPORT}${FIXED_HEAD}export const invoices = pgTable('invoices', {\n${ID}  ccy: char('currency_code', { length: 3 }).notNull(),\n}, (t) => [index('invoices_id_idx').on(t.id), check('invoices_currency_code_check', sql\`\${t.ccy} ~ '^[A-Z]{3}$'\`)]);\n`,
  },
  {
    name: 'object form, columns as a callback',
    code: `${HEAD}export const fxQuotes = pgTable('fx_quotes', (t) => ({\n  id: t.bigint('id', { mode: 'number' }).primaryKey(),\n  currency: t.text().notNull(),\n}), (q) => ({\n  byId: index('fx_quotes_id_idx').on(q.id),\n}));\n`,
    errors: [{ messageId: 'unconstrained', line: 4 }],
    output: `${SQL_IMPORT}${FIXED_HEAD}export const fxQuotes = pgTable('fx_quotes', (t) => ({\n  id: t.bigint('id', { mode: 'number' }).primaryKey(),\n  currency: t.text().notNull(),\n}), (q) => ({\n  byId: index('fx_quotes_id_idx').on(q.id),\n  fxQuotesCurrencyCheck: check('fx_quotes_currency_check', sql\`\${q.currency} ~ '^[A-Z]{3}$'\`),\n}));\n`,
  },
];

tsRuleTester(moneyRule, {
  valid: [
    { name: 'a check() in the extra config constrains the column', code: `${SQL_IMPORT}${HEAD}export const payments = pgTable('payments', {\n${ID}  amountMinor: bigint('amount_minor', { mode: 'number' }).notNull(),\n}, (t) => [check('p_amount', sql\`\${t.amountMinor} > 0\`)]);\n`.replace('text }', 'text, check }') },
    { name: 'a check() naming the SQL column in the template', code: `${SQL_IMPORT}${HEAD}export const payments = pgTable('payments', {\n${ID}  amountMinor: bigint('amount_minor', { mode: 'number' }).notNull(),\n}, (t) => [check('p_amount', sql\`amount_minor > 0\`)]);\n`.replace('text }', 'text, check }') },
  ],
  invalid: moneyCases,
});

tsRuleTester(currencyRule, { valid: [], invalid: currencyCases });

// Extra configs the fix can or cannot extend (kept out of the compiled cases above).
tsRuleTester(currencyRule, {
  valid: [],
  invalid: [
    {
      name: 'a block-bodied extra config: the check joins the returned array',
      code: `${SQL_IMPORT}${FIXED_HEAD}export const invoices = pgTable('invoices', {\n${ID}  currency: text('currency').notNull(),\n}, (t) => {\n  return [index('invoices_id_idx').on(t.id)];\n});\n`,
      errors: [{ messageId: 'unconstrained', line: 5 }],
      output: `${SQL_IMPORT}${FIXED_HEAD}export const invoices = pgTable('invoices', {\n${ID}  currency: text('currency').notNull(),\n}, (t) => {\n  return [index('invoices_id_idx').on(t.id), check('invoices_currency_check', sql\`\${t.currency} ~ '^[A-Z]{3}$'\`)];\n});\n`,
    },
    {
      name: 'an extra config passed by reference, or one without a parameter: no fix rather than a guess',
      code: `${HEAD}const extras = () => [];\nexport const invoices = pgTable('invoices', {\n${ID}  currency: text('currency').notNull(),\n}, extras);\nexport const bills = pgTable('bills', {\n${ID}  currency: text('currency').notNull(),\n}, () => []);\n`,
      errors: [
        { messageId: 'unconstrained', line: 5 },
        { messageId: 'unconstrained', line: 9 },
      ],
      output: null,
    },
  ],
});

describe('Drizzle CHECK fixes: the fixed schemas', () => {
  before(() => initParser());
  const fixed = [...moneyCases.map((c) => ({ c, rule: moneyRule })), ...currencyCases.map((c) => ({ c, rule: currencyRule }))];

  it('the rule no longer reports the fixed column', () => {
    for (const { c, rule } of fixed) {
      const out = applyEdits(c.code, preferredEdits(lintTs(rule, c).findings));
      assert.deepEqual(lintTs(rule, { code: out }).findings.map((f) => f.message).filter((m) => !m.includes('no currency column')), [], out);
    }
  });

  it('every fixed file type-checks against drizzle-orm 0.45 under strict', () => {
    const files = Object.fromEntries(fixed.map(({ c }, i) => [`check-fix-${i}.ts`, c.output as string]));
    assert.deepEqual(typeErrors(files), []);
  });

  it('the originals type-check too (the errors above would be the fix\'s), and the checker does see drizzle-orm\'s types', () => {
    const files = Object.fromEntries(fixed.map(({ c }, i) => [`check-orig-${i}.ts`, c.code]));
    assert.deepEqual(typeErrors(files), []);
    const wrong = `${HEAD.replace('text }', 'text, check }')}export const t = pgTable('t', { a: bigint('a', { mode: 'number' }) }, (t) => [check('t_a_check', 'a > 0')]);\n`;
    assert.equal(typeErrors({ 'check-wrong.ts': wrong }).length, 1, 'a string where check() wants sql`` must not compile');
  });

  it("drizzle-orm's own table config carries the CHECK with the column's SQL name", () => {
    const { getTableConfig, PgDialect } = require('drizzle-orm/pg-core') as typeof import('drizzle-orm/pg-core');
    const dialect = new PgDialect();
    const expect: Array<[number, string, string, string]> = [
      [0, 'payments', 'payments_amount_minor_check', '"amount_minor" > 0'],
      [2, 'payouts', 'payouts_amount_check', '"amount" > 0'],
      [3, 'ledgerEntries', 'ledger_entries_amount_minor_check', '"amount_minor" <> 0'],
      [4, 'transfers', 'transfers_fee_check1', '"fee" >= 0'],
      [moneyCases.length + 1, 'invoices', 'invoices_currency_code_check', `"currency_code" ~ '^[A-Z]{3}$'`],
      [moneyCases.length + 2, 'fxQuotes', 'fx_quotes_currency_check', `"currency" ~ '^[A-Z]{3}$'`],
    ];
    for (const [i, exported, name, sqlText] of expect) {
      const table = loadModule(fixed[i].c.output as string, `check-fix-${i}.ts`)[exported] as Parameters<typeof getTableConfig>[0];
      const check = getTableConfig(table).checks.find((c) => c.name === name);
      assert.ok(check, `${exported}: no check ${name}`);
      assert.ok(dialect.sqlToQuery(check.value).sql.endsWith(sqlText), dialect.sqlToQuery(check.value).sql);
    }
  });

  it('"fix all" (preferred fixes together) keeps the file valid: a second check at the same place is offered, not preferred', () => {
    const preferredOnly = (code: string) => {
      const findings = lintTs(currencyRule, { code }).findings;
      return { findings, out: applyEdits(code, uniqueEdits(findings.flatMap((f) => f.fixes?.find((x) => x.preferred)?.edits ?? []))) };
    };
    // Two currency columns, no extra config, nothing imported: both fixes would add the third argument and the imports.
    const fx = `${HEAD}export const fxTrades = pgTable('fx_trades', {\n${ID}  sourceCurrency: text('source_currency').notNull(),\n  targetCurrency: text('target_currency').notNull(),\n});\n`;
    const one = preferredOnly(fx);
    assert.deepEqual(one.findings.map((f) => f.fixes?.map((x) => x.preferred)), [[true], [false]]);
    assert.equal(one.out.match(/check\('/g)?.length, 1, one.out);
    // Both checks end up in the file when the offered one is applied after the first.
    const second = preferredOnly(one.out);
    const out = applyEdits(one.out, preferredEdits(second.findings));
    assert.deepEqual(lintTs(currencyRule, { code: out }).findings, []);
    // Tables that already have an extra config and the imports: every check is preferred, all apply together.
    const two = `${SQL_IMPORT}${FIXED_HEAD}export const a = pgTable('a', { id: bigint('id', { mode: 'number' }).primaryKey(), currency: text('currency').notNull() }, (t) => [index('a_id').on(t.id)]);\nexport const b = pgTable('b', { id: bigint('id', { mode: 'number' }).primaryKey(), currency: text('currency').notNull() }, (t) => [index('b_id').on(t.id)]);\n`;
    const both = preferredOnly(two);
    assert.deepEqual(both.findings.map((f) => f.fixes?.[0].preferred), [true, true]);
    assert.deepEqual(lintTs(currencyRule, { code: both.out }).findings, []);
    assert.deepEqual(typeErrors({ 'check-fix-all-1.ts': one.out, 'check-fix-all-2.ts': out, 'check-fix-all-3.ts': both.out }), []);
  });
});
