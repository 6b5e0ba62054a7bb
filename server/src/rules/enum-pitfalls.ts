import { inTransactionUnit } from '../engine/concern-cache';
import { defineRule } from '../engine/rule';
import type { Span } from '../engine/types';
import type { Statement } from '../sql/document';
import { tokenIndexAt } from '../sql/tokens';
import { TransactionTracker } from './lib/migration-tx';
import { nameListKey } from '../model/schema-builder';
import { enumColumns } from '../model/replay-enum';
import type { EnumModel, SchemaModel } from '../model/schema';
import { statementsWith } from './lib/statements-with';

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

/** ` (columns of type x: payments.status, refunds.status)` when the workspace knows them, else ''. */
function usedBy(schema: SchemaModel, e: EnumModel | undefined): string {
  const cols = e ? enumColumns(schema, e) : [];
  if (cols.length === 0) return '';
  const shown = cols.length > 4 ? [...cols.slice(0, 4), `${cols.length - 4} more`] : cols;
  return ` (used by ${shown.join(', ')})`;
}

/** Where a label was declared, `0003_status.sql line 2`, for messages. */
function declaredAt(e: EnumModel, label: string, lineOf: (file: string, offset: number) => string): string {
  const v = e.values.find((x) => x.label === label);
  return v ? lineOf(v.source.file, v.source.span.start) : 'an earlier migration';
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
    description: 'Enum changes that surprise or fail: values appended without BEFORE/AFTER, renamed values, values added twice or next to a missing label, a new value used before the transaction that added it commits, and pgEnum edits that drizzle-kit turns into a failing migration or a rewrite of every table using the type.',
    rationale:
      'Enum values sort and compare in declaration order, not alphabetically: a value added without BEFORE/AFTER goes last, so `ORDER BY status` and comparisons such as `status > \'settled\'` treat it as the greatest (*verified*). `RENAME VALUE` keeps stored rows but breaks every literal of the old label in application code and function bodies ("invalid input value for enum", 22P02, *verified*), so payments whose code still writes the old status fail until every caller is deployed. A value added inside a transaction cannot be used before that transaction commits: PostgreSQL rejects inserts, comparisons, defaults and partial indexes that use it with "unsafe use of new value" (55P04, *verified*), so a migration that adds a status and backfills it in one transaction (or under a runner that wraps files, such as `drizzle-kit migrate`) fails at deploy. `ADD VALUE` of a label the enum already has fails without IF NOT EXISTS (42710), and so does BEFORE/AFTER a label it lacks (22023, both *verified*); with the workspace model the rule knows the enum from earlier migrations and names the columns that use it. On Drizzle, the `pgEnum` array is compared with the enum the SQL migrations declare: drizzle-kit writes `ADD VALUE \'x\' BEFORE \'next\'` for a label that is not last (it shifts sort order) and fails the deploy when the same run defaults to it; PostgreSQL cannot drop or reorder labels, so for a removed, renamed or moved label drizzle-kit converts every column of the type to text, recreates the type and converts back: a table rewrite under ACCESS EXCLUSIVE per table, failing with 22P02 while rows still hold a removed label (*verified*). For states that change often, a `text` column with a CHECK or a lookup table changes without ALTER TYPE.',
    messages: {
      append:
        "ALTER TYPE {{type}} ADD VALUE '{{value}}' appends the value at the end: enum values sort and compare in declaration order, so ORDER BY on {{type}} columns{{usedBy}} and comparisons like > '{{value}}' treat it as the greatest value. If the order matters, add it BEFORE or AFTER an existing value; if the states keep changing, a text column with a CHECK or a lookup table avoids ALTER TYPE.{{hint}}",
      renameValue:
        "Renaming value '{{old}}' of enum {{type}} to '{{new}}' keeps {{rows}} but breaks every literal '{{old}}' still in application code, function bodies and reports: they fail with \"invalid input value for enum\" until every caller is deployed. Add '{{new}}', migrate rows and code, then stop using '{{old}}'; for fast-changing states prefer text with a CHECK or a lookup table.",
      duplicateValue:
        "ALTER TYPE {{type}} ADD VALUE '{{value}}' fails: the enum already has '{{value}}' (declared in {{at}}), and without IF NOT EXISTS PostgreSQL rejects it (42710 duplicate_object), so the migration stops at deploy. Drop the statement, or write ADD VALUE IF NOT EXISTS.",
      missingNeighbor:
        "ALTER TYPE {{type}} ADD VALUE '{{value}}' places it next to '{{neighbor}}', which {{type}} does not have (its labels: {{labels}}): PostgreSQL rejects the statement (22023 \"is not an existing enum label\"), so the migration stops at deploy. Name an existing label in BEFORE/AFTER.",
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
  // Enum DDL and transaction statements; a value added in a transaction is unsafe to use only in
  // that transaction, so other statements matter only inside one. unsafeUse cites the ADD VALUE's line.
  concerns(stmt, context) {
    const ast = stmt.ast as any;
    if (!ast) return false;
    return !!(ast.TransactionStmt || ast.CreateEnumStmt || ast.AlterEnumStmt) || inTransactionUnit(stmt, context);
  },
  citesLines: true,
  stateless: true,
  create(context) {
    // Made for each file (startFile).
    let tx!: TransactionTracker;
    // Values added to a type created in the same transaction are usable at once (*verified*).
    let createdIn!: Map<string, string>;
    let pending: NewValue[] = [];
    const lineOf = (offset: number) => context.file.lines.positionAt(offset).line + 1;
    const where = (file: string, offset: number) => (file === context.file.path ? `line ${lineOf(offset)}` : (file.split(/[\\/]/).at(-1) ?? file));

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

    /** ADD VALUE against the enum as the workspace knows it just before this statement. */
    const checkAdd = (stmt: Statement, alter: any, type: string, span: Span): boolean => {
      const before = context.schemaBefore(stmt.index);
      const known = before.enumType(nameListKey(alter.typeName));
      const value = String(alter.newVal);
      if (known && !alter.skipIfNewValExists && known.values.some((v) => v.label === value)) {
        context.report({ messageId: 'duplicateValue', span, severity: 'error', data: { type, value, at: declaredAt(known, value, where) } });
        return false;
      }
      const neighbor = alter.newValNeighbor;
      if (known?.created && neighbor !== undefined && !known.values.some((v) => v.label === neighbor)) {
        context.report({ messageId: 'missingNeighbor', span, severity: 'error', data: { type, value, neighbor, labels: known.values.map((v) => `'${v.label}'`).join(', ') } });
        return false;
      }
      if (!neighbor) {
        const hint = context.fileInfo.migrationFolder?.convention === 'drizzle-kit' ? " drizzle-kit writes ADD VALUE without BEFORE for a value at the end of the pgEnum array: put it where it belongs in the array before generating." : '';
        context.report({ messageId: 'append', span, data: { type, value, usedBy: usedBy(before, known), hint } });
      }
      return true;
    };

    const startFile = () => {
      tx = new TransactionTracker(context.fileInfo);
      createdIn = new Map();
      pending = [];
    };
    return statementsWith(['TransactionStmt', 'CreateEnumStmt', 'AlterEnumStmt', 'A_Const'], (stmt) => {
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
        if (context.fileInfo.role === 'down') return;
        const known = context.schemaBefore(stmt.index).enumType(nameListKey(alter.typeName));
        const cols = known ? enumColumns(context.schemaBefore(stmt.index), known) : [];
        const rows = cols.length ? `the stored rows of ${cols.join(', ')}` : 'the stored rows';
        context.report({ messageId: 'renameValue', span: stmt.firstLine(), data: { type, old: alter.oldVal, new: String(alter.newVal ?? ''), rows } });
        return;
      }
      if (alter.newVal === undefined) return;
      const span = addValueSpan(stmt);
      if (!checkAdd(stmt, alter, type, span)) return;
      if (tx.inTransaction && createdIn.get(typeKey(type)) !== tx.transactionKey) {
        pending.push({ type: typeKey(type), shown: type, value: alter.newVal, tx: tx.transactionKey, line: lineOf(span.start) });
      }
    }, startFile);
  },
});
