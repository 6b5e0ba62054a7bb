import { defineRule } from '../engine/rule';
import type { Fix, Span } from '../engine/types';
import { financialWord, isLedgerTable, wordsOf } from '../engine/vocabulary';
import type { SqlStatement } from '../sql/statement';
import { relName } from './lib/ast';

/** Roles that own or migrate the schema are expected to hold every privilege. */
const ADMIN_WORDS = new Set(['admin', 'owner', 'migrator', 'migration', 'migrations', 'dba', 'superuser', 'postgres', 'ddl']);

function granteeName(g: any): string | undefined {
  const r = g?.RoleSpec;
  if (r?.roletype === 'ROLESPEC_PUBLIC') return 'PUBLIC';
  if (r?.roletype !== 'ROLESPEC_CSTRING' || !r.rolename) return undefined; // CURRENT_USER and friends: the owner
  const name = String(r.rolename);
  return wordsOf(name).some((w) => ADMIN_WORDS.has(w)) ? undefined : name;
}

/** The privilege list between GRANT and ON (`UPDATE (status), DELETE`, `ALL PRIVILEGES`). */
function privilegeSpan(stmt: SqlStatement): Span | undefined {
  const tokens = stmt.tokens();
  let depth = 0;
  for (let i = 1; i < tokens.length; i++) {
    const t = tokens[i].text;
    if (t === '(') depth++;
    else if (t === ')') depth--;
    else if (depth === 0 && tokens[i].keyword === 'on') return i > 1 ? { start: tokens[1].start, end: tokens[i - 1].end } : undefined;
  }
  return undefined;
}

export default defineRule({
  meta: {
    id: 'ledger-grants-too-broad',
    category: 'security',
    severity: 'warning',
    description: 'GRANT of UPDATE, DELETE, TRUNCATE or ALL on a ledger or financial table (or on all tables of a schema) to PUBLIC or an application role.',
    rationale:
      'The application role is what an attacker gets through SQL injection or leaked credentials, and what a buggy deploy runs as. If it may UPDATE or DELETE ledger entries, one bad statement rewrites posted history, and TRUNCATE empties a table in one statement without firing row triggers. An append-only ledger needs only SELECT and INSERT; balances and payment states need UPDATE but never DELETE or TRUNCATE (close or reverse instead). Grant the least privilege per table, keep ALL for the owner or migration role, and avoid ON ALL TABLES, which hands the same rights to the ledger as to every other table.',
    messages: {
      ledger:
        'GRANT {{privileges}} on {{table}} to {{grantee}}: `{{table}}` looks like an append-only ledger, and this lets the application rewrite or erase posted entries (TRUNCATE does not even fire row triggers). Grant SELECT, INSERT only; corrections are new reversing entries.',
      financial:
        'GRANT {{privileges}} on {{table}} to {{grantee}}: `{{table}}` looks like a financial table, and DELETE/TRUNCATE let the application erase money records for good. Grant SELECT, INSERT, UPDATE (no DELETE or TRUNCATE); deactivate or reverse instead of deleting.',
      allTables:
        'GRANT {{privileges}} ON ALL TABLES IN SCHEMA {{schema}} to {{grantee}} also covers the ledger and financial tables that exist when it runs: the application may rewrite or erase posted entries. Grant per table instead: SELECT, INSERT on ledgers; no DELETE or TRUNCATE on financial tables.',
    },
    fix: 'quickfix',
    languages: ['sql'],
    examples: {
      incorrect: [{ code: 'GRANT ALL ON ledger_entries TO app;' }, { code: 'GRANT SELECT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO app_rw;' }],
      correct: [{ code: 'GRANT SELECT, INSERT ON ledger_entries TO app;' }, { code: 'GRANT ALL ON ledger_entries TO ledger_owner;' }],
    },
  },
  scope: 'statement',
  create(context) {
    const vocab = context.vocabulary;
    return {
      GrantStmt(ref, stmt) {
        const n = ref.node;
        if (!n.is_grant || n.objtype !== 'OBJECT_TABLE') return;
        const grantees = (n.grantees ?? []).map(granteeName).filter(Boolean) as string[];
        if (!grantees.length) return;
        const privs: string[] = n.privileges ? n.privileges.map((p: any) => String(p?.AccessPriv?.priv_name ?? 'all').toLowerCase()) : ['all'];
        const span = privilegeSpan(stmt);
        if (!span) return;
        const privileges = context.text.slice(span.start, span.end).replace(/\s+/g, ' ');
        const grantee = grantees.join(', ');
        const has = (...p: string[]) => privs.some((x) => p.includes(x));
        if (n.targtype === 'ACL_TARGET_ALL_IN_SCHEMA') {
          if (!has('update', 'delete', 'truncate', 'all')) return;
          const schema = (n.objects ?? []).map((o: any) => o?.String?.sval).filter(Boolean).join(', ');
          context.report({ messageId: 'allTables', span, data: { privileges, schema, grantee } });
          return;
        }
        const tables = (n.objects ?? []).map((o: any) => relName(o?.RangeVar)).filter(Boolean) as string[];
        const ledger = tables.find((t) => isLedgerTable(t, vocab));
        const financial = tables.find((t) => financialWord(t, vocab));
        if (ledger && has('update', 'delete', 'truncate', 'all')) {
          const fix: Fix = { title: 'Grant SELECT, INSERT only', edits: [{ ...span, newText: 'SELECT, INSERT' }], preferred: true };
          context.report({ messageId: 'ledger', span, data: { privileges, table: ledger, grantee }, fixes: [fix] });
        } else if (financial && has('delete', 'truncate', 'all')) {
          const fix: Fix = { title: 'Grant SELECT, INSERT, UPDATE only', edits: [{ ...span, newText: 'SELECT, INSERT, UPDATE' }], preferred: true };
          context.report({ messageId: 'financial', span, data: { privileges, table: financial, grantee }, fixes: [fix] });
        }
      },
    };
  },
});
