import { defineRule } from '../engine/rule';
import type { Fix } from '../engine/types';
import type { Statement } from '../sql/document';
import { alterCmds, columnConstraints, quoteIdent, tableName, writtenName, type AlterCmd } from './lib/migration-ast';
import { TransactionTracker } from './lib/migration-tx';
import { statementsWith } from './lib/statements-with';

const KIND: Record<string, string> = { CONSTR_UNIQUE: 'UNIQUE', CONSTR_PRIMARY: 'PRIMARY KEY' };
const keyNames = (con: any): string[] => (con?.keys ?? []).map((k: any) => String(k?.String?.sval ?? ''));

export default defineRule({
  meta: {
    id: 'add-unique-pk-exclusion-directly',
    category: 'migration',
    severity: 'warning',
    description: 'ADD UNIQUE / PRIMARY KEY / EXCLUDE on an existing table, which builds the index under an exclusive lock.',
    rationale:
      '`ALTER TABLE ... ADD UNIQUE` or `ADD PRIMARY KEY` builds a unique index while holding an ACCESS EXCLUSIVE lock: on a large payments table every read and write waits for the whole build. Building the index first with `CREATE UNIQUE INDEX CONCURRENTLY` (outside a transaction) and then attaching it with `ADD CONSTRAINT ... USING INDEX` makes the ALTER instant. Exclusion constraints have no USING INDEX form, so they always build under the lock.',
    messages: {
      direct:
        'ADD {{kind}} on the existing table {{table}} ({{columns}}) builds its unique index while holding an ACCESS EXCLUSIVE lock: every read and write on {{table}} waits for the whole build. Build it first with CREATE UNIQUE INDEX CONCURRENTLY{{where}}, then ADD CONSTRAINT <name> {{kind}} USING INDEX <index> (instant).',
      exclusion:
        'ADD EXCLUDE on the existing table {{table}} builds its index and checks every row while holding an ACCESS EXCLUSIVE lock, and exclusion constraints cannot be attached USING INDEX: every read and write on {{table}} waits. Add it while the table is small, in a maintenance window, or on a new table that you backfill.',
    },
    fix: 'quickfix',
    languages: ['sql'],
    examples: {
      incorrect: [{ code: 'ALTER TABLE payments ADD CONSTRAINT payments_idempotency_key UNIQUE (idempotency_key);' }],
      correct: [
        {
          code: 'CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS payments_idempotency_key ON payments (idempotency_key);\nALTER TABLE payments ADD CONSTRAINT payments_idempotency_key UNIQUE USING INDEX payments_idempotency_key;',
        },
      ],
    },
  },
  scope: 'file',
  // Reads its ALTER TABLE, the transaction around it and the schema: findings reused while the
  // file's DDL and BEGIN/COMMIT statements are unchanged.
  cache: 'file',
  stateless: true,
  // Each finding lies in its statement and follows from it, the tables it names and the control statements.
  byStatement: true,
  create(context) {
    // Made for each file (startFile): it tracks that file's transactions.
    let tx!: TransactionTracker;

    /** Rewrites a one-command, plain, named UNIQUE/PK add into the two-step form; only outside transactions. */
    const twoStepFix = (stmt: Statement, relation: any, cmds: readonly AlterCmd[], con: any): Fix[] | undefined => {
      const keys = keyNames(con);
      const plain = !con.including?.length && !con.options?.length && !con.indexspace && !con.nulls_not_distinct && !con.deferrable;
      if (tx.inTransaction || cmds.length !== 1 || !con.conname || !plain || keys.length === 0 || keys.some((k) => !k)) return undefined;
      const name = quoteIdent(con.conname);
      const table = writtenName(relation);
      const newText = `CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ${name} ON ${table} (${keys.map(quoteIdent).join(', ')});\nALTER TABLE ${table} ADD CONSTRAINT ${name} ${KIND[con.contype]} USING INDEX ${name}`;
      return [{ title: `Build ${con.conname} concurrently, then attach it USING INDEX`, edits: [{ start: stmt.segment.start, end: stmt.segment.end, newText }], preferred: true }];
    };

    const startFile = () => {
      tx = new TransactionTracker(context.fileInfo);
    };
    return statementsWith(['TransactionStmt', 'AlterTableStmt'], (stmt) => {
      tx.see(stmt);
      if (context.keeps?.(stmt)) return;
      const alter = (stmt.ast as any)?.AlterTableStmt;
      const table = tableName(alter?.relation);
      if (!table || !context.isExistingTable(table, stmt.index)) return;
      const where = tx.inTransaction ? ` in its own migration that runs outside a transaction (${tx.why})` : '';
      const cmds = alterCmds(stmt);
      for (const item of cmds) {
        const { cmd } = item;
        const constraints = cmd.subtype === 'AT_AddConstraint' ? [cmd.def?.Constraint] : cmd.subtype === 'AT_AddColumn' ? columnConstraints(cmd.def?.ColumnDef) : [];
        for (const con of constraints) {
          if (con?.contype === 'CONSTR_EXCLUSION') {
            context.report({ messageId: 'exclusion', span: item.span, data: { table } });
          } else if (KIND[con?.contype] && !con.indexname) {
            const columns = cmd.subtype === 'AT_AddColumn' ? String(cmd.def?.ColumnDef?.colname ?? '') : keyNames(con).join(', ');
            const fixes = cmd.subtype === 'AT_AddConstraint' ? twoStepFix(stmt, alter.relation, cmds, con) : undefined;
            context.report({ messageId: 'direct', span: item.span, data: { kind: KIND[con.contype], table, columns, where }, fixes });
          }
        }
      }
    }, startFile);
  },
});
