import type { ColumnDecl } from '../engine/decls';
import { defineRule } from '../engine/rule';
import type { Span } from '../engine/types';
import type { Statement } from '../sql/document';
import { declaredNames, identifierValue, snakeCase, truncateIdentifier, utf8Bytes, MAX_IDENTIFIER_BYTES } from './lib/identifiers';

export default defineRule({
  meta: {
    id: 'identifier-hygiene',
    category: 'integrity',
    severity: 'hint',
    description: 'Quoted mixed-case names, which every query must quote forever, and names over 63 bytes, which PostgreSQL silently truncates.',
    rationale:
      'PostgreSQL folds unquoted names to lower case: a table created as `"Payments"` must be written `"Payments"` in every query, report and psql session, and `SELECT * FROM Payments` fails with "relation "payments" does not exist". Drizzle quotes every name, so a camelCase key without `casing: \'snake_case\'` creates such a column (Ledgerlint looks for `casing` in the workspace\'s `drizzle()` calls and drizzle.config files; when it sees none of them, it reports keys only in schema files that also name columns in snake_case by hand). Names longer than 63 bytes (UTF-8) are cut to 63 bytes with only a NOTICE (*verified*): two long index names that share their first 63 bytes collide, the second `CREATE INDEX` fails with "relation already exists" (*verified*), and with `IF NOT EXISTS` it is skipped silently (*verified*), so an index or unique constraint the migration seems to create does not exist. Use snake_case names of at most 63 bytes.',
    messages: {
      mixedCase:
        '{{what}} "{{name}}"{{on}} is a quoted mixed-case name: every query, report and psql session must quote it exactly, and unquoted {{name}} means {{folded}}, which does not exist. Use snake_case ({{suggestion}}).',
      drizzleMixedCase:
        '{{what}} "{{name}}"{{on}} keeps its case in PostgreSQL: Drizzle quotes every name, so raw SQL, reports and psql must write "{{name}}" with quotes. Name it {{suggestion}} (or set casing: \'snake_case\' in drizzle() and drizzle.config.ts).',
      drizzleNoCasing:
        'Column "{{name}}"{{on}} takes its name from the property key, and no drizzle() call or drizzle.config in this workspace sets casing: \'snake_case\', so PostgreSQL gets "{{name}}" with its capitals: raw SQL, reports and psql must quote it exactly. Set casing: \'snake_case\' in drizzle() and drizzle.config.ts, or pass the name to the column builder (\'{{suggestion}}\').',
      tooLong:
        '{{what}} {{name}}{{on}} is {{bytes}} bytes: PostgreSQL silently truncates names to 63 bytes ({{truncated}}), so another name with the same first 63 bytes collides: CREATE fails with "already exists", or with IF NOT EXISTS is skipped and the object never exists. Shorten it.',
    },
    fix: 'none',
    languages: ['sql', 'typescript'],
    examples: {
      incorrect: [
        { code: 'CREATE TABLE "LedgerEntries" ("entryId" bigint PRIMARY KEY, "amountMinor" bigint NOT NULL);' },
        { code: 'CREATE INDEX ledger_entries_account_id_currency_posted_at_including_reversals_idx ON ledger_entries (account_id, currency, posted_at);' },
      ],
      correct: [{ code: 'CREATE TABLE ledger_entries (entry_id bigint PRIMARY KEY, amount_minor bigint NOT NULL);\nSELECT "entry_id" FROM ledger_entries; -- "MixedCase" in a comment or \'StringValue\' is not a name' }],
    },
  },
  scope: 'statement',
  create(context) {
    // Drizzle: a key without a name argument is only a problem when drizzle() gets no casing option,
    // which usually lives in another file: the workspace's drizzle() calls and drizzle.config decide.
    // When none was seen, it is reported if this file maps names to snake_case by hand elsewhere
    // (`accountId: bigint('account_id')`), which shows no casing option is relied on.
    const keyDerived: Array<{ decl: ColumnDecl; key: string }> = [];
    let namesByHand = false;
    let casing: ColumnDecl['workspaceCasing'];
    const drizzleName = (what: string, name: string, span: Span, on: string) => {
      if (utf8Bytes(name) > MAX_IDENTIFIER_BYTES) {
        context.report({ messageId: 'tooLong', span, data: { what, name, on, bytes: utf8Bytes(name), truncated: truncateIdentifier(name) } });
        return false;
      }
      return /[A-Z]/.test(name);
    };
    const drizzleMixed = (what: string, name: string, span: Span, on: string) =>
      context.report({ messageId: 'drizzleMixedCase', span, data: { what, name, on, suggestion: snakeCase(name) } });
    return {
      table(decl) {
        if (decl.language !== 'typescript') return; // SQL statements are read token by token below
        if (drizzleName('Table', decl.name, decl.nameSpan, '')) drizzleMixed('Table', decl.name, decl.nameSpan, '');
      },
      column(decl) {
        if (decl.language !== 'typescript') return;
        const on = ` of ${decl.table}`;
        casing ??= decl.workspaceCasing;
        const key = propertyKey(context.text.slice(decl.nameSpan.start, decl.nameSpan.end));
        const explicit = explicitName(context.text.slice(decl.typeSpan.start, decl.typeSpan.end));
        if (explicit !== undefined && explicit !== key && explicit === snakeCase(key)) namesByHand = true;
        if (!drizzleName('Column', decl.name, decl.nameSpan, on)) return;
        if (explicit === decl.name) drizzleMixed('Column', decl.name, decl.nameSpan, on);
        else keyDerived.push({ decl, key });
      },
      endFile() {
        if (casing === 'snake_case') return; // the key is renamed: the column is snake_case in PostgreSQL
        if (casing === 'unset') {
          for (const { decl } of keyDerived) context.report({ messageId: 'drizzleNoCasing', span: decl.nameSpan, data: { name: decl.name, on: ` of ${decl.table}`, suggestion: snakeCase(decl.name) } });
        } else if (namesByHand) {
          for (const { decl } of keyDerived) drizzleMixed('Column', decl.name, decl.nameSpan, ` of ${decl.table}`);
        }
      },
      statement(stmt: Statement) {
        const declared = declaredNames(stmt.ast);
        if (declared.size === 0) return;
        const done = new Set<string>();
        for (const token of stmt.tokens()) {
          if (token.kind !== 'ident') continue;
          const id = identifierValue(token.text);
          if (!id) continue;
          const truncated = truncateIdentifier(id.value);
          const decl = declared.get(truncated);
          if (!decl || done.has(truncated)) continue;
          const span = { start: token.start, end: token.end };
          const on = decl.table ? ` of ${decl.table}` : '';
          const bytes = utf8Bytes(id.value);
          if (bytes > MAX_IDENTIFIER_BYTES) {
            done.add(truncated);
            context.report({ messageId: 'tooLong', span, data: { what: decl.what, name: token.text, on, bytes, truncated } });
          } else if (id.quoted && /[A-Z]/.test(id.value)) {
            done.add(truncated);
            context.report({ messageId: 'mixedCase', span, data: { what: decl.what, name: id.value, on, folded: id.value.toLowerCase(), suggestion: snakeCase(id.value) } });
          }
        }
      },
    };
  },
});

/** `amountMinor` or `'amount-minor'` as written for a property name. */
function propertyKey(text: string): string {
  const t = text.trim();
  return /^(['"`]).*\1$/.test(t) ? t.slice(1, -1) : t;
}

/** The name given as the builder's first argument (`bigint('amount_minor', ...)`), if any. */
function explicitName(builderCall: string): string | undefined {
  const m = /^[\w$.]+\s*\(\s*(['"`])((?:(?!\1)[^\\])*)\1/.exec(builderCall.trim());
  return m?.[2];
}
