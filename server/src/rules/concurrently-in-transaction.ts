import { defineRule } from '../engine/rule';
import type { Span } from '../engine/types';
import type { Statement } from '../sql/document';
import { keywordSpan } from './lib/ast';
import { alterCmds, tableName } from './lib/migration-ast';
import { TransactionTracker } from './lib/migration-tx';
import { statementsWith } from './lib/statements-with';

/** `REINDEX (CONCURRENTLY false)` turns the option off; a bare option is on. */
function optionOn(arg: any): boolean {
  if (!arg) return true;
  const v = String(arg.String?.sval ?? arg.Boolean?.boolval ?? arg.Integer?.ival ?? arg.A_Const?.boolval?.boolval ?? 'true').toLowerCase();
  return !['false', 'off', '0', 'no', 'undefined'].includes(v);
}

/** What a statement does CONCURRENTLY, for the message; undefined when it is not concurrent. */
function concurrentOperation(stmt: Statement): { what: string; object: string } | undefined {
  const ast = stmt.ast as any;
  if (ast?.IndexStmt?.concurrent) return { what: 'CREATE INDEX CONCURRENTLY', object: tableName(ast.IndexStmt.relation) };
  if (ast?.DropStmt?.concurrent) {
    const names = ast.DropStmt.objects?.[0]?.List?.items ?? [];
    return { what: 'DROP INDEX CONCURRENTLY', object: String(names.at(-1)?.String?.sval ?? '') };
  }
  const reindex = ast?.ReindexStmt;
  if (reindex?.params?.some((p: any) => p?.DefElem?.defname === 'concurrently' && optionOn(p.DefElem.arg))) {
    return { what: 'REINDEX CONCURRENTLY', object: String(reindex.relation?.relname ?? reindex.name ?? '') };
  }
  for (const { cmd } of alterCmds(stmt)) {
    if (cmd.subtype === 'AT_DetachPartition' && cmd.def?.PartitionCmd?.concurrent) {
      return { what: 'DETACH PARTITION CONCURRENTLY', object: tableName(cmd.def.PartitionCmd.name) };
    }
  }
  return undefined;
}

export default defineRule({
  meta: {
    id: 'concurrently-in-transaction',
    category: 'migration',
    severity: 'error',
    description: 'A CONCURRENTLY operation inside a transaction, where PostgreSQL refuses to run it.',
    rationale:
      '`CREATE INDEX CONCURRENTLY`, `DROP INDEX CONCURRENTLY`, `REINDEX CONCURRENTLY` and `DETACH PARTITION CONCURRENTLY` cannot run inside a transaction block (*verified* for CREATE INDEX): the migration fails at deploy time, and a runner that wraps files in a transaction (`drizzle-kit migrate` applies all pending migrations in one transaction, *verified*) rolls back everything before it. Put each such statement in its own migration that runs outside a transaction.',
    messages: {
      inTransaction:
        '{{what}} ({{object}}) cannot run inside a transaction, and {{why}}: PostgreSQL rejects it and the deploy fails. Move it to its own migration that runs outside a transaction (with drizzle-kit, a custom migration applied outside `drizzle-kit migrate`).',
    },
    fix: 'none',
    languages: ['sql'],
    examples: {
      incorrect: [{ code: 'BEGIN;\nCREATE INDEX CONCURRENTLY payments_account_id_idx ON payments (account_id);\nCOMMIT;' }],
      correct: [{ code: 'CREATE INDEX CONCURRENTLY IF NOT EXISTS payments_account_id_idx ON payments (account_id);' }],
    },
  },
  scope: 'file',
  // Reads its CONCURRENTLY statement and the transaction around it: findings reused while the
  // file's DDL, BEGIN/COMMIT and REINDEX statements are unchanged.
  cache: 'file',
  stateless: true,
  // Each finding lies in its statement and follows from it, the tables it names and the control statements.
  byStatement: true,
  create(context) {
    // Made for each file (startFile): it tracks that file's transactions.
    let tx!: TransactionTracker;
    const startFile = () => {
      tx = new TransactionTracker(context.fileInfo);
    };
    return statementsWith(['TransactionStmt', 'IndexStmt', 'DropStmt', 'ReindexStmt', 'AlterTableStmt'], (stmt) => {
      tx.see(stmt);
      if (!tx.inTransaction || context.keeps?.(stmt)) return;
      const op = concurrentOperation(stmt);
      if (!op) return;
      const span: Span = keywordSpan(stmt, ['concurrently'], stmt.segment.start) ?? stmt.firstLine();
      context.report({ messageId: 'inTransaction', span, data: { what: op.what, object: op.object || '?', why: tx.why } });
    }, startFile);
  },
});
