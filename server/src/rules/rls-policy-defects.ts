import { defineRule } from '../engine/rule';
import type { Span } from '../engine/types';
import type { Statement } from '../sql/document';
import { tokenIndexAt } from '../sql/tokens';
import { funcName, nodeSpan } from './lib/ast';
import { ownSpan, ownTables, qualifiedName, workspaceSchema } from './lib/schema-workspace';
import { statementsWith } from './lib/statements-with';

/** Functions that read the caller's identity: constant within a query, so worth evaluating once. */
const IDENTITY_FUNCS = new Set(['current_setting', 'auth.uid', 'auth.jwt', 'auth.role', 'current_user_id', 'current_tenant_id']);

function qualifiedFunc(call: any): string {
  const names: string[] = (call?.funcname ?? []).map((n: any) => String(n?.String?.sval ?? '').toLowerCase());
  return names.filter((n) => n !== 'pg_catalog').join('.');
}

/** FuncCall nodes of identity functions that are not inside a scalar subquery `(select ...)`. */
function unwrappedCalls(node: unknown, out: any[], inSubquery = false, depth = 0): void {
  if (!node || typeof node !== 'object' || depth > 300) return;
  if (Array.isArray(node)) return node.forEach((n) => unwrappedCalls(n, out, inSubquery, depth + 1));
  const rec = node as Record<string, any>;
  if (rec.SubLink) return unwrappedCalls(rec.SubLink, out, true, depth + 1);
  if (rec.FuncCall && !inSubquery && IDENTITY_FUNCS.has(qualifiedFunc(rec.FuncCall))) out.push(rec.FuncCall);
  for (const v of Object.values(rec)) unwrappedCalls(v, out, inSubquery, depth + 1);
}

/** From the function name through its closing parenthesis (nodeSpan stops at a name when there are no arguments). */
function callSpan(stmt: Statement, call: any): Span {
  const span = nodeSpan(stmt, call);
  const tokens = stmt.tokens();
  let i = tokenIndexAt(tokens, span.start);
  while (i + 2 < tokens.length && tokens[i + 1].text === '.') i += 2;
  if (tokens[i + 1]?.text !== '(') return span;
  let depth = 0;
  for (let k = i + 1; k < tokens.length; k++) {
    if (tokens[k].text === '(') depth++;
    else if (tokens[k].text === ')' && --depth === 0) return { start: span.start, end: Math.max(span.end, tokens[k].end) };
  }
  return span;
}

const isTrue = (n: any) => n?.A_Const?.boolval?.boolval === true;

export default defineRule({
  meta: {
    id: 'rls-policy-defects',
    category: 'security',
    severity: 'warning',
    description: 'Row level security policies that let every row through for writes, sit on a table without RLS, lack WITH CHECK, or evaluate the tenant setting once per row.',
    rationale:
      'A policy is only as good as its expressions. `USING (true)` on a write command lets any tenant update or delete every other tenant\'s payments. A policy on a table where RLS was never enabled does nothing at all. Without an explicit WITH CHECK, an UPDATE policy reuses USING for new rows, so a later edit of USING silently changes which rows may be written. `current_setting()` or `auth.uid()` called directly is evaluated for every row scanned; wrapped in `(select ...)` it is an InitPlan computed once per query.',
    messages: {
      permissive:
        'Policy {{policy}} on {{table}} allows {{command}} with {{clause}} (true): any tenant can {{verb}} every row of {{table}}, including other tenants\' money. Compare the tenant column with the session\'s tenant instead.',
      rlsOff:
        'Policy {{policy}} on {{table}} has no effect: no migration enables row level security on {{table}}, so every row stays visible and writable to every tenant. Add ALTER TABLE {{table}} ENABLE ROW LEVEL SECURITY (and FORCE).',
      noWithCheck:
        'Policy {{policy}} on {{table}} ({{command}}) has no WITH CHECK: new row versions are checked against USING only implicitly, so a later change of USING silently changes which rows a tenant may write. State WITH CHECK, mirroring USING.',
      noPolicy:
        '{{table}} has row level security enabled but no policy in any migration: every role other than the owner sees no rows and cannot write any, so the application fails (or keeps connecting as the owner, which bypasses RLS). Add a policy on the tenant column.',
      unwrapped:
        '{{func}}() in policy {{policy}} on {{table}} is evaluated for every row the query scans: on a large {{table}} this makes every query slower. Wrap it as (select {{func}}(...)) so PostgreSQL computes it once per query.',
    },
    fix: 'quickfix',
    languages: ['sql'],
    examples: {
      incorrect: [{ code: 'CREATE TABLE payments (id bigint PRIMARY KEY, merchant_id bigint NOT NULL);\nALTER TABLE payments ENABLE ROW LEVEL SECURITY;\nCREATE POLICY open ON payments FOR UPDATE USING (true);' }],
      correct: [
        {
          code: "CREATE TABLE payments (id bigint PRIMARY KEY, merchant_id bigint NOT NULL);\nALTER TABLE payments ENABLE ROW LEVEL SECURITY;\nCREATE POLICY tenant ON payments FOR UPDATE USING (merchant_id = (select current_setting('app.tenant_id')::bigint)) WITH CHECK (merchant_id = (select current_setting('app.tenant_id')::bigint));",
        },
      ],
    },
  },
  scope: 'file',
  // Reports on the file's tables and policies, reading only them and the schema: findings reused
  // while they are unchanged.
  cache: 'file',
  stateless: true,
  create(context) {
    // The file's CREATE POLICY statements: made for each file (startFile).
    let policies: Array<{ stmt: Statement; node: any }> = [];
    const startFile = () => {
      policies = [];
    };
    return {
      ...statementsWith(['CreatePolicyStmt'], (stmt) => {
        const node = (stmt.ast as any)?.CreatePolicyStmt;
        if (node) policies.push({ stmt, node });
      }, startFile),
      endFile() {
        const schema = workspaceSchema(context);
        for (const t of ownTables(context)) {
          const span = ownSpan(context, t.nameSpan);
          if (span && t.rlsEnabled && t.policies.length === 0) context.report({ messageId: 'noPolicy', span, severity: 'info', data: { table: qualifiedName(t) } });
        }
        for (const { stmt, node } of policies) {
          const rel = node.table ?? {};
          const table = schema.table(rel.schemaname ? `${rel.schemaname}.${rel.relname}` : String(rel.relname ?? ''));
          const command = String(node.cmd_name ?? 'all');
          const data = { policy: String(node.policy_name ?? ''), table: table ? qualifiedName(table) : String(rel.relname ?? ''), command: command.toUpperCase() };
          if (table && !table.rlsEnabled) context.report({ messageId: 'rlsOff', span: stmt.firstLine(), severity: 'error', data });
          const writes = command !== 'select';
          // Restrictive policies only narrow access: `true` there is harmless.
          if (writes && node.permissive === true) {
            const clause = isTrue(node.qual) ? { c: 'USING', n: node.qual } : isTrue(node.with_check) ? { c: 'WITH CHECK', n: node.with_check } : undefined;
            if (clause) {
              const verb = command === 'insert' ? 'insert' : command === 'delete' ? 'delete' : command === 'update' ? 'update' : 'read and change';
              context.report({ messageId: 'permissive', span: nodeSpan(stmt, clause.n), severity: 'error', data: { ...data, clause: clause.c, verb } });
            }
          }
          if ((command === 'update' || command === 'all') && node.qual && !node.with_check && !isTrue(node.qual)) {
            context.report({ messageId: 'noWithCheck', span: stmt.firstLine(), data });
          }
          const calls: any[] = [];
          unwrappedCalls([node.qual, node.with_check], calls);
          for (const call of calls) {
            const span = callSpan(stmt, call);
            const text = context.file.text.slice(span.start, span.end);
            context.report({
              messageId: 'unwrapped',
              span,
              data: { ...data, func: qualifiedFunc(call) || funcName(call) },
              fixes: [{ title: `Evaluate ${qualifiedFunc(call)}() once per query`, edits: [{ start: span.start, end: span.end, newText: `(select ${text})` }], preferred: true }],
            });
          }
        }
      },
    };
  },
});
