// The declared type of a column used in an expression: from the CREATE TABLE statements of the
// same file, then from the workspace schema. Used by timestamp-between to tell a timestamp
// (BETWEEN misses the last day) from a date (BETWEEN is right) when names do not say.
import type { SchemaModel } from '../../model/schema';
import type { SqlFile } from '../../sql/document';
import type { NodeRef } from '../../sql/node-index';
import { canonicalTypeName } from '../../sql/type-name';

/** table name (lower-cased, unqualified) -> column name -> canonical type name. */
export type FileColumnTypes = Map<string, Map<string, string>>;

function typeNameOf(typeName: any): string {
  const names: any[] = typeName?.names ?? [];
  return canonicalTypeName(String(names[names.length - 1]?.String?.sval ?? ''));
}

/** Per file version (SqlFile.id): what the version an edit was made from had, kept while no CREATE TABLE was edited. */
const byVersion = new WeakMap<object, FileColumnTypes>();

/**
 * The column types the file's CREATE TABLE statements declare. Shared between versions: never
 * change what it returns. A keystroke in a query of a 10,000-statement file takes the previous
 * version's map instead of walking every statement again.
 */
export function fileColumnTypes(file: SqlFile): FileColumnTypes {
  const id = file.id;
  const kept = id && byVersion.get(id);
  if (kept) return kept;
  const edit = file.edit;
  const before = edit && byVersion.get(edit.from);
  const out = before && !editsCreateTable(file, edit) ? before : columnTypesOf(file);
  if (id) byVersion.set(id, out);
  return out;
}

function isCreateTable(stmt: { ast?: unknown }): boolean {
  return !!(stmt.ast as any)?.CreateStmt;
}

/** Whether a statement the edit replaced, or one it put in their place, is a CREATE TABLE. */
function editsCreateTable(file: SqlFile, edit: NonNullable<SqlFile['edit']>): boolean {
  if (edit.removed.some(isCreateTable)) return true;
  for (let i = edit.head; i < edit.head + edit.added; i++) if (isCreateTable(file.statements[i])) return true;
  return false;
}

function columnTypesOf(file: SqlFile): FileColumnTypes {
  const out: FileColumnTypes = new Map();
  for (const stmt of file.statements) {
    const cs = (stmt.ast as any)?.CreateStmt;
    const table = cs?.relation?.relname;
    if (typeof table !== 'string') continue;
    const columns = new Map<string, string>();
    for (const elt of cs.tableElts ?? []) {
      const def = elt?.ColumnDef;
      if (def?.colname && def.typeName && !def.typeName.arrayBounds) columns.set(String(def.colname), typeNameOf(def.typeName));
    }
    out.set(table.toLowerCase(), columns);
  }
  return out;
}

interface RangeEntry {
  relname: string;
  schemaname?: string;
  alias?: string;
}

function collectRanges(items: any[] | undefined, out: RangeEntry[]): void {
  for (const item of items ?? []) {
    const rv = item?.RangeVar;
    if (rv?.relname) out.push({ relname: rv.relname, schemaname: rv.schemaname, alias: rv.alias?.aliasname });
    const join = item?.JoinExpr;
    if (join) collectRanges([join.larg, join.rarg], out);
  }
}

/** The tables in scope of the query enclosing `ref`, with their aliases. */
function rangesInScope(ref: NodeRef): RangeEntry[] {
  let p = ref.parent;
  while (p && !['SelectStmt', 'UpdateStmt', 'DeleteStmt'].includes(p.type)) p = p.parent;
  const n = p?.node;
  const out: RangeEntry[] = [];
  if (!n) return out;
  if (n.relation) collectRanges([{ RangeVar: n.relation }], out);
  collectRanges(n.fromClause, out);
  collectRanges(n.usingClause, out);
  return out;
}

/**
 * The canonical declared type of the ColumnRef `columnRef` found under `ref`, or undefined when
 * its table or the column is unknown.
 */
export function declaredColumnType(ref: NodeRef, columnRef: any, fileTypes: FileColumnTypes, schema: SchemaModel): string | undefined {
  const fields: any[] = columnRef?.fields ?? [];
  const column = fields[fields.length - 1]?.String?.sval;
  if (typeof column !== 'string') return undefined;
  const qualifier = fields.length >= 2 ? fields[fields.length - 2]?.String?.sval : undefined;
  let ranges = rangesInScope(ref);
  if (qualifier) ranges = ranges.filter((r) => (r.alias ?? r.relname) === qualifier);
  for (const r of ranges) {
    const fromFile = fileTypes.get(r.relname.toLowerCase())?.get(column);
    if (fromFile) return fromFile;
    const table = schema.table(r.schemaname ? `${r.schemaname}.${r.relname}` : r.relname);
    const fromSchema = table?.columns.get(column)?.type;
    if (fromSchema && !fromSchema.array) return fromSchema.name;
  }
  return undefined;
}
