import { defineRule } from '../engine/rule';
import type { Fix } from '../engine/types';
import { isLedgerTable, moneyWord, wordsOf, type Vocabulary } from '../engine/vocabulary';
import type { TableModel } from '../model/schema';
import { insertAfterStatement, statementAt } from './lib/schema-edits';
import { tablesNamedHere, qualifiedName, quoteIdent } from './lib/schema-workspace';

/** Words of a column that groups postings into one balanced journal entry: `journal_id`, `transaction_id`, `txn_id`. */
const JOURNAL_WORDS = new Set(['journal', 'transaction', 'txn', 'batch', 'transfer', 'group', 'entry']);

function journalKey(table: TableModel): string | undefined {
  for (const c of table.columns.keys()) {
    const w = wordsOf(c);
    if (w.length >= 2 && w[w.length - 1] === 'id' && w.slice(0, -1).some((x) => JOURNAL_WORDS.has(x))) return c;
  }
  return undefined;
}

/** The signed sum of a journal: `sum(amount_minor)`, or `sum(debit) - sum(credit)` for split columns. */
function balanceExpr(table: TableModel, vocab: Vocabulary): { expr: string; column: string } | undefined {
  const cols = [...table.columns.keys()];
  const debit = cols.find((c) => wordsOf(c).includes('debit'));
  const credit = cols.find((c) => wordsOf(c).includes('credit'));
  if (debit && credit) return { expr: `sum(${quoteIdent(debit)}) - sum(${quoteIdent(credit)})`, column: `${debit}/${credit}` };
  const amount = cols.find((c) => moneyWord(c, vocab) && !wordsOf(c).includes('balance'));
  return amount ? { expr: `sum(${quoteIdent(amount)})`, column: amount } : undefined;
}

function checkSql(table: TableModel, key: string, expr: string): string {
  const name = qualifiedName(table);
  const base = table.name.replace(/[^A-Za-z0-9_]/g, '_');
  const fn = quoteIdent(`${base}_check_balanced`);
  const k = quoteIdent(key);
  const currency = table.columns.has('currency') ? ' GROUP BY currency' : '';
  return [
    `CREATE OR REPLACE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$`,
    'BEGIN',
    `  IF EXISTS (SELECT 1 FROM ${name} WHERE ${k} = NEW.${k}${currency} HAVING ${expr} <> 0) THEN`,
    `    RAISE EXCEPTION 'journal % of ${base} does not balance', NEW.${k};`,
    '  END IF;',
    '  RETURN NULL;',
    'END $$;',
    `CREATE CONSTRAINT TRIGGER ${quoteIdent(`${base}_balanced`)} AFTER INSERT OR UPDATE ON ${name} DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ${fn}();`,
  ].join('\n');
}

export default defineRule({
  meta: {
    id: 'double-entry-balance-unenforced',
    category: 'ledger',
    severity: 'warning',
    description: 'A ledger table with a journal key and an amount, but no deferred constraint trigger checking that each journal entry sums to zero.',
    rationale:
      'Double-entry bookkeeping holds only if every journal entry\'s postings sum to zero: money moves from one account to another and is never created or lost. A bug that writes the debit but not the credit (an early return, a retry that re-inserts one side, a failed second INSERT swallowed by an exception handler) leaves the books off by that amount, and nobody notices until month-end reconciliation. A CHECK constraint cannot see other rows; a constraint trigger declared DEFERRABLE INITIALLY DEFERRED runs at COMMIT, after all postings of the entry are in, and rolls back the whole transaction when the sum is not zero. The alternative is a single posting function as the only writer (with INSERT revoked from everyone else).',
    messages: {
      unenforced:
        '{{table}} looks like a double-entry ledger (journal key `{{key}}`, amounts in `{{amount}}`), but no deferred constraint trigger checks that each journal sums to zero: a bug that writes one side of a transfer creates or destroys money unnoticed until reconciliation. Add a CONSTRAINT TRIGGER ... DEFERRABLE INITIALLY DEFERRED that raises when the postings of NEW.{{key}} do not sum to zero.',
    },
    fix: 'suggestion',
    languages: ['sql'],
    examples: {
      incorrect: [{ code: 'CREATE TABLE ledger_postings (id bigint PRIMARY KEY, journal_id bigint NOT NULL, account_id bigint NOT NULL, amount_minor bigint NOT NULL);' }],
      correct: [
        {
          code: "CREATE TABLE ledger_postings (id bigint PRIMARY KEY, journal_id bigint NOT NULL, account_id bigint NOT NULL, amount_minor bigint NOT NULL);\nCREATE FUNCTION check_balanced() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  IF EXISTS (SELECT 1 FROM ledger_postings WHERE journal_id = NEW.journal_id HAVING sum(amount_minor) <> 0) THEN\n    RAISE EXCEPTION 'unbalanced';\n  END IF;\n  RETURN NULL;\nEND $$;\nCREATE CONSTRAINT TRIGGER ledger_postings_balanced AFTER INSERT ON ledger_postings DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION check_balanced();",
        },
      ],
    },
  },
  scope: 'file',
  stateless: true,
  cache: 'file',
  create(context) {
    return {
      endFile() {
        for (const { table, span } of tablesNamedHere(context)) {
          if (!isLedgerTable(table.name, context.vocabulary)) continue;
          const key = journalKey(table);
          const balance = balanceExpr(table, context.vocabulary);
          if (!key || !balance) continue;
          if (table.triggers.some((t) => t.constraint && t.deferrable && t.events.includes('insert'))) continue;
          const created = table.created ? statementAt(context, table.created.span) : undefined;
          const fixes: Fix[] | undefined = created
            ? [{ title: `Check at COMMIT that each ${key} of ${table.name} sums to zero`, edits: [insertAfterStatement(context, created, checkSql(table, key, balance.expr))], preferred: true }]
            : undefined;
          context.report({ messageId: 'unenforced', span, data: { table: qualifiedName(table), key, amount: balance.column }, fixes });
        }
      },
    };
  },
});
