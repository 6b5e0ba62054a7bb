import { defineRule } from '../engine/rule';
import type { ColumnDecl } from '../engine/decls';
import type { Statement } from '../sql/document';
import { tokenIndexAt } from '../sql/tokens';
import { SERIAL_TYPES } from '../sql/type-name';

const IDENTITY = 'bigint GENERATED ALWAYS AS IDENTITY';

/** Whether the column's own clauses (after its type) already say DEFAULT or GENERATED. */
function hasDefaultOrGenerated(decl: ColumnDecl, stmt: Statement | undefined): boolean {
  if (decl.defaultExpr !== undefined) return true;
  if (!stmt || decl.language !== 'sql') return false;
  const tokens = stmt.tokens();
  let depth = 0;
  for (let i = tokenIndexAt(tokens, decl.typeSpan.end); i < tokens.length; i++) {
    const t = tokens[i];
    if (t.text === '(') depth++;
    else if (t.text === ')' && depth-- === 0) break;
    else if (t.text === ',' && depth === 0) break;
    else if (depth === 0 && (t.keyword === 'default' || t.keyword === 'generated')) return true;
  }
  return false;
}

/**
 * Before PostgreSQL 17 a partitioned table's identity does not reach its partitions: an INSERT straight
 * into a partition fails with a NOT NULL violation (checked on 15), where serial's default still works.
 */
function isPartitioned(stmt: Statement | undefined): boolean {
  const cs: any = (stmt?.ast as any)?.CreateStmt;
  return !!(cs?.partspec || cs?.partbound);
}

/** Why no fix is offered, or undefined when the identity rewrite is valid SQL. */
function noFixReason(decl: ColumnDecl, stmt: Statement | undefined): string | undefined {
  if (decl.type.array) return 'arrays of serial do not exist';
  if (hasDefaultOrGenerated(decl, stmt)) return 'the column already has a DEFAULT or GENERATED clause';
  if (isPartitioned(stmt)) return 'before PostgreSQL 17 an identity on a partitioned table does not apply to rows inserted directly into a partition';
  return undefined;
}

export default defineRule({
  meta: {
    id: 'prefer-identity-over-serial',
    category: 'integrity',
    severity: 'info',
    description: '`serial` / `bigserial` / `smallserial` columns instead of `bigint GENERATED ALWAYS AS IDENTITY`.',
    rationale:
      '`serial` is a `DEFAULT nextval(...)` on a separately owned sequence: anyone can insert an explicit id that collides with a later `nextval`, copying the table with `CREATE TABLE ... (LIKE ...)` shares the old sequence, and permissions must be granted on the sequence separately. `serial` (int4) also runs out at 2,147,483,647 ids, a count a busy payments table reaches. `bigint GENERATED ALWAYS AS IDENTITY` is standard SQL, rejects explicit ids unless `OVERRIDING SYSTEM VALUE` is said, and ties the sequence to the column.',
    messages: {
      column:
        '{{table}}.{{column}} is {{type}}: a plain DEFAULT nextval() that explicit inserts can collide with{{width}}. Use bigint GENERATED ALWAYS AS IDENTITY (or BY DEFAULT when rows are loaded with their own ids).{{note}}',
    },
    fix: 'quickfix',
    languages: ['sql', 'typescript'],
    examples: {
      incorrect: [{ code: 'CREATE TABLE payments (id serial PRIMARY KEY, amount_minor bigint NOT NULL);' }],
      correct: [{ code: 'CREATE TABLE payments (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, amount_minor bigint NOT NULL);' }],
    },
  },
  scope: 'statement',
  create(context) {
    return {
      column(decl, stmt) {
        if (!SERIAL_TYPES.has(decl.type.name)) return;
        const reason = noFixReason(decl, stmt);
        const replacement = reason ? undefined : decl.retype(IDENTITY);
        const notes: string[] = [];
        // Both forms number every existing row: the fix does not make ADD COLUMN cheaper, and says so.
        if (decl.via === 'add-column') notes.push(' On an existing table either form fills every row, rewriting the table under an ACCESS EXCLUSIVE lock.');
        if (reason) notes.push(` No automatic fix: ${reason}.`);
        context.report({
          messageId: 'column',
          span: decl.span,
          data: {
            table: decl.table,
            column: decl.name,
            type: decl.type.written || decl.type.name,
            width: decl.type.name === 'serial8' ? '' : ', and its int4/int2 range runs out',
            note: notes.join(''),
          },
          fixes: replacement ? [{ title: `Change ${decl.table}.${decl.name} to ${IDENTITY}`, edits: [{ ...decl.typeSpan, newText: replacement }], preferred: true }] : undefined,
        });
      },
    };
  },
});
