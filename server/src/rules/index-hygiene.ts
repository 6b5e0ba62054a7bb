import { defineRule } from '../engine/rule';
import type { SourceRef, TableModel } from '../model/schema';
import { statementAt } from './lib/schema-edits';
import { ownTables, qualifiedName } from './lib/schema-workspace';
import { judgeTables } from './lib/per-table-findings';

interface Key {
  name: string;
  columns: string[];
  method: string;
  where: string;
  unique: boolean;
  /** Constraints (PK, UNIQUE) are never reported: dropping them changes what the table allows. */
  constraint: boolean;
  source: SourceRef;
}

function keysOf(table: TableModel): Key[] {
  const keys: Key[] = [];
  const norm = (w?: string) => (w ?? '').replace(/;\s*$/, '').replace(/\s+/g, ' ').trim().toLowerCase();
  if (table.primaryKey) keys.push({ name: table.primaryKey.name ?? `${table.name} primary key`, columns: table.primaryKey.columns, method: 'btree', where: '', unique: true, constraint: true, source: table.primaryKey.source });
  const indexSources = new Set(table.indexes.map((i) => i.source));
  for (const u of table.uniques) {
    // A unique index is listed both as an index and as a unique: keep the index entry.
    if (indexSources.has(u.source)) continue;
    keys.push({ name: u.name ?? `UNIQUE (${u.columns.join(', ')})`, columns: u.columns, method: 'btree', where: norm(u.where), unique: true, constraint: true, source: u.source });
  }
  for (const i of table.indexes) keys.push({ name: i.name ?? `index on (${i.columns.join(', ')})`, columns: i.columns, method: i.method, where: norm(i.where), unique: i.unique, constraint: false, source: i.source });
  return keys;
}

const before = (a: SourceRef, b: SourceRef) => a.order < b.order || (a.order === b.order && (a.file < b.file || (a.file === b.file && a.span.start < b.span.start)));
const same = (a: string[], b: string[]) => a.length === b.length && a.every((c, i) => c === b[i]);

export default defineRule({
  meta: {
    id: 'index-hygiene',
    category: 'indexing',
    severity: 'info',
    description: 'An index identical to another one, or a non-unique B-tree index whose columns are the leading columns of another index of the same table.',
    rationale:
      'Every index is written on every INSERT and on every UPDATE that is not HOT: on a payments or ledger table a redundant index adds write latency, WAL volume and replication lag, and holds memory the useful indexes need, while the planner never needs it. An index on (a) is served by an index on (a, b) for every lookup by a. Drop the redundant one with `DROP INDEX CONCURRENTLY` in its own migration.',
    messages: {
      duplicate:
        'Index {{index}} on {{table}} ({{columns}}) duplicates {{other}} (same method, columns and predicate): every write to {{table}} maintains both for no gain. Drop {{index}} (DROP INDEX CONCURRENTLY in its own migration), or this CREATE INDEX if it has not run yet.',
      prefix:
        'Index {{index}} on {{table}} ({{columns}}) is a prefix of {{other}} ({{otherColumns}}), which serves the same lookups: every write to {{table}} maintains an extra index. Drop {{index}} (DROP INDEX CONCURRENTLY in its own migration), or this CREATE INDEX if it has not run yet.',
    },
    fix: 'none',
    languages: ['sql'],
    examples: {
      incorrect: [{ code: 'CREATE TABLE payments (id bigint PRIMARY KEY, account_id bigint, created_at timestamptz);\nCREATE INDEX payments_account_idx ON payments (account_id);\nCREATE INDEX payments_account_created_idx ON payments (account_id, created_at);' }],
      correct: [{ code: 'CREATE TABLE payments (id bigint PRIMARY KEY, account_id bigint, created_at timestamptz);\nCREATE INDEX payments_account_created_idx ON payments (account_id, created_at);' }],
    },
  },
  scope: 'file',
  stateless: true,
  cache: 'file',
  create(context) {
    return {
      endFile() {
        // Judged from the table alone: a table the DDL edit did not change is reported as last time.
        judgeTables(context, ownTables(context), { tableOf: (t: TableModel) => t }, (table, report) => {
          const keys = keysOf(table);
          for (const key of keys) {
            if (key.constraint || key.source.file !== context.file.path) continue;
            const stmt = statementAt(context, key.source.span);
            if (!stmt) continue;
            const data = { index: key.name, table: qualifiedName(table), columns: key.columns.join(', ') };
            const twin = keys.find((o) => o !== key && o.method === key.method && o.where === key.where && same(o.columns, key.columns) && (o.unique || !key.unique) && (o.unique !== key.unique || before(o.source, key.source)));
            if (twin) {
              report({ messageId: 'duplicate', span: stmt.firstLine(), data: { ...data, other: twin.name } });
              continue;
            }
            if (key.unique || key.method !== 'btree') continue;
            const longer = keys.find((o) => o !== key && o.method === 'btree' && o.where === key.where && o.columns.length > key.columns.length && same(o.columns.slice(0, key.columns.length), key.columns));
            if (longer) report({ messageId: 'prefix', span: stmt.firstLine(), data: { ...data, other: longer.name, otherColumns: longer.columns.join(', ') } });
          }
        });
      },
    };
  },
});
