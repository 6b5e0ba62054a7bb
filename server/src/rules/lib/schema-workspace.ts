// Schema-wide rules read the workspace schema (end state of every migration) and report only what
// the file being linted declared. When the linter runs without a workspace (a lone file, or a file
// the model does not know yet), the file is replayed on top of what the schema holds, so the rules
// still see the file's own tables, indexes and policies.
import type { FileContext } from '../../engine/rule';
import type { Span } from '../../engine/types';
import { replayFile } from '../../model/replay';
import type { SchemaModel, SourceRef, TableModel } from '../../model/schema';
import { MutableSchema } from '../../model/schema-builder';
import type { SqlFile } from '../../sql/document';

const DDL_TYPES = new Set(['CreateStmt', 'CreateTableAsStmt', 'AlterTableStmt', 'IndexStmt', 'CreatePolicyStmt', 'RenameStmt', 'DropStmt', 'CreateTrigStmt', 'GrantStmt']);

function hasDdl(file: SqlFile): boolean {
  return file.statements.some((s) => !!s.ast && Object.keys(s.ast).some((k) => DDL_TYPES.has(k)));
}

/**
 * Calls `visit` with each place something of `t` was declared (the table, its name, primary key,
 * columns, keys, indexes, checks, policies, triggers, grants) until it returns true. No array of
 * them per table: a DDL edit builds a new schema, and indexing its ~2,500 tables by file made one
 * each time (2.4 MB of a 10k-statement file's 44 MB per DDL keystroke).
 */
function someSource(t: TableModel, visit: (s: SourceRef) => boolean): boolean {
  if ((t.created && visit(t.created)) || (t.nameSpan && visit(t.nameSpan)) || (t.primaryKey?.source && visit(t.primaryKey.source))) return true;
  for (const c of t.columns.values()) if (c.source && visit(c.source)) return true;
  return someIn(t.foreignKeys, visit) || someIn(t.indexes, visit) || someIn(t.uniques, visit) || someIn(t.checks, visit) || someIn(t.policies, visit) || someIn(t.triggers, visit) || someIn(t.grants, visit);
}

function someIn(list: ReadonlyArray<{ source?: SourceRef }>, visit: (s: SourceRef) => boolean): boolean {
  for (let i = 0; i < list.length; i++) {
    const s = list[i].source;
    if (s && visit(s)) return true;
  }
  return false;
}

/** Per schema: file path -> the tables with something declared in that file, in schema order. */
const tablesByFile = new WeakMap<SchemaModel, Map<string, TableModel[]>>();

function indexTablesByFile(schema: SchemaModel): Map<string, TableModel[]> {
  const out = new Map<string, TableModel[]>();
  const files: string[] = [];
  const add = (s: SourceRef): boolean => {
    if (!files.includes(s.file)) files.push(s.file);
    return false;
  };
  for (const t of schema.tables.values()) {
    files.length = 0;
    someSource(t, add);
    for (const f of files) {
      let list = out.get(f);
      if (!list) out.set(f, (list = []));
      list.push(t);
    }
  }
  return out;
}

function tablesDeclaredIn(schema: SchemaModel, path: string): readonly TableModel[] | undefined {
  let byFile = tablesByFile.get(schema);
  if (!byFile) tablesByFile.set(schema, (byFile = indexTablesByFile(schema)));
  return byFile.get(path);
}

/** Whether any table of `schema` has something declared in `path`. */
export function schemaMentions(schema: SchemaModel, path: string): boolean {
  return tablesDeclaredIn(schema, path) !== undefined;
}

const cache = new WeakMap<SqlFile, WeakMap<SchemaModel, SchemaModel>>();
/** Schemas made by workspaceSchema for one file -> the schema they were forked from. */
const forkedFrom = new WeakMap<SchemaModel, SchemaModel>();
/** Per fork: the tables with something declared in its file. */
const forkTables = new WeakMap<SchemaModel, TableModel[]>();
/**
 * Per fork: the keys its replay set, in order, or undefined when the replay also removed tables
 * (then the key order may differ from the parent's and ownTables scans the whole fork).
 */
const forkSetKeys = new WeakMap<SchemaModel, string[] | undefined>();

function mapVersion(map: Map<string, TableModel>): number | undefined {
  const v = (map as { version?: unknown }).version;
  return typeof v === 'number' ? v : undefined;
}

/** Per parent tables map: key -> position, for putting a fork's few changed keys in schema order. */
const positions = new WeakMap<Map<string, TableModel>, { version: number; of: Map<string, number> }>();

function positionsOf(tables: Map<string, TableModel>): Map<string, number> {
  const version = mapVersion(tables);
  const cached = positions.get(tables);
  if (cached && version !== undefined && cached.version === version) return cached.of;
  const of = new Map<string, number>();
  for (const key of tables.keys()) of.set(key, of.size);
  if (version !== undefined) positions.set(tables, { version, of });
  return of;
}

/** The workspace schema including the file being linted (replayed here when the schema lacks it). */
export function workspaceSchema(context: FileContext): SchemaModel {
  const { file, schema } = context;
  let perSchema = cache.get(file);
  const hit = perSchema?.get(schema);
  if (hit) return hit;
  let result: SchemaModel = schema;
  if (hasDdl(file) && !schemaMentions(schema, file.path)) {
    let parent: MutableSchema;
    if (schema instanceof MutableSchema) parent = schema;
    else {
      parent = new MutableSchema();
      for (const [k, t] of schema.tables) parent.tables.set(k, t);
    }
    const base = parent.fork();
    replayFile(file, base, { order: Infinity });
    // Every table change goes through setTable, which the fork records; a DROP or RENAME also
    // deletes keys, and then the recorded keys are not enough (undefined).
    forkSetKeys.set(base, base.tableKeysSet()?.slice());
    forkedFrom.set(base, schema);
    result = base;
  }
  if (!perSchema) cache.set(file, (perSchema = new WeakMap()));
  perSchema.set(schema, result);
  return result;
}

/**
 * The tables of `workspaceSchema(context)` with anything (the table, a column, key, index, check,
 * policy, trigger or grant) declared in the file being linted, in schema order. Schema-wide rules
 * report only on those: iterating them instead of every workspace table keeps a file's lint
 * independent of the workspace size. The index is built once per schema, shared by every rule and file.
 */
export function ownTables(context: FileContext): readonly TableModel[] {
  const schema = workspaceSchema(context);
  const parent = forkedFrom.get(schema);
  if (!parent) return tablesDeclaredIn(schema, context.file.path) ?? [];
  // The file was replayed over a schema that mentions it nowhere (copy on write): only tables the
  // replay replaced can hold its declarations, so the fork is not indexed again for every file.
  let own = forkTables.get(schema);
  if (!own) {
    own = [];
    const isOwn = (key: string, t: TableModel | undefined): t is TableModel =>
      !!t && parent.tables.get(key) !== t && someSource(t, (s) => s.file === context.file.path);
    const setKeys = forkSetKeys.get(schema);
    if (setKeys) {
      // Only the keys the replay set can differ from the parent; scanning every table per file was
      // quadratic in the workspace size (1.3 s at 5,000 files). Schema order: the parent's
      // positions, then new keys in the order they were added.
      const pos = positionsOf(parent.tables);
      const order = new Map<string, number>();
      for (const key of setKeys) if (!order.has(key)) order.set(key, pos.get(key) ?? pos.size + order.size);
      const keys = [...order.keys()].sort((a, b) => order.get(a)! - order.get(b)!);
      for (const key of keys) {
        const t = schema.tables.get(key);
        if (isOwn(key, t)) own.push(t);
      }
    } else {
      for (const [key, t] of schema.tables) if (isOwn(key, t)) own.push(t);
    }
    forkTables.set(schema, own);
  }
  return own;
}

/** The span of `ref` when it was declared in the file being linted. */
export function ownSpan(context: FileContext, ref: SourceRef | undefined): Span | undefined {
  return ref && ref.file === context.file.path ? ref.span : undefined;
}

/**
 * The regular tables this file names (CREATE TABLE, pgTable), with the span of that name: what
 * table-level rules report on. Temporary tables and partitions are left out (a partition takes
 * its shape from the parent).
 */
export function tablesNamedHere(context: FileContext): Array<{ table: TableModel; span: Span }> {
  const out: Array<{ table: TableModel; span: Span }> = [];
  for (const table of ownTables(context)) {
    const span = ownSpan(context, table.nameSpan);
    if (span && !table.temporary && !table.partitionOf) out.push({ table, span });
  }
  return out;
}

/** Tables of the workspace with their schema keys. */
export function tablesOf(schema: SchemaModel): Array<[string, TableModel]> {
  return [...schema.tables.entries()];
}

/** `schema.table` for messages and generated SQL, quoted where PostgreSQL needs it. */
export function qualifiedName(table: TableModel): string {
  return table.schema && table.schema !== 'public' ? `${quoteIdent(table.schema)}.${quoteIdent(table.name)}` : quoteIdent(table.name);
}

export function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/** The table findings' anchor: the name in its CREATE TABLE, when this file created it. */
export function tableNameSpan(context: FileContext, table: TableModel): Span | undefined {
  return ownSpan(context, table.nameSpan);
}
