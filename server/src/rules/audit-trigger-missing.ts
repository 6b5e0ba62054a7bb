import { defineRule, type FileContext } from '../engine/rule';
import type { Fix } from '../engine/types';
import { financialWord, isLedgerTable, wordsOf, type Vocabulary } from '../engine/vocabulary';
import type { SchemaModel, TableModel } from '../model/schema';
import { plpgsqlBody } from '../sql/plpgsql';
import { relName } from './lib/ast';
import { insertAfterStatement, statementAt } from './lib/schema-edits';
import { tablesNamedHere, qualifiedName, quoteIdent, workspaceSchema } from './lib/schema-workspace';
import { judgeTables } from './lib/per-table-findings';

/** Configuration-like money tables the catalogue names besides FIN_TABLE: fee schedules, limits, rates, pricing. */
const MUTABLE_MONEY_WORDS = new Set(['fee', 'fees', 'limit', 'limits', 'rate', 'rates', 'pricing', 'price', 'prices', 'payout', 'payouts', 'tariff', 'tariffs']);
/** Tables that are themselves the history. */
const AUDIT_WORDS = new Set(['audit', 'audits', 'history', 'histories', 'log', 'logs', 'changes', 'versions', 'archive', 'events', 'outbox']);

function isAuditName(name: string): boolean {
  return wordsOf(name).some((w) => AUDIT_WORDS.has(w));
}

function isMutableMoneyTable(name: string, vocab: Vocabulary): boolean {
  if (isLedgerTable(name, vocab) || isAuditName(name)) return false;
  return !!financialWord(name, vocab) || wordsOf(name).some((w) => MUTABLE_MONEY_WORDS.has(w));
}

/**
 * Whether a trigger function writes to an audit/history table. A function declared in this file is
 * read; one declared elsewhere cannot be seen and is trusted.
 */
function writesAudit(context: FileContext, schema: SchemaModel, name: string): boolean {
  const fn = schema.functions.get(name);
  if (!fn || fn.source.file !== context.file.path) return true;
  const stmt = statementAt(context, fn.source.span);
  const body = stmt ? plpgsqlBody(stmt) : undefined;
  if (!body || body.error) return true;
  return body.steps.some((s) => {
    const ins = (s.statement?.ast as any)?.InsertStmt;
    return !!ins && isAuditName(relName(ins.relation));
  });
}

function auditSql(table: TableModel): string {
  const base = table.name.replace(/[^A-Za-z0-9_]/g, '_');
  return [
    'CREATE TABLE IF NOT EXISTS audit_log (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, table_name text NOT NULL, op text NOT NULL, old_row jsonb, new_row jsonb, actor text NOT NULL DEFAULT current_user, at timestamptz NOT NULL DEFAULT clock_timestamp());',
    'CREATE OR REPLACE FUNCTION audit_row_change() RETURNS trigger LANGUAGE plpgsql AS $$',
    'BEGIN',
    '  INSERT INTO audit_log (table_name, op, old_row, new_row)',
    "  VALUES (TG_TABLE_NAME, TG_OP, CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END, CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END);",
    '  RETURN NULL;',
    'END $$;',
    `CREATE TRIGGER ${quoteIdent(`${base}_audit`)} AFTER INSERT OR UPDATE OR DELETE ON ${qualifiedName(table)} FOR EACH ROW EXECUTE FUNCTION audit_row_change();`,
  ].join('\n');
}

export default defineRule({
  meta: {
    id: 'audit-trigger-missing',
    category: 'ledger',
    severity: 'info',
    description: 'A mutable financial table (accounts, wallets, fee schedules, limits, rates, payout methods) with no row trigger on INSERT, UPDATE and DELETE that writes to an audit or history table.',
    rationale:
      'Ledgers keep their own history; the tables around them do not. When a fee rate, a credit limit, a payout bank account or a balance is overwritten, the old value is gone: nobody can tell who changed a merchant\'s payout IBAN before funds went missing, or which commission rate applied to last month\'s invoices. Application-level logging misses manual fixes and other services. A row trigger on INSERT, UPDATE and DELETE that writes the old and new rows as jsonb, the actor and `clock_timestamp()` into an append-only audit table records every change, whoever made it.',
    messages: {
      missing:
        '{{table}} looks like a mutable financial table, but no row trigger records {{missing}} into an audit or history table: when a rate, limit, balance or payout account is overwritten, the old value and who changed it are lost. Add an AFTER INSERT OR UPDATE OR DELETE ... FOR EACH ROW trigger writing to_jsonb(OLD), to_jsonb(NEW), the actor and clock_timestamp() into an append-only audit table.',
    },
    fix: 'suggestion',
    languages: ['sql'],
    examples: {
      incorrect: [{ code: 'CREATE TABLE fee_schedules (id bigint PRIMARY KEY, merchant_id bigint NOT NULL, fee_bps integer NOT NULL);' }],
      correct: [
        {
          code: "CREATE TABLE fee_schedules (id bigint PRIMARY KEY, merchant_id bigint NOT NULL, fee_bps integer NOT NULL);\nCREATE TABLE audit_log (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, table_name text, op text, old_row jsonb, new_row jsonb, at timestamptz DEFAULT clock_timestamp());\nCREATE FUNCTION audit_row_change() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  INSERT INTO audit_log (table_name, op, old_row, new_row) VALUES (TG_TABLE_NAME, TG_OP, to_jsonb(OLD), to_jsonb(NEW));\n  RETURN NULL;\nEND $$;\nCREATE TRIGGER fee_schedules_audit AFTER INSERT OR UPDATE OR DELETE ON fee_schedules FOR EACH ROW EXECUTE FUNCTION audit_row_change();",
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
        const schema = workspaceSchema(context);
        // writesAudit reads functions, file-wide DDL that resets the reuse of unchanged tables' findings.
        judgeTables(context, tablesNamedHere(context), { tableOf: (x) => x.table }, ({ table, span }, report) => {
          if (!isMutableMoneyTable(table.name, context.vocabulary)) return;
          const covered = new Set<string>();
          for (const t of table.triggers) {
            if (t.level === 'row' && writesAudit(context, schema, t.func)) for (const e of t.events) covered.add(e);
          }
          const missing = (['insert', 'update', 'delete'] as const).filter((e) => !covered.has(e)).map((e) => e.toUpperCase());
          if (!missing.length) return;
          const created = table.created ? statementAt(context, table.created.span) : undefined;
          const fixes: Fix[] | undefined = created ? [{ title: `Audit every change of ${table.name} into audit_log`, edits: [insertAfterStatement(context, created, auditSql(table))], preferred: true }] : undefined;
          report({ messageId: 'missing', span, data: { table: qualifiedName(table), missing: missing.join(', ').replace(/, (\w+)$/, ' or $1') }, fixes });
        });
      },
    };
  },
});
