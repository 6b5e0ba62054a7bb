// ownTables on a file the workspace schema does not mention: the fast path (only the table keys the
// replay set, in schema order) must name the same tables, in the same order, as a scan of every
// table of the replayed schema — also when the replay drops or renames tables (full-scan fallback).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { FileContext } from '../../../server/src/engine/rule';
import type { TableModel } from '../../../server/src/model/schema';
import { MutableSchema } from '../../../server/src/model/schema-builder';
import { ownTables, workspaceSchema } from '../../../server/src/rules/lib/schema-workspace';
import { parseSqlFile } from '../../../server/src/sql/document';
import { initParser, replaySql } from '../../model/helpers';

const WORKSPACE = [
  'CREATE TABLE accounts (id bigint PRIMARY KEY, name text);',
  'CREATE TABLE payments (id bigint PRIMARY KEY, account_id bigint);',
  'CREATE TABLE refunds (id bigint PRIMARY KEY);',
  'CREATE TABLE audit_log (id bigint PRIMARY KEY);',
].join('\n');

const FILES: Record<string, string> = {
  'creates and alters': 'CREATE TABLE zeta (id bigint);\nALTER TABLE payments ADD COLUMN note text;\nCREATE TABLE alpha (id bigint);\nCREATE INDEX ON accounts (name);',
  'drops a table': 'DROP TABLE refunds;\nALTER TABLE audit_log ADD COLUMN at timestamptz;\nCREATE TABLE beta (id bigint);',
  'renames a table': 'ALTER TABLE payments RENAME TO card_payments;\nALTER TABLE accounts ADD COLUMN closed boolean;',
  'queries only': 'SELECT * FROM payments;\nUPDATE accounts SET name = name;',
};

/** Every file a table's source references point at (created, name, columns, keys, indexes, ...). */
function sources(value: unknown, out: string[] = []): string[] {
  if (value instanceof Map) for (const v of value.values()) sources(v, out);
  else if (Array.isArray(value)) for (const v of value) sources(v, out);
  else if (value && typeof value === 'object') {
    const file = (value as { file?: unknown }).file;
    if (typeof file === 'string') out.push(file);
    else for (const v of Object.values(value)) sources(v, out);
  }
  return out;
}

describe('ownTables: the fast path agrees with a full scan', () => {
  before(() => initParser());

  for (const [name, text] of Object.entries(FILES)) {
    it(name, () => {
      const { schema: parent } = replaySql(WORKSPACE, new MutableSchema(), 'workspace.sql');
      const file = parseSqlFile('/w/0002_change.sql', text);
      const context = { file, schema: parent } as unknown as FileContext;
      const own = ownTables(context).map((t) => t.name);
      const replayed = workspaceSchema(context);
      const scanned = [...replayed.tables.entries()]
        .filter(([key, t]) => parent.tables.get(key) !== t && sources(t).includes(file.path))
        .map(([, t]) => t.name);
      assert.deepEqual(own, scanned);
      if (name === 'queries only') assert.deepEqual(own, []);
      if (name === 'creates and alters') assert.deepEqual(own.slice().sort(), ['accounts', 'alpha', 'payments', 'zeta']);
    });
  }
});
