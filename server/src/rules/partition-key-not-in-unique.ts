import { defineRule } from '../engine/rule';
import type { Span } from '../engine/types';
import type { Statement } from '../sql/document';
import { keywordSpan } from './lib/ast';
import { alterCmds, columnConstraints, tableName } from './lib/migration-ast';
import { statementsWith } from './lib/statements-with';

interface PartitionKey {
  columns: string[];
  /** An expression key: PostgreSQL refuses any unique constraint on such a table. */
  expression: boolean;
}

const KIND: Record<string, string> = { CONSTR_PRIMARY: 'PRIMARY KEY', CONSTR_UNIQUE: 'UNIQUE' };

function partitionKeyOf(partspec: any): PartitionKey | undefined {
  const params: any[] = (partspec?.partParams ?? []).map((p: any) => p?.PartitionElem).filter(Boolean);
  if (params.length === 0) return undefined;
  return { columns: params.filter((p) => p.name).map((p) => String(p.name)), expression: params.some((p) => !p.name) };
}

export default defineRule({
  meta: {
    id: 'partition-key-not-in-unique',
    category: 'migration',
    severity: 'error',
    description: 'A PRIMARY KEY or UNIQUE constraint on a partitioned table that does not include the partition key, which PostgreSQL rejects.',
    rationale:
      'PostgreSQL enforces uniqueness per partition only, so a PRIMARY KEY or UNIQUE constraint (or unique index) on a partitioned table must include every partition key column; otherwise the CREATE or ALTER fails at deploy time ("unique constraint on partitioned table must include all partitioning columns"). A ledger partitioned by `created_at` needs `PRIMARY KEY (id, created_at)`; global uniqueness of `id` alone must come from its generator (identity, UUID) or a separate lookup table.',
    messages: {
      missing:
        '{{kind}} ({{columns}}) on the partitioned table {{table}} does not include the partition key ({{partitionKey}}): PostgreSQL rejects it, because uniqueness is only enforced inside each partition. Use {{kind}} ({{suggested}}).',
      expression:
        '{{kind}} ({{columns}}) on {{table}}, which is partitioned by an expression: PostgreSQL refuses unique constraints on such tables. Partition by plain columns, or enforce uniqueness per partition.',
    },
    fix: 'none',
    languages: ['sql'],
    examples: {
      incorrect: [{ code: 'CREATE TABLE ledger_entries (id bigint PRIMARY KEY, created_at timestamptz NOT NULL) PARTITION BY RANGE (created_at);' }],
      correct: [{ code: 'CREATE TABLE ledger_entries (id bigint, created_at timestamptz NOT NULL, PRIMARY KEY (id, created_at)) PARTITION BY RANGE (created_at);' }],
    },
  },
  scope: 'file',
  // Reads only the file's DDL and the schema: findings reused while they are unchanged.
  cache: 'file',
  stateless: true,
  // Each finding lies in its statement and follows from it, the tables it names and the control statements.
  byStatement: true,
  create(context) {
    // The partition keys of the tables this file creates: made for each file (startFile).
    let keys!: Map<string, PartitionKey>;
    const keyOf = (table: string): PartitionKey | undefined => {
      const own = keys.get(table);
      if (own) return own;
      const modeled = context.schema.table(table)?.partitionBy;
      return modeled?.columns?.length ? { columns: modeled.columns, expression: false } : undefined;
    };
    const check = (stmt: Statement, table: string, kind: string, columns: string[], at: number | undefined) => {
      const key = keyOf(table);
      if (!key || columns.length === 0) return;
      const missing = key.columns.filter((c) => !columns.includes(c));
      if (!key.expression && missing.length === 0) return;
      const words = kind === 'PRIMARY KEY' ? ['primary', 'key'] : ['unique'];
      const span: Span = (at !== undefined && at >= 0 ? keywordSpan(stmt, words, stmt.at(at)) : undefined) ?? stmt.firstLine();
      const data = { kind, table, columns: columns.join(', '), partitionKey: key.columns.join(', '), suggested: [...columns, ...missing].join(', ') };
      context.report({ messageId: key.expression ? 'expression' : 'missing', span, data });
    };
    const startFile = () => {
      keys = new Map();
    };
    return statementsWith(['CreateStmt', 'IndexStmt', 'AlterTableStmt'], (stmt) => {
      const ast = stmt.ast as any;
      const create = ast?.CreateStmt;
      if (create) {
        const table = tableName(create.relation);
        const key = partitionKeyOf(create.partspec);
        if (!key) return;
        keys.set(table, key);
        if (context.keeps?.(stmt)) return;
        for (const el of create.tableElts ?? []) {
          if (el?.ColumnDef) {
            for (const c of columnConstraints(el.ColumnDef)) if (KIND[c.contype]) check(stmt, table, KIND[c.contype], [String(el.ColumnDef.colname)], c.location);
          } else if (KIND[el?.Constraint?.contype]) {
            check(stmt, table, KIND[el.Constraint.contype], (el.Constraint.keys ?? []).map((k: any) => String(k?.String?.sval ?? '')), el.Constraint.location);
          }
        }
        return;
      }
      if (context.keeps?.(stmt)) return;
      const index = ast?.IndexStmt;
      if (index?.unique) {
        const cols = (index.indexParams ?? []).map((p: any) => p?.IndexElem?.name).filter(Boolean);
        check(stmt, tableName(index.relation), 'UNIQUE INDEX', cols, 0);
        return;
      }
      const table = tableName(ast?.AlterTableStmt?.relation);
      if (!table) return;
      for (const { cmd } of alterCmds(stmt)) {
        const con = cmd.def?.Constraint;
        if (cmd.subtype === 'AT_AddConstraint' && KIND[con?.contype] && !con.indexname) {
          check(stmt, table, KIND[con.contype], (con.keys ?? []).map((k: any) => String(k?.String?.sval ?? '')), con.location);
        }
      }
    }, startFile);
  },
});
