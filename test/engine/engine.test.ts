import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { parseConfigText, resolveConfig } from '../../server/src/engine/config';
import { lintSqlFile } from '../../server/src/engine/linter';
import { Project } from '../../server/src/engine/project';
import { defineRule } from '../../server/src/engine/rule';
import { collectSuppressions, isSuppressed } from '../../server/src/engine/suppressions';
import { financialWord, isLedgerTable, moneyWord, resolveVocabulary, tenantWord, wordsOf, DEFAULT_VOCABULARY } from '../../server/src/engine/vocabulary';
import { decodeBytes } from '../../server/src/engine/decode';
import { LineIndex } from '../../server/src/sql/offsets';
import { parseSqlFile, StatementCache } from '../../server/src/sql/document';
import { initParser } from '../../server/src/sql/parser';
import { RULES } from '../../server/src/rules';
import moneyFloatType from '../../server/src/rules/money-float-type';

before(() => initParser());

describe('vocabulary', () => {
  it('splits identifiers into words', () => {
    assert.deepEqual(wordsOf('availableBalance'), ['available', 'balance']);
    assert.deepEqual(wordsOf('total_cents'), ['total', 'cents']);
    assert.deepEqual(wordsOf('HTTPStatusCode2'), ['http', 'status', 'code', '2']);
  });
  it('matches money columns by word part, not substring, and not ids/counts/timestamps', () => {
    for (const yes of ['amount', 'amount_minor', 'total_cents', 'availableBalance', 'feeAmount', 'credit_limit']) assert.ok(moneyWord(yes, DEFAULT_VOCABULARY), yes);
    for (const no of ['payment_id', 'fee_count', 'refunded_at', 'subtotalx', 'accountant', 'amount_currency']) assert.equal(moneyWord(no, DEFAULT_VOCABULARY), undefined, no);
  });
  it('does not take rates for amounts (a percentage fee is not money)', () => {
    for (const no of ['percentage_fee', 'fee_percentage', 'feePercent', 'fee_rate', 'fee_pct', 'commission_bps', 'tax_rate_bps', 'interest_ratio']) assert.equal(moneyWord(no, DEFAULT_VOCABULARY), undefined, no);
    for (const yes of ['fee', 'fee_minor', 'flat_fee', 'fee_amount']) assert.ok(moneyWord(yes, DEFAULT_VOCABULARY), yes);
  });
  it('matches financial, ledger and tenant names', () => {
    assert.ok(financialWord('wallet_transactions', DEFAULT_VOCABULARY));
    assert.ok(financialWord('public.ledgerEntries', DEFAULT_VOCABULARY));
    assert.equal(financialWord('users', DEFAULT_VOCABULARY), undefined);
    assert.ok(isLedgerTable('ledger_entries', DEFAULT_VOCABULARY));
    assert.ok(!isLedgerTable('payments', DEFAULT_VOCABULARY));
    assert.equal(tenantWord('merchantId', DEFAULT_VOCABULARY), 'merchant_id');
    assert.equal(tenantWord('merchant_name', DEFAULT_VOCABULARY), undefined);
  });
  it('lists are replaced by arrays and edited by add/remove', () => {
    const v = resolveVocabulary({ moneyColumns: { add: ['hold'], remove: ['limit'] }, ledgerTables: ['journal_lines'] });
    assert.ok(moneyWord('hold_value', v));
    assert.equal(moneyWord('spend_limit', v), undefined);
    assert.ok(moneyWord('spend_limit', DEFAULT_VOCABULARY));
    assert.deepEqual(v.ledgerTables, ['journal_lines']);
  });
});

describe('config', () => {
  const known = new Set(RULES.map((r) => r.meta.id));
  it('reads severities and reports problems with their position', () => {
    const text = '{\n  "rules": { "money-float-type": "warning", "nope": "error", "money-type": "loud" },\n  "vocabulary": { "moneyColumns": 3 }\n}';
    const { config, problems } = parseConfigText(text, known);
    assert.deepEqual(config.rules, { 'money-float-type': 'warning' });
    assert.deepEqual(problems.map((p) => p.message), [
      'Unknown rule "nope"',
      'Rule "money-type": severity must be one of off, hint, info, warning, error',
      'Vocabulary "moneyColumns" must be an array of words or { "add": [...], "remove": [...] }',
    ]);
    assert.equal(text.slice(problems[0].offset, problems[0].offset + 6), '"nope"');
  });
  it('reports invalid JSON at its position instead of throwing', () => {
    const { problems } = parseConfigText('{ "rules": { ', known);
    assert.equal(problems.length, 1);
    assert.match(problems[0].message, /not valid JSON/);
  });
  it('the file wins over editor settings', () => {
    const c = resolveConfig({ rules: { 'money-type': 'warning' } }, { rules: { 'money-type': 'off', 'json-not-jsonb': 'off' } });
    assert.equal(c.rules['money-type'], 'warning');
    assert.equal(c.rules['json-not-jsonb'], 'off');
  });
});

describe('suppressions', () => {
  it('next-line and file directives, with several ids or none', () => {
    const text = '-- ledgerlint-disable-next-line a, b\nX\n/* ledgerlint-disable-next-line */\nY\n// ledgerlint-disable-file c\n';
    const s = collectSuppressions(text, new LineIndex(text));
    assert.ok(isSuppressed(s, 'a', 1) && isSuppressed(s, 'b', 1) && !isSuppressed(s, 'z', 1));
    assert.ok(isSuppressed(s, 'anything', 3));
    assert.ok(isSuppressed(s, 'c', 0) && isSuppressed(s, 'c', 40));
    assert.ok(!isSuppressed(s, 'a', 2));
  });
});

describe('decoding', () => {
  it('drops a BOM, and decodes invalid UTF-8 with its first bad byte', () => {
    assert.deepEqual(decodeBytes(Buffer.from([0xef, 0xbb, 0xbf, 0x41])), { text: 'A', hadBom: true });
    const bad = decodeBytes(Buffer.from([0x41, 0x42, 0xff, 0x43]));
    assert.equal(bad.invalidUtf8At, 2);
    assert.equal(bad.text, 'AB\uFFFDC');
  });
});

describe('linter', () => {
  const throwing = defineRule({
    meta: { ...RULES[1].meta, id: 'boom' },
    scope: 'statement',
    create: () => ({
      statement() {
        throw new Error('kaboom');
      },
    }),
  });

  it('a rule that throws is reported once and does not take the other rules down', () => {
    const file = parseSqlFile('a.sql', 'CREATE TABLE t (amount real); CREATE TABLE u (fee real);');
    const out = lintSqlFile({ file, config: resolveConfig(), rules: [throwing, moneyFloatType] });
    assert.deepEqual(out.ruleErrors.map((e) => [e.ruleId, e.message]), [['boom', 'kaboom']]);
    assert.equal(out.findings.filter((f) => f.ruleId === 'money-float-type').length, 2);
  });

  it('re-parses only the statement that changed, and moves cached findings with it', () => {
    const cache = new StatementCache();
    const stmts = Array.from({ length: 200 }, (_, i) => `CREATE TABLE t${i} (amount real)`);
    const text = stmts.join(';\n') + ';';
    const first = lintSqlFile({ file: parseSqlFile('a.sql', text, cache), config: resolveConfig(), rules: [moneyFloatType] });
    assert.equal(first.findings.length, 200);
    const entries = new Map(parseSqlFile('a.sql', text, cache).statements.map((s) => [s.segment.text, s.entry]));
    const edited = '-- a new first line\n' + text.replace('CREATE TABLE t5 (amount real)', 'CREATE TABLE t5 (amount numeric)');
    const file = parseSqlFile('a.sql', edited, cache);
    const reused = file.statements.filter((s) => entries.get(s.segment.text) === s.entry).length;
    assert.equal(reused, 199, 'every unchanged statement keeps its parse');
    const second = lintSqlFile({ file, config: resolveConfig(), rules: [moneyFloatType] });
    assert.equal(second.findings.length, 199);
    const last = second.findings[second.findings.length - 1];
    assert.equal(edited.slice(last.span.start, last.span.end), 'amount real', 'cached finding shifted to the new offsets');
  });

  it('a Project lints with its ledgerlint.json', () => {
    const p = new Project(undefined, [moneyFloatType]);
    assert.equal(p.lint('a.sql', 'CREATE TABLE t (amount real)').findings.length, 1);
    assert.deepEqual(p.setConfigText('{"rules":{"money-float-type":"off"}}'), []);
    assert.equal(p.lint('a.sql', 'CREATE TABLE t (amount real)').findings.length, 0);
  });
});
