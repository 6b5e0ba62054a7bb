import { defineRule } from '../engine/rule';
import type { Statement } from '../sql/document';
import { alterCmds, tableName } from './lib/migration-ast';
import { statementsWith } from './lib/statements-with';

interface Op {
  what: string;
  object: string;
  instead: string;
  /** A table whose "new in this file" status makes the operation harmless. */
  table?: string;
}

function blockingOp(stmt: Statement, indexTable: Map<string, string>): Op | undefined {
  const ast = stmt.ast as any;
  const drop = ast?.DropStmt;
  if (drop?.removeType === 'OBJECT_INDEX' && !drop.concurrent) {
    const name = String(drop.objects?.[0]?.List?.items?.at(-1)?.String?.sval ?? '');
    return { what: 'DROP INDEX', object: name, instead: 'DROP INDEX CONCURRENTLY IF EXISTS, in its own migration outside a transaction', table: indexTable.get(name) };
  }
  const reindex = ast?.ReindexStmt;
  if (reindex && !reindex.params?.some((p: any) => p?.DefElem?.defname === 'concurrently')) {
    return { what: 'REINDEX', object: String(reindex.relation?.relname ?? reindex.name ?? ''), instead: 'REINDEX ... CONCURRENTLY (PostgreSQL 12+), outside a transaction' };
  }
  const refresh = ast?.RefreshMatViewStmt;
  if (refresh && !refresh.concurrent) {
    return { what: 'REFRESH MATERIALIZED VIEW', object: tableName(refresh.relation), instead: 'REFRESH MATERIALIZED VIEW CONCURRENTLY (needs a unique index on the view)' };
  }
  const vacuum = ast?.VacuumStmt;
  if (vacuum?.options?.some((o: any) => o?.DefElem?.defname === 'full')) {
    const rels = (vacuum.rels ?? []).map((r: any) => tableName(r?.VacuumRelation?.relation)).join(', ');
    return { what: 'VACUUM FULL', object: rels || 'every table', instead: 'pg_repack (rebuilds online), or plain VACUUM', table: rels || undefined };
  }
  if (ast?.ClusterStmt) {
    return { what: 'CLUSTER', object: tableName(ast.ClusterStmt.relation) || 'every clustered table', instead: 'pg_repack --order-by', table: tableName(ast.ClusterStmt.relation) || undefined };
  }
  for (const { cmd } of alterCmds(stmt)) {
    if (cmd.subtype === 'AT_DetachPartition' && !cmd.def?.PartitionCmd?.concurrent) {
      const parent = tableName(ast.AlterTableStmt.relation);
      return { what: 'DETACH PARTITION', object: `${tableName(cmd.def?.PartitionCmd?.name)} from ${parent}`, instead: 'DETACH PARTITION ... CONCURRENTLY (PostgreSQL 14+), outside a transaction', table: parent };
    }
  }
  return undefined;
}

export default defineRule({
  meta: {
    id: 'blocking-maintenance-ops',
    category: 'migration',
    severity: 'warning',
    description: 'Maintenance operations that hold an exclusive lock for their whole run: non-concurrent DROP INDEX, REINDEX, REFRESH MATERIALIZED VIEW, DETACH PARTITION, VACUUM FULL, CLUSTER.',
    rationale:
      '`VACUUM FULL` and `CLUSTER` rewrite the table under an ACCESS EXCLUSIVE lock; `REINDEX` blocks writes (and reads that would use the index) while it rebuilds; a plain `DROP INDEX` or `DETACH PARTITION` waits for and then blocks every query on the table; a plain `REFRESH MATERIALIZED VIEW` blocks every read of the view. On payments tables each of these is an outage for its whole duration. Their CONCURRENTLY variants, or pg_repack, do the same work without stopping traffic.',
    messages: {
      blocking:
        '{{what}} {{object}} holds a lock that blocks queries on it for the whole operation: payments and balance reads queue behind it. Use {{instead}}.',
    },
    fix: 'none',
    languages: ['sql'],
    examples: {
      incorrect: [{ code: 'VACUUM FULL ledger_entries;' }],
      correct: [{ code: 'DROP INDEX CONCURRENTLY IF EXISTS payments_legacy_idx;' }],
    },
  },
  scope: 'file',
  // Reads its statement and the file's earlier CREATE INDEX: findings reused while the file's DDL
  // and maintenance statements (REINDEX, VACUUM, CLUSTER, REFRESH) are unchanged.
  cache: 'file',
  stateless: true,
  // Each finding lies in its statement and follows from it, the tables it names and the control statements.
  byStatement: true,
  create(context) {
    /** Indexes created in this file -> their table, so dropping an index of a new table stays silent. Made for each file (startFile). */
    let indexTable!: Map<string, string>;
    const startFile = () => {
      indexTable = new Map();
    };
    return statementsWith(['IndexStmt', 'DropStmt', 'ReindexStmt', 'RefreshMatViewStmt', 'VacuumStmt', 'ClusterStmt', 'AlterTableStmt'], (stmt) => {
      const index = (stmt.ast as any)?.IndexStmt;
      if (index?.idxname) indexTable.set(index.idxname, tableName(index.relation));
      if (context.keeps?.(stmt)) return;
      const op = blockingOp(stmt, indexTable);
      if (!op) return;
      if (op.table && !op.table.split(', ').some((t) => context.isExistingTable(t, stmt.index))) return;
      context.report({ messageId: 'blocking', span: stmt.firstLine(), data: { what: op.what, object: op.object, instead: op.instead } });
    }, startFile);
  },
});
