// matchTerm compares a name with each vocabulary term word by word, a word matching as written or
// once both are made singular; the terms' words and singulars are worked out once per list. Every
// answer must be the one the word-by-word comparison gives.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_VOCABULARY, matchTerm, wordsOf, type Vocabulary } from '../../server/src/engine/vocabulary';

function singular(word: string): string {
  if (word.endsWith('ies') && word.length > 4) return word.slice(0, -3) + 'y';
  if (word.endsWith('ses') || word.endsWith('xes')) return word.slice(0, -2);
  if (word.endsWith('s') && !word.endsWith('ss') && word.length > 3) return word.slice(0, -1);
  return word;
}

function reference(identifier: string, terms: readonly string[]): string | undefined {
  const words = wordsOf(identifier);
  for (const term of terms) {
    const termWords = wordsOf(term);
    if (termWords.length === 0) continue;
    for (let i = 0; i + termWords.length <= words.length; i++) {
      let ok = true;
      for (let k = 0; k < termWords.length && ok; k++) ok = words[i + k] === termWords[k] || singular(words[i + k]) === singular(termWords[k]);
      if (ok) return term;
    }
  }
  return undefined;
}

test('matchTerm gives the word-by-word answer for every vocabulary list', () => {
  const names = ['payments_12', 'payment', 'Payments', 'ledger_entries', 'ledgerEntry', 'accountBalances', 'balance_history', 'fee_minor', 'total_cents', 'amounts', 'tenant_id', 'tenantIds', 'merchant_accounts', 'classes', 'boxes', 'glasses', 'status', 'bus', 'x', '', 'HTTPCode2', 'wallet_transactions_2024', 'categories', 'invoice_line_items', 'invoice_line_item', 'order_line_item_fees', 'refunds'];
  const lists = Object.values(DEFAULT_VOCABULARY as Vocabulary) as string[][];
  lists.push(['class', 'box', 'glass', 'category', 'line items', 'bus', '']);
  let matched = 0;
  for (const terms of lists) {
    for (const name of names) {
      const want = reference(name, terms);
      if (want !== undefined) matched++;
      assert.equal(matchTerm(name, terms), want, `${name} in [${terms.join(', ')}]`);
    }
  }
  assert.ok(matched > 10, 'the names match some terms');
});
