// The shared vocabulary of ../shared/rules.md: which names look like money, financial tables,
// ledgers and tenants. Matching is by word part (`availableBalance`, `total_cents`), never by
// substring, so `subtotal_count` or `accountant_notes` are not mistaken for money.

export interface Vocabulary {
  moneyColumns: string[];
  financialTables: string[];
  ledgerTables: string[];
  tenantColumns: string[];
}

export const DEFAULT_VOCABULARY: Vocabulary = {
  moneyColumns: [
    'amount', 'amt', 'balance', 'price', 'cost', 'fee', 'total', 'tax', 'vat', 'commission', 'payout',
    'refund', 'credit', 'debit', 'principal', 'interest', 'limit', 'minor', 'cents',
  ],
  financialTables: [
    'ledger', 'journal', 'entry', 'entries', 'posting', 'transaction', 'transfer', 'payment', 'payout', 'refund',
    'charge', 'invoice', 'settlement', 'commission', 'wallet', 'balance', 'account',
  ],
  ledgerTables: ['ledger', 'journal', 'entries', 'postings'],
  tenantColumns: ['tenant_id', 'org_id', 'organization_id', 'merchant_id', 'workspace_id', 'team_id'],
};

/** Last words that make a money-looking name something else: ids, counts, timestamps, codes. */
const NOT_MONEY_SUFFIX = new Set(['id', 'ids', 'uuid', 'count', 'at', 'on', 'ts', 'date', 'time', 'type', 'status', 'code', 'currency', 'ccy', 'name', 'key', 'ref', 'pct', 'percent', 'rate', 'bps', 'reason', 'kind', 'method', 'mode', 'note', 'notes', 'description']);

/** Words that make a name a rate, not an amount, wherever they stand: `percentage_fee`, `fee_rate`, `commission_bps`. */
const RATE_WORDS = new Set(['rate', 'rates', 'ratio', 'percentage', 'percent', 'pct', 'bps']);

const wordCache = new Map<string, string[]>();

/** `availableBalance` -> [available, balance]; `total_cents` -> [total, cents]; `HTTPCode2` -> [http, code, 2]. */
export function wordsOf(identifier: string): string[] {
  let words = wordCache.get(identifier);
  if (words) return words;
  words = identifier
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+|(?<=[A-Za-z])(?=[0-9])|(?<=[0-9])(?=[A-Za-z])/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
  if (wordCache.size > 50_000) wordCache.clear();
  wordCache.set(identifier, words);
  return words;
}

function singular(word: string): string {
  if (word.endsWith('ies') && word.length > 4) return word.slice(0, -3) + 'y';
  if (word.endsWith('ses') || word.endsWith('xes')) return word.slice(0, -2);
  if (word.endsWith('s') && !word.endsWith('ss') && word.length > 3) return word.slice(0, -1);
  return word;
}

/** The vocabulary term a word part of `identifier` matches, or undefined. Terms may be multi-word (`tenant_id`). */
const termMemo = new WeakMap<readonly string[], Map<string, string | undefined>>();

export function matchTerm(identifier: string, terms: readonly string[]): string | undefined {
  // Rules ask about the same names over and over (every column of every table, per file): memoise
  // per vocabulary list, which is a stable array for a given configuration.
  let memo = termMemo.get(terms);
  if (!memo) termMemo.set(terms, (memo = new Map()));
  if (memo.has(identifier)) return memo.get(identifier);
  const found = matchTermUncached(identifier, terms);
  if (memo.size > 50_000) memo.clear();
  memo.set(identifier, found);
  return found;
}

interface TermWords {
  term: string;
  words: readonly string[];
  singulars: readonly string[];
}

/**
 * Per vocabulary list: each term's words and their singulars. Names seen once (a migration folder's
 * numbered tables) miss matchTerm's memo, and each was compared with every term, word by word,
 * making both words singular again for every pair (~1% of a 1,000-file CLI run).
 */
const termWordsMemo = new WeakMap<readonly string[], readonly TermWords[]>();

function termWordsOf(terms: readonly string[]): readonly TermWords[] {
  let list = termWordsMemo.get(terms);
  if (!list) {
    list = terms.map((term) => {
      const words = wordsOf(term);
      return { term, words, singulars: words.map(singular) };
    });
    termWordsMemo.set(terms, list);
  }
  return list;
}

function matchTermUncached(identifier: string, terms: readonly string[]): string | undefined {
  const words = wordsOf(identifier);
  let singulars: string[] | undefined;
  const list = termWordsOf(terms);
  for (let j = 0; j < list.length; j++) {
    const { words: termWords, singulars: termSingulars } = list[j];
    if (termWords.length === 0) continue;
    for (let i = 0; i + termWords.length <= words.length; i++) {
      let ok = true;
      for (let k = 0; k < termWords.length && ok; k++) {
        if (words[i + k] === termWords[k]) continue;
        singulars ??= words.map(singular);
        ok = singulars[i + k] === termSingulars[k];
      }
      if (ok) return list[j].term;
    }
  }
  return undefined;
}

/** `amount`, `fee_minor`, `availableBalance` -> the matched word; `payment_id`, `fee_count` -> undefined. */
export function moneyWord(column: string, vocab: Vocabulary): string | undefined {
  const words = wordsOf(column);
  if (words.length === 0 || NOT_MONEY_SUFFIX.has(words[words.length - 1])) return undefined;
  if (words.some((w) => RATE_WORDS.has(w))) return undefined;
  return matchTerm(column, vocab.moneyColumns);
}

export function financialWord(table: string, vocab: Vocabulary): string | undefined {
  return matchTerm(unqualified(table), vocab.financialTables);
}

export function isLedgerTable(table: string, vocab: Vocabulary): boolean {
  return matchTerm(unqualified(table), vocab.ledgerTables) !== undefined;
}

export function tenantWord(column: string, vocab: Vocabulary): string | undefined {
  const lower = wordsOf(column).join('_');
  return vocab.tenantColumns.find((t) => wordsOf(t).join('_') === lower);
}

function unqualified(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot >= 0 ? name.slice(dot + 1) : name;
}

export type VocabularySetting = string[] | { add?: string[]; remove?: string[] };

/** An array replaces the default list; `{ add, remove }` edits it. */
export function resolveVocabulary(settings: Partial<Record<keyof Vocabulary, VocabularySetting>> | undefined, base = DEFAULT_VOCABULARY): Vocabulary {
  const out: Vocabulary = { ...base };
  for (const key of Object.keys(base) as Array<keyof Vocabulary>) {
    const s = settings?.[key];
    if (!s) continue;
    if (Array.isArray(s)) out[key] = s.map(String);
    else {
      const remove = new Set((s.remove ?? []).map(String));
      out[key] = [...base[key].filter((w) => !remove.has(w)), ...(s.add ?? []).map(String)];
    }
  }
  return out;
}
