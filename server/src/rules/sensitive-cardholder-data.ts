import { defineRule } from '../engine/rule';
import type { ColumnDecl } from '../engine/decls';
import { matchTerm, wordsOf } from '../engine/vocabulary';

// These names are not part of the configurable vocabulary (engine/vocabulary.ts has no list for
// them yet); teams silence false positives with a suppression comment or the rule's severity.

/** Sensitive authentication data: never stored after authorization. */
const SAD: Array<{ terms: string[]; what: string }> = [
  { terms: ['cvv', 'cvc', 'cvv2', 'cvc2'], what: 'the card verification code (CVV/CVC)' },
  { terms: ['pin', 'pin_block'], what: 'a PIN or PIN block' },
  { terms: ['track1', 'track2', 'track_data'], what: 'magnetic-stripe track data' },
];
/** Words that make a sensitive-looking name metadata about the value (`cvc_check`, `pin_attempts`). */
const SAD_METADATA = new Set([
  'check', 'checked', 'result', 'results', 'status', 'verified', 'verification', 'match', 'matched', 'attempt', 'attempts',
  'retries', 'tries', 'count', 'length', 'enabled', 'required', 'present', 'provided', 'supplied', 'failed', 'failures',
  'type', 'mode', 'method', 'policy',
]);
/** Types that cannot hold the secret itself (`pin_set boolean`, `cvv_checked_at timestamptz`). */
const NOT_A_VALUE = new Set(['bool', 'date', 'time', 'timetz', 'timestamp', 'timestamptz', 'interval']);

const CARD_NUMBER = ['pan', 'card_number', 'cardnumber', 'card_no', 'primary_account_number'];
const BANK_NUMBER = ['iban', 'account_number', 'account_no', 'acct_number', 'acct_no'];
/** Types that keep a number readable: bytea (encrypted) is not one of them. */
const READABLE = new Set(['text', 'varchar', 'bpchar', 'citext', 'numeric', 'int8', 'int4']);
/** Words that say the value is protected or partial: `card_token`, `pan_hash`, `pan_last4`, `iban_encrypted`. */
const PROTECTED = new Set([
  'token', 'tokenized', 'hash', 'hashed', 'digest', 'hmac', 'fingerprint', 'encrypted', 'enc', 'cipher', 'ciphertext',
  'masked', 'mask', 'last', 'first', 'bin', 'suffix', 'prefix', 'id', 'ref', 'reference', 'vault', 'alias', 'length', 'type', 'country',
]);

const PASSWORD = ['password', 'passwd', 'passphrase', 'pwd'];
const TEXT = new Set(['text', 'varchar', 'bpchar', 'citext']);
const PASSWORD_SAFE = new Set([
  'hash', 'hashed', 'digest', 'encrypted', 'enc', 'crypt', 'crypted', 'bcrypt', 'argon2', 'scrypt', 'salt', 'token', 'reset',
  'changed', 'updated', 'expires', 'expiry', 'policy', 'version', 'algo', 'algorithm', 'hint', 'required', 'length', 'strength', 'history',
]);

const hasAny = (words: string[], set: ReadonlySet<string>) => words.some((w) => set.has(w));

/** `pin_code` is India's postal code, not a card PIN. */
const isPostalPin = (words: string[]) => words.some((w, i) => w === 'pin' && words[i + 1] === 'code');

type Finding = { messageId: 'authData' | 'cardNumber' | 'bankNumber' | 'password'; what?: string };

function classify(decl: ColumnDecl): Finding | undefined {
  const words = wordsOf(decl.name);
  const type = decl.type.name;
  if (!NOT_A_VALUE.has(type) && !hasAny(words, SAD_METADATA) && !isPostalPin(words)) {
    const sad = SAD.find((s) => matchTerm(decl.name, s.terms));
    if (sad) return { messageId: 'authData', what: sad.what };
  }
  if (READABLE.has(type) && !hasAny(words, PROTECTED)) {
    if (matchTerm(decl.name, CARD_NUMBER)) return { messageId: 'cardNumber' };
    if (matchTerm(decl.name, BANK_NUMBER)) return { messageId: 'bankNumber' };
  }
  if (TEXT.has(type) && !hasAny(words, PASSWORD_SAFE) && matchTerm(decl.name, PASSWORD)) return { messageId: 'password' };
  return undefined;
}

export default defineRule({
  meta: {
    id: 'sensitive-cardholder-data',
    category: 'security',
    severity: 'error',
    description: 'Columns that look like they store CVV/CVC codes, PINs or track data (error), or card numbers, bank account numbers and passwords in readable form (warning).',
    rationale:
      'PCI DSS requirement 3.2 (3.3.1 in v4.0) forbids keeping sensitive authentication data (CVV/CVC, PINs and PIN blocks, magnetic-stripe track data) after authorization, even encrypted: a column for it is an audit failure that can cost the merchant its card acceptance. Card numbers must be unreadable at rest (requirement 3.4, 3.5.1 in v4.0): store the processor\'s token, or `bytea` encrypted with a managed key, and `card_last4` for display. Bank account numbers and passwords in clear text turn a leaked backup into direct fraud. The check is by column name, so it says "looks like"; names such as `*_token`, `*_hash`, `*_last4`, `*_fingerprint` and `*_encrypted` are taken as safe.',
    messages: {
      authData:
        '{{table}}.{{column}} looks like it stores {{what}}: PCI DSS requirement 3.2 (3.3.1 in v4.0) forbids keeping sensitive authentication data after authorization, even encrypted, and a finding can cost card acceptance. Do not store it: pass it to the processor and keep only the outcome (e.g. cvc_check).',
      cardNumber:
        '{{table}}.{{column}} looks like a card number (PAN) stored as readable {{type}}: PCI DSS requirement 3.4 (3.5.1 in v4.0) requires it unreadable at rest, and every system that can read it is in audit scope. Store the processor token, or bytea encrypted with a managed key, plus card_last4 for display.',
      bankNumber:
        '{{table}}.{{column}} looks like a bank account number stored as readable {{type}}: a leaked row or backup is enough to set up fraudulent debits. Store it encrypted (bytea with a managed key) or tokenized, with an *_last4 column for display.',
      password:
        '{{table}}.{{column}} looks like a password stored as {{type}}: a leaked row or backup exposes it in clear. Store a slow hash (argon2id or bcrypt) in a column named like password_hash.',
    },
    fix: 'none',
    languages: ['sql', 'typescript'],
    examples: {
      incorrect: [{ code: 'CREATE TABLE cards (id bigint PRIMARY KEY, card_number text NOT NULL, cvv text);' }],
      correct: [{ code: "CREATE TABLE cards (id bigint PRIMARY KEY, processor_token text NOT NULL, card_last4 char(4) NOT NULL, cvc_check text);" }],
    },
  },
  scope: 'statement',
  create(context) {
    return {
      column(decl) {
        const found = classify(decl);
        if (!found) return;
        context.report({
          messageId: found.messageId,
          span: decl.span,
          severity: found.messageId === 'authData' ? 'error' : 'warning',
          data: { table: decl.table, column: decl.name, type: decl.type.written || decl.type.name, what: found.what ?? '' },
        });
      },
    };
  },
});
