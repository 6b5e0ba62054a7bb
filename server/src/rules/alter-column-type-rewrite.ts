import { defineRule } from '../engine/rule';
import { financialWord } from '../engine/vocabulary';
import type { TypeRef } from '../model/schema';
import { rangeVarKey as tableKeyOf } from '../model/schema-builder';
import type { Statement } from '../sql/document';
import { typeRefOf } from '../sql/type-name';
import { alterCmds, tableName } from './lib/migration-ast';
import { memoOnStatement, unmoved } from './lib/statement-memo';
import { statementsWith } from './lib/statements-with';

/**
 * The type a column definition of the statement names. It depends on the statement's text only,
 * not where it lies: kept per parse entry, so a DDL edit above every ALTER TABLE of a long file
 * does not shift each one's tokens again to read types it read before (5 ms of a 10k-statement
 * DDL keystroke).
 */
function definedType(stmt: Statement, typeName: any, text: string): TypeRef {
  const types = memoOnStatement(stmt, 'alter-column-type-rewrite:types', () => new Map<object, TypeRef>(), unmoved);
  let type = types.get(typeName);
  if (!type) types.set(typeName, (type = typeRefOf(typeName, stmt, text).type));
  return type;
}

const UTC = new Set(['utc', 'etc/utc', 'gmt', 'z', 'zulu', 'universal', 'etc/universal']);

/** Whether changing `from` to `to` only updates the catalog (PostgreSQL checks binary coercibility). */
function isSafeWidening(from: TypeRef, to: TypeRef): boolean {
  if (from.array || to.array) return false;
  const [fromLen] = from.mods;
  const [toLen] = to.mods;
  if (from.name === to.name && from.mods.join() === to.mods.join()) return true;
  if (from.name === 'varchar' && to.name === 'text') return true;
  if (from.name === 'text' && to.name === 'varchar' && to.mods.length === 0) return true;
  if (from.name === 'cidr' && to.name === 'inet') return true;
  if (from.name === 'varbit' && to.name === 'varbit') return toLen === undefined || (fromLen !== undefined && toLen >= fromLen);
  if (from.name === 'varchar' && to.name === 'varchar') return toLen === undefined || (fromLen !== undefined && toLen >= fromLen);
  if (from.name === 'numeric' && to.name === 'numeric') {
    if (to.mods.length === 0) return true;
    if (from.mods.length === 0) return false;
    return to.mods[0] >= from.mods[0] && (to.mods[1] ?? 0) === (from.mods[1] ?? 0);
  }
  return false;
}

export default defineRule({
  meta: {
    id: 'alter-column-type-rewrite',
    category: 'migration',
    severity: 'warning',
    description: 'ALTER COLUMN ... TYPE on an existing table that rewrites the table and its indexes under an exclusive lock.',
    rationale:
      'Most type changes rewrite every row and rebuild every index while holding an ACCESS EXCLUSIVE lock: on a payments or ledger table that is an outage for the length of a full copy. Only binary-coercible changes skip the rewrite: `varchar(n)` to a longer or unconstrained `varchar` or to `text`, `text` to unconstrained `varchar`, `numeric(p,s)` to a higher precision at the same scale or to unconstrained `numeric`, and `timestamp` to `timestamptz` when the session time zone is UTC (PostgreSQL 12+); `int` to `bigint` and `char(n)` to `text` rewrite. The old type is the one the earlier migrations (and the earlier statements of this file) left, not the end state of the workspace. Anything else goes through expand/contract: add a new column, dual-write, backfill in batches, switch reads, drop the old column.',
    messages: {
      rewrite:
        'Changing {{table}}.{{column}} from {{from}} to {{to}} rewrites every row of {{table}} and rebuilds its indexes under an ACCESS EXCLUSIVE lock: all reads and writes wait for the copy. Use expand/contract: add a new {{to}} column, dual-write, backfill in batches, switch reads, then drop {{column}}.',
      unknown:
        'ALTER COLUMN {{column}} TYPE {{to}} on the existing table {{table}} may rewrite every row and rebuild its indexes under an ACCESS EXCLUSIVE lock (no migration in the workspace declares {{table}}.{{column}}, so its old type is unknown; only widening varchar or numeric precision, or varchar to text, skips the rewrite). If it is not such a widening, use expand/contract: new column, dual-write, backfill in batches, switch, drop.',
      timestamptz:
        'Changing {{table}}.{{column}} from timestamp to timestamptz skips the table rewrite only when the session time zone is UTC (PostgreSQL 12+); otherwise every row of {{table}} is rewritten under an ACCESS EXCLUSIVE lock and the stored instants are reinterpreted in the server time zone. Run SET LOCAL timezone = \'UTC\' before it in the same transaction.',
    },
    fix: 'none',
    languages: ['sql'],
    examples: {
      incorrect: [{ code: 'ALTER TABLE payments ALTER COLUMN amount_minor TYPE numeric(19,4);' }],
      correct: [{ code: 'CREATE TABLE notes (id bigint, body varchar(200));\nALTER TABLE notes ALTER COLUMN body TYPE text;' }, { code: '-- expand: a new column next to the old one, backfilled in batches later\nALTER TABLE payments ADD COLUMN amount_v2 numeric(19,4);' }],
    },
  },
  scope: 'file',
  // Reads its ALTER TABLE, SET timezone before it and the schema: findings reused while the
  // file's DDL and SET statements are unchanged.
  cache: 'file',
  stateless: true,
  // Each finding lies in its statement and follows from it, the tables it names and the control statements.
  byStatement: true,
  create(context) {
    // Set for each file (startFile).
    let utc = false;
    const startFile = () => {
      utc = false;
    };
    return statementsWith(['VariableSetStmt', 'AlterTableStmt'], (stmt) => {
      const set = (stmt.ast as any)?.VariableSetStmt;
      if (set?.name === 'timezone') utc = UTC.has(String(set.args?.[0]?.A_Const?.sval?.sval ?? '').toLowerCase());
      const alter = (stmt.ast as any)?.AlterTableStmt;
      if (!alter || context.keeps?.(stmt)) return;
      const table = tableName(alter.relation);
      if (!table) return;
      const existing = context.isExistingTable(table, stmt.index);
      const severity = financialWord(table, context.vocabulary) ? 'error' : undefined;
      /** Column types set by earlier commands of this same ALTER TABLE. */
      const inStatement = new Map<string, TypeRef>();
      // The schema before this statement: earlier migrations and this file's earlier statements.
      // Not `context.schema`, the end state, where later migrations may have changed the type again.
      const oldType = (column: string): TypeRef | undefined =>
        inStatement.get(column) ?? context.schemaBefore(stmt.index).table(tableKeyOf(alter.relation))?.columns.get(column)?.type;
      for (const item of alterCmds(stmt)) {
        const { cmd } = item;
        const cd = cmd.def?.ColumnDef;
        if (cmd.subtype === 'AT_AddColumn' && cd?.colname && cd.typeName) {
          inStatement.set(cd.colname, definedType(stmt, cd.typeName, context.file.text));
          continue;
        }
        if (cmd.subtype !== 'AT_AlterColumnType' || typeof cmd.name !== 'string' || !cd?.typeName) continue;
        const column = cmd.name;
        const to = definedType(stmt, cd.typeName, context.file.text);
        if (!existing) {
          inStatement.set(column, to);
          continue;
        }
        const from = oldType(column);
        inStatement.set(column, to);
        const toText = to.written || to.name;
        const hasUsing = !!cd.raw_default;
        if (!from) {
          context.report({ messageId: 'unknown', span: item.span, data: { table, column, to: toText }, severity });
        } else if (from.name === 'timestamp' && to.name === 'timestamptz' && !from.array && !to.array && !hasUsing) {
          if (!utc) context.report({ messageId: 'timestamptz', span: item.span, data: { table, column }, severity });
        } else if (hasUsing || !isSafeWidening(from, to)) {
          context.report({ messageId: 'rewrite', span: item.span, data: { table, column, from: from.written || from.name, to: toText }, severity });
        }
      }
    }, startFile);
  },
});
