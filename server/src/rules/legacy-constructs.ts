import { defineRule } from '../engine/rule';
import type { Span } from '../engine/types';
import type { Statement } from '../sql/document';
import { tokenIndexAt } from '../sql/tokens';
import { relName } from './lib/ast';
import { alterCmds } from './lib/migration-ast';

const EVENTS: Record<string, string> = { CMD_SELECT: 'SELECT', CMD_UPDATE: 'UPDATE', CMD_INSERT: 'INSERT', CMD_DELETE: 'DELETE' };

/** `INHERITS (a, b)`: from the keyword through its closing parenthesis. */
function inheritsSpan(stmt: Statement): Span {
  const tokens = stmt.tokens();
  const from = tokenIndexAt(tokens, stmt.segment.start);
  const k = tokens.findIndex((t, i) => i >= from && t.keyword === 'inherits');
  if (k < 0) return stmt.firstLine();
  let depth = 0;
  for (let i = k + 1; i < tokens.length; i++) {
    if (tokens[i].text === '(') depth++;
    else if (tokens[i].text === ')' && --depth === 0) return { start: tokens[k].start, end: tokens[i].end };
  }
  return { start: tokens[k].start, end: tokens[k].end };
}

export default defineRule({
  meta: {
    id: 'legacy-constructs',
    category: 'integrity',
    severity: 'warning',
    description: 'Rewrite rules (`CREATE RULE`) and table inheritance (`INHERITS`), which silently bypass the guarantees that protect money.',
    rationale:
      'A rule rewrites the statement before it runs: `DO INSTEAD NOTHING` makes an UPDATE report success with 0 rows (*verified*), so a write that should fail loudly is dropped silently, and `COPY` ignores rules altogether (PostgreSQL documentation), so a rule meant to protect a ledger is bypassed by bulk loads. Volatile expressions such as `nextval()` are evaluated again in each rewritten query. With `INHERITS`, PRIMARY KEY, UNIQUE and FOREIGN KEY constraints do not span the parent and its children: the same id can exist twice (*verified*: a child row repeated the parent\'s primary key), idempotency keys stop being unique, and foreign keys to the parent reject rows stored in a child (*verified*). Use triggers instead of rules, and declarative partitioning (`PARTITION BY` / `PARTITION OF`) instead of inheritance.',
    messages: {
      rule:
        'CREATE RULE {{rule}} rewrites every {{event}} on {{table}} before it runs:{{instead}} COPY ignores rules entirely, and volatile expressions (nextval(), now()) are evaluated again in the rewritten query. Use a trigger (BEFORE {{event}} ... FOR EACH ROW that raises or writes), or INSTEAD OF triggers on a view.',
      inherits:
        '{{table}} inherits from {{parents}}: PRIMARY KEY, UNIQUE and FOREIGN KEY constraints do not span parent and children, so the same id or idempotency key can be stored twice and foreign keys to {{parents}} reject rows that live in {{table}}. Use declarative partitioning (PARTITION BY on the parent, PARTITION OF for each part), or separate tables.',
    },
    fix: 'none',
    languages: ['sql'],
    examples: {
      incorrect: [
        { code: 'CREATE RULE ledger_entries_no_update AS ON UPDATE TO ledger_entries DO INSTEAD NOTHING;' },
        { code: 'CREATE TABLE payments_2025 (CHECK (created_at >= \'2025-01-01\')) INHERITS (payments);' },
      ],
      correct: [
        { code: 'CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE ON ledger_entries FOR EACH ROW EXECUTE FUNCTION forbid_mutation();' },
        { code: "CREATE TABLE payments_2025 PARTITION OF payments FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');" },
      ],
    },
  },
  scope: 'statement',
  create(context) {
    return {
      RuleStmt(ref, stmt) {
        const r = ref.node;
        const event = EVENTS[r?.event] ?? 'statement';
        const nothing = r?.instead && !(r.actions?.length > 0);
        context.report({
          messageId: 'rule',
          span: stmt.firstLine(),
          data: {
            rule: String(r?.rulename ?? ''),
            event,
            table: relName(r?.relation),
            instead: nothing ? ` DO INSTEAD NOTHING makes the ${event} report success with 0 rows while changing nothing, so a write that should fail is dropped silently;` : '',
          },
        });
      },
      CreateStmt(ref, stmt) {
        const cs = ref.node;
        // PARTITION OF children also list their parent in inhRelations: that is declarative partitioning.
        if (cs?.partbound || !(cs?.inhRelations?.length > 0)) return;
        const parents = cs.inhRelations.map((p: any) => relName(p?.RangeVar)).join(', ');
        context.report({ messageId: 'inherits', span: inheritsSpan(stmt), data: { table: relName(cs.relation), parents } });
      },
      AlterTableStmt(ref, stmt) {
        for (const { cmd, span } of alterCmds(stmt)) {
          if (cmd.subtype !== 'AT_AddInherit') continue;
          context.report({ messageId: 'inherits', span, data: { table: relName(ref.node?.relation), parents: relName(cmd.def?.RangeVar) } });
        }
      },
    };
  },
});
