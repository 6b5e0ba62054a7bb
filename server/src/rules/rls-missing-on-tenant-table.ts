import { defineRule, type FileContext } from '../engine/rule';
import type { Fix, Span } from '../engine/types';
import { financialWord, tenantWord } from '../engine/vocabulary';
import type { ColumnModel, TableModel } from '../model/schema';
import { insertAfterStatement, newlineOf, statementAt, FrontEndTables } from './lib/schema-edits';
import { ownSpan, ownTables, qualifiedName, quoteIdent } from './lib/schema-workspace';
import { judgeTables } from './lib/per-table-findings';

export default defineRule({
  meta: {
    id: 'rls-missing-on-tenant-table',
    category: 'security',
    severity: 'error',
    description: 'A table with a tenant column on which no migration enables row level security, or a financial table whose RLS is not forced.',
    rationale:
      'When tenants share tables, one missing `WHERE merchant_id = $1` in one query shows a merchant another merchant\'s payments, or lets it refund them. Row level security makes PostgreSQL add the tenant filter to every query, whatever the application forgets. The table owner (usually the role migrations and often the app run as) bypasses RLS unless it is FORCEd. Wrap `current_setting()` in `(select ...)` so it is evaluated once per query, not once per row.',
    messages: {
      disabled:
        '{{table}} has a tenant column ({{column}}) but no migration enables row level security on it: a single query that forgets `WHERE {{column}} = ...` returns or changes other tenants\' rows. ENABLE and FORCE ROW LEVEL SECURITY and add a policy on {{column}}.',
      notForced:
        '{{table}} looks like a financial table and has row level security enabled but not forced: the table owner, often the role the application connects as, bypasses every policy, so tenant isolation silently does not apply. Add ALTER TABLE {{table}} FORCE ROW LEVEL SECURITY.',
    },
    fix: 'quickfix',
    languages: ['sql', 'typescript'],
    examples: {
      incorrect: [
        { code: 'CREATE TABLE payments (id bigint PRIMARY KEY, merchant_id bigint NOT NULL);' },
        {
          language: 'typescript',
          code: "import { bigint, pgTable } from 'drizzle-orm/pg-core';\nexport const merchantUsers = pgTable('merchant_users', {\n  id: bigint('id', { mode: 'number' }).primaryKey(),\n  merchantId: bigint('merchant_id', { mode: 'number' }).notNull(),\n});",
        },
      ],
      correct: [
        {
          code: "CREATE TABLE payments (id bigint PRIMARY KEY, merchant_id bigint NOT NULL);\nALTER TABLE payments ENABLE ROW LEVEL SECURITY;\nALTER TABLE payments FORCE ROW LEVEL SECURITY;\nCREATE POLICY payments_tenant ON payments USING (merchant_id = (select current_setting('app.tenant_id')::bigint));",
        },
        {
          language: 'typescript',
          code: "import { sql } from 'drizzle-orm';\nimport { bigint, pgPolicy, pgTable } from 'drizzle-orm/pg-core';\nexport const merchantUsers = pgTable('merchant_users', {\n  id: bigint('id', { mode: 'number' }).primaryKey(),\n  merchantId: bigint('merchant_id', { mode: 'number' }).notNull(),\n}, (t) => [pgPolicy('merchant_users_tenant', { using: sql`${t.merchantId} = (select current_setting('app.tenant_id')::bigint)` })]);",
        },
      ],
    },
  },
  scope: 'file',
  cache: 'file',
  stateless: true,
  create(context) {
    // Kept for the run and emptied for each file (startFile).
    const frontEnd = new FrontEndTables();
    return {
      startFile: () => frontEnd.clear(),
      table: frontEnd.collect,
      endFile() {
        judgeTables(context, ownTables(context), { tableOf: (t: TableModel) => t, reusable: frontEnd.isEmpty() }, (table, report) => {
          if (table.temporary || table.partitionOf) return;
          const tenant = [...table.columns.values()].find((c) => tenantWord(c.name, context.vocabulary));
          if (!tenant) return;
          const span = ownSpan(context, table.nameSpan) ?? ownSpan(context, tenant.source);
          if (!span) return;
          const data = { table: qualifiedName(table), column: tenant.name };
          const decl = frontEnd.get(table.name);
          if (!table.rlsEnabled) {
            const edits = decl?.edits?.enableRls();
            const fixes = decl ? edits && [{ title: `Enable row level security on ${table.name}`, edits, preferred: true }] : rlsFix(context, table, tenant, span, true);
            report({ messageId: 'disabled', span, data, fixes });
          } else if (!table.rlsForced && financialWord(table.name, context.vocabulary)) {
            // Drizzle cannot FORCE row level security: that takes a SQL migration, so no fix in TypeScript.
            report({ messageId: 'notForced', span, data, fixes: decl ? undefined : rlsFix(context, table, tenant, span, false) });
          }
        });
      },
    };
  },
});

const CASTS: Record<string, string> = { int2: '::smallint', int4: '::integer', int8: '::bigint', uuid: '::uuid', text: '', varchar: '' };

function rlsFix(context: FileContext, table: TableModel, tenant: ColumnModel, span: Span, enable: boolean): Fix[] | undefined {
  const stmt = statementAt(context, span);
  if (!stmt) return undefined;
  const name = qualifiedName(table);
  const col = quoteIdent(tenant.name);
  const lines: string[] = [];
  if (enable) lines.push(`ALTER TABLE ${name} ENABLE ROW LEVEL SECURITY;`);
  lines.push(`ALTER TABLE ${name} FORCE ROW LEVEL SECURITY;`);
  const cast = CASTS[tenant.type.name];
  if (table.policies.length === 0 && cast !== undefined) {
    const current = `(select current_setting('app.tenant_id')${cast})`;
    lines.push(`CREATE POLICY ${quoteIdent(`${table.name}_tenant_isolation`)} ON ${name} USING (${col} = ${current}) WITH CHECK (${col} = ${current});`);
  }
  const nl = newlineOf(context);
  return [{ title: enable ? `Enable and force row level security on ${table.name}` : `Force row level security on ${table.name}`, edits: [insertAfterStatement(context, stmt, lines.join(nl))], preferred: true }];
}
