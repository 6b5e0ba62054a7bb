import { defineRule, type FileContext } from '../engine/rule';
import type { Fix } from '../engine/types';
import { isLedgerTable } from '../engine/vocabulary';
import type { SchemaModel, TableModel, TriggerModel } from '../model/schema';
import { plpgsqlBody } from '../sql/plpgsql';
import { insertAfterStatement, statementAt } from './lib/schema-edits';
import { tablesNamedHere, qualifiedName, quoteIdent, workspaceSchema } from './lib/schema-workspace';

/** PL/pgSQL `elog_level` of RAISE EXCEPTION (ERROR); a bare re-raise has no level. */
const ERROR_LEVEL = 21;

/**
 * Whether a trigger function stops the statement. A function declared in this file is read; one
 * declared in another file (or not in the workspace) cannot be seen and is trusted, so a team that
 * keeps its guard function in a shared migration is not told to write it again.
 */
function functionRaises(context: FileContext, schema: SchemaModel, name: string): boolean {
  const fn = schema.functions.get(name);
  if (!fn || fn.source.file !== context.file.path) return true;
  const stmt = statementAt(context, fn.source.span);
  const body = stmt ? plpgsqlBody(stmt) : undefined;
  if (!body || body.error) return true;
  return body.steps.some((s) => s.kind === 'raise' && (s.node?.elog_level === undefined || Number(s.node.elog_level) >= ERROR_LEVEL));
}

/** Privileges the last GRANT/REVOKE naming them left revoked (REVOKE ALL counts for each). */
function revokedPrivileges(table: TableModel): Set<string> {
  const revoked = new Set<string>();
  for (const g of table.grants) {
    for (const p of g.privileges) {
      const privs = p === 'all' ? ['update', 'delete', 'truncate'] : [p];
      for (const q of privs) {
        if (g.revoke) revoked.add(q);
        else revoked.delete(q);
      }
    }
  }
  return revoked;
}

interface Protection {
  update: boolean;
  delete: boolean;
  truncate: boolean;
}

function protection(context: FileContext, schema: SchemaModel, table: TableModel): Protection {
  const blocking = (t: TriggerModel) => t.timing === 'before' && functionRaises(context, schema, t.func);
  const guarded = (event: TriggerModel['events'][number]) => table.triggers.some((t) => t.events.includes(event) && blocking(t));
  const revoked = revokedPrivileges(table);
  return {
    update: guarded('update') || revoked.has('update'),
    delete: guarded('delete') || revoked.has('delete'),
    truncate: guarded('truncate') || revoked.has('truncate'),
  };
}

function guardSql(table: TableModel, p: Protection): string {
  const name = qualifiedName(table);
  const base = table.name.replace(/[^A-Za-z0-9_]/g, '_');
  const fn = 'forbid_ledger_mutation';
  const out = [
    `CREATE OR REPLACE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  RAISE EXCEPTION '% on % is not allowed: the ledger is append-only, post a reversing entry', TG_OP, TG_TABLE_NAME;\nEND $$;`,
  ];
  const rowEvents = [!p.update && 'UPDATE', !p.delete && 'DELETE'].filter(Boolean).join(' OR ');
  if (rowEvents) out.push(`CREATE TRIGGER ${quoteIdent(`${base}_append_only`)} BEFORE ${rowEvents} ON ${name} FOR EACH ROW EXECUTE FUNCTION ${fn}();`);
  if (!p.truncate) out.push(`CREATE TRIGGER ${quoteIdent(`${base}_no_truncate`)} BEFORE TRUNCATE ON ${name} FOR EACH STATEMENT EXECUTE FUNCTION ${fn}();`);
  return out.join('\n');
}

export default defineRule({
  meta: {
    id: 'ledger-append-only-not-enforced',
    category: 'ledger',
    severity: 'warning',
    description: 'A ledger table that nothing in the workspace keeps append-only: no BEFORE UPDATE/DELETE trigger that raises, or no BEFORE TRUNCATE trigger, and no REVOKE of those privileges.',
    rationale:
      'Code review keeps ledger writers honest only until the first hot fix run by hand or a buggy job: an UPDATE or DELETE on a posted entry silently changes every balance derived from it, and nothing records what the entry said before. The database is the one place that can refuse it for every client. A BEFORE UPDATE OR DELETE row trigger that raises does that, but row triggers do not fire on TRUNCATE (verified), so a separate BEFORE TRUNCATE statement trigger, or a REVOKE of UPDATE, DELETE and TRUNCATE from the roles that write, is needed too. The whole workspace counts: guards added by a later migration satisfy the rule.',
    messages: {
      notEnforced:
        '{{table}} looks like an append-only ledger but nothing in the workspace stops {{missing}} on it: a hot fix or a buggy job can rewrite posted entries and every balance derived from them, with no trace. Add a BEFORE UPDATE OR DELETE row trigger that raises, a BEFORE TRUNCATE statement trigger, or REVOKE UPDATE, DELETE, TRUNCATE from the roles that write.',
      truncateOpen:
        '{{table}} refuses UPDATE and DELETE, but TRUNCATE is still allowed: row triggers do not fire on TRUNCATE, so one statement can empty the ledger. Add a BEFORE TRUNCATE ... FOR EACH STATEMENT trigger that raises, or REVOKE TRUNCATE.',
    },
    fix: 'suggestion',
    languages: ['sql'],
    examples: {
      incorrect: [{ code: 'CREATE TABLE ledger_entries (id bigint PRIMARY KEY, account_id bigint NOT NULL, amount_minor bigint NOT NULL);' }],
      correct: [
        {
          code: "CREATE TABLE ledger_entries (id bigint PRIMARY KEY, account_id bigint NOT NULL, amount_minor bigint NOT NULL);\nCREATE FUNCTION forbid_ledger_mutation() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  RAISE EXCEPTION 'ledger_entries is append-only';\nEND $$;\nCREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries FOR EACH ROW EXECUTE FUNCTION forbid_ledger_mutation();\nCREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON ledger_entries FOR EACH STATEMENT EXECUTE FUNCTION forbid_ledger_mutation();",
        },
        { code: 'CREATE TABLE ledger_entries (id bigint PRIMARY KEY, amount_minor bigint NOT NULL);\nREVOKE UPDATE, DELETE, TRUNCATE ON ledger_entries FROM PUBLIC, app;' },
      ],
    },
  },
  scope: 'file',
  stateless: true,
  cache: 'file',
  create(context) {
    return {
      endFile() {
        const schema = workspaceSchema(context);
        for (const { table, span } of tablesNamedHere(context)) {
          if (!isLedgerTable(table.name, context.vocabulary)) continue;
          const p = protection(context, schema, table);
          if (p.update && p.delete && p.truncate) continue;
          const missing = [!p.update && 'UPDATE', !p.delete && 'DELETE', !p.truncate && 'TRUNCATE'].filter(Boolean) as string[];
          const messageId = missing.length === 1 && !p.truncate ? 'truncateOpen' : 'notEnforced';
          const created = table.created ? statementAt(context, table.created.span) : undefined;
          const fixes: Fix[] | undefined = created
            ? [{ title: `Make ${table.name} append-only with triggers that raise`, edits: [insertAfterStatement(context, created, guardSql(table, p))], preferred: true }]
            : undefined;
          context.report({ messageId, span, data: { table: qualifiedName(table), missing: missing.join(', ').replace(/, (\w+)$/, ' or $1') }, fixes });
        }
      },
    };
  },
});
