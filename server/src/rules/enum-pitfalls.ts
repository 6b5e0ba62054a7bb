import { defineRule } from '../engine/rule';
import type { Span } from '../engine/types';
import type { Statement } from '../sql/document';
import { tokenIndexAt } from '../sql/tokens';
import { TransactionTracker } from './lib/migration-tx';

function typeName(names: unknown): string {
  return Array.isArray(names) ? names.map((n: any) => String(n?.String?.sval ?? '')).join('.') : '';
}

/** Enum types are compared by their last name part, lower-cased as PostgreSQL folds unquoted names. */
function typeKey(name: string): string {
  return (name.split('.').at(-1) ?? name).toLowerCase();
}

/** `ADD VALUE [IF NOT EXISTS] 'x'`: from ADD through the new value's literal. */
function addValueSpan(stmt: Statement): Span {
  const tokens = stmt.tokens();
  for (let i = tokenIndexAt(tokens, stmt.segment.start); i < tokens.length; i++) {
    if (tokens[i].keyword !== 'add') continue;
    const literal = tokens.slice(i + 1).find((t) => t.kind === 'string');
    if (literal) return { start: tokens[i].start, end: literal.end };
  }
  return stmt.firstLine();
}

interface NewValue {
  /** typeKey() of the enum, and its name as written for messages. */
  type: string;
  shown: string;
  value: string;
  /** The transaction it was added in (TransactionTracker key). */
  tx: string;
  line: number;
}

export default defineRule({
  meta: {
    id: 'enum-pitfalls',
    category: 'integrity',
    severity: 'info',
    description: 'Enum changes that surprise: values appended without BEFORE/AFTER, renamed values, and a new value used before the transaction that added it commits.',
    rationale:
      'Enum values sort and compare in declaration order, not alphabetically: a value added without BEFORE/AFTER goes last, so `ORDER BY status` and comparisons such as `status > \'settled\'` treat it as the greatest (*verified*). `RENAME VALUE` keeps stored rows but breaks every literal of the old label in application code and function bodies ("invalid input value for enum", 22P02, *verified*), so payments whose code still writes the old status fail until every caller is deployed. A value added inside a transaction cannot be used before that transaction commits: PostgreSQL rejects inserts, comparisons, defaults and partial indexes that use it with "unsafe use of new value" (55P04, *verified*), so a migration that adds a status and backfills it in one transaction (or under a runner that wraps files, such as `drizzle-kit migrate`) fails at deploy. For states that change often, a `text` column with a CHECK or a lookup table changes without ALTER TYPE.',
    messages: {
      append:
        "ALTER TYPE {{type}} ADD VALUE '{{value}}' appends the value at the end: enum values sort and compare in declaration order, so ORDER BY {{type}} columns and comparisons like > '{{value}}' treat it as the greatest value. If the order matters, add it BEFORE or AFTER an existing value; if the states keep changing, a text column with a CHECK or a lookup table avoids ALTER TYPE.",
      renameValue:
        "Renaming value '{{old}}' of enum {{type}} to '{{new}}' keeps the stored rows but breaks every literal '{{old}}' still in application code, function bodies and reports: they fail with \"invalid input value for enum\" until every caller is deployed. Add '{{new}}', migrate rows and code, then stop using '{{old}}'; for fast-changing states prefer text with a CHECK or a lookup table.",
      unsafeUse:
        "'{{value}}' looks like a use of the value added to enum {{type}} on line {{line}} in the same transaction ({{why}}): PostgreSQL rejects it with \"unsafe use of new value\" (55P04) until the ADD VALUE commits, so the migration fails at deploy. Put the ADD VALUE in its own migration that commits first (or outside BEGIN ... COMMIT).",
    },
    fix: 'none',
    languages: ['sql'],
    examples: {
      incorrect: [{ code: "BEGIN;\nALTER TYPE payment_status ADD VALUE 'refunded' AFTER 'settled';\nUPDATE payments SET status = 'refunded' WHERE refunded_at IS NOT NULL;\nCOMMIT;" }],
      correct: [{ code: "ALTER TYPE payment_status ADD VALUE IF NOT EXISTS 'refunded' AFTER 'settled';" }],
    },
  },
  scope: 'file',
  create(context) {
    const tx = new TransactionTracker(context.fileInfo);
    // Values added to a type created in the same transaction are usable at once (*verified*).
    const createdIn = new Map<string, string>();
    let pending: NewValue[] = [];
    const lineOf = (offset: number) => context.file.lines.positionAt(offset).line + 1;

    const checkUses = (stmt: Statement) => {
      const current = pending.filter((p) => p.tx === tx.transactionKey);
      if (current.length === 0 || !stmt.ast) return;
      const reported = new Set<string>();
      for (const ref of stmt.nodes().get('A_Const') ?? []) {
        const value = ref.node?.sval?.sval;
        const hit = typeof value === 'string' ? current.find((p) => p.value === value) : undefined;
        if (!hit || reported.has(value)) continue;
        // `'x'::text` is a string, not the enum; `'x'::payment_status` is the enum.
        const cast = ref.parent?.type === 'TypeCast' ? typeKey(typeName(ref.parent.node?.typeName?.names)) : undefined;
        if (cast !== undefined && cast !== hit.type) continue;
        const at = typeof ref.node?.location === 'number' && ref.node.location >= 0 ? stmt.at(ref.node.location) : undefined;
        const token = at === undefined ? undefined : stmt.tokens()[tokenIndexAt(stmt.tokens(), at)];
        reported.add(value);
        context.report({ messageId: 'unsafeUse', span: token ? { start: token.start, end: token.end } : stmt.firstLine(), data: { value, type: hit.shown, line: hit.line, why: tx.why } });
      }
    };

    return {
      statement(stmt) {
        tx.see(stmt);
        pending = pending.filter((p) => p.tx === tx.transactionKey);
        const ast = stmt.ast as any;
        if (ast?.CreateEnumStmt) {
          createdIn.set(typeKey(typeName(ast.CreateEnumStmt.typeName)), tx.transactionKey);
          return;
        }
        const alter = ast?.AlterEnumStmt;
        if (!alter) {
          checkUses(stmt);
          return;
        }
        const type = typeName(alter.typeName);
        if (alter.oldVal !== undefined) {
          if (context.fileInfo.role !== 'down') context.report({ messageId: 'renameValue', span: stmt.firstLine(), data: { type, old: alter.oldVal, new: String(alter.newVal ?? '') } });
          return;
        }
        if (alter.newVal === undefined) return;
        const span = addValueSpan(stmt);
        if (!alter.newValNeighbor) context.report({ messageId: 'append', span, data: { type, value: alter.newVal } });
        if (tx.inTransaction && createdIn.get(typeKey(type)) !== tx.transactionKey) {
          pending.push({ type: typeKey(type), shown: type, value: alter.newVal, tx: tx.transactionKey, line: lineOf(span.start) });
        }
      },
    };
  },
});
