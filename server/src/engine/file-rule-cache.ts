// What a file-scoped rule that opted into `cache: 'statement'` may depend on besides its own
// statement: the schema (by identity), the file's schema-changing statements (index and text),
// its path, its role and the configuration. One token object stands for all of that; a statement's
// cached findings are reused while the token and the statement's index are the same. Fixes that
// insert statements use the file's line break, so whether the file has CRLF is part of it too.
// A new token after a DDL edit still holds for a statement whose tables kept their shape and their
// DDL in the file (see tokenHoldsFor).
import { statementType, type SqlFile, type Statement } from '../sql/document';
import { embeddedStatements } from '../sql/plpgsql';
import { SCHEMA_STATEMENT_TYPES } from '../model/replay';
import { othersGeneration } from '../model/schema-generations';
import type { SchemaModel } from '../model/schema';
import { changedTableNames } from './changed-table-names';
import { rangeVarNames } from '../model/range-var-names';
import type { FileInfo } from './rule';

export interface FileRuleToken {
  readonly fingerprint: string;
  /** What per-table reuse compares (only for schemas the workspace built). */
  readonly tables?: TableTokenParts;
}

const tokens = new WeakMap<SchemaModel, Map<string, FileRuleToken>>();
const entryIds = new WeakMap<object, number>();
let nextEntryId = 1;

function entryId(entry: object): number {
  let id = entryIds.get(entry);
  if (id === undefined) entryIds.set(entry, (id = nextEntryId++));
  return id;
}

/** The file version a token was last handed out for, and the part of its fingerprint that is not the file's DDL. */
interface LastUse {
  fileId: object | undefined;
  header: string;
}
const lastUse = new WeakMap<FileRuleToken, LastUse>();

/** The same object while nothing the cached rules depend on (except their own statement) changed. */
export function fileRuleToken(schema: SchemaModel, file: SqlFile, fileInfo: FileInfo, configKey: string): FileRuleToken {
  const head: string[] = [configKey, fileInfo.role, String(fileInfo.migration), String(fileInfo.runnerWrapsTransaction), fileInfo.root ?? '', fileInfo.migrationFolder?.path ?? '', fileInfo.migrationFolder?.convention ?? '', fileInfo.queryMigrationFolder?.path ?? '', fileInfo.queryMigrationFolder?.convention ?? '', file.text.includes('\r\n') ? 'crlf' : 'lf'];
  const header = head.join('\u0000');
  let perPath = tokens.get(schema);
  if (!perPath) tokens.set(schema, (perPath = new Map()));
  const last = perPath.get(file.path);
  // A query edit keeps every schema-changing statement (index and entry): the fingerprint is the
  // last one, without a pass over every statement of the file (and a string of all their ids).
  const use = last && lastUse.get(last);
  if (last && use && use.header === header && keepsSchemaStatements(file, use.fileId)) {
    use.fileId = file.id;
    return last;
  }
  const parts = head;
  for (const s of file.statements) if (isSchemaStatement(s)) parts.push(`${s.index}:${entryId(s.entry)}`);
  const fingerprint = parts.join('\u0000');
  if (last && last.fingerprint === fingerprint) {
    lastUse.set(last, { fileId: file.id, header });
    return last;
  }
  const token: FileRuleToken = { fingerprint, tables: tableTokenParts(schema, file, header) };
  perPath.set(file.path, token);
  lastUse.set(token, { fileId: file.id, header });
  return token;
}

function isSchemaStatement(s: Statement): boolean {
  if (!s.ast || s.error) return false;
  for (const type in s.ast) return SCHEMA_STATEMENT_TYPES.has(type);
  return false;
}

/** `file` is the version `fileId` names, or was edited from it without adding, removing or moving (by index) a schema-changing statement. */
function keepsSchemaStatements(file: SqlFile, fileId: object | undefined): boolean {
  if (!fileId) return false;
  if (file.id === fileId) return true;
  const edit = file.edit;
  if (!edit || edit.from !== fileId || edit.added !== edit.removed.length) return false;
  for (const s of edit.removed) if (isSchemaStatement(s)) return false;
  for (let i = edit.head; i < edit.head + edit.added; i++) if (isSchemaStatement(file.statements[i])) return false;
  return true;
}

/**
 * The per-table parts of the last token made for `path` under `schema` (the linter makes it before
 * file rules run); undefined when the workspace did not build the schema.
 */
export function tableTokenOf(schema: SchemaModel, path: string): TableTokenParts | undefined {
  return tokens.get(schema)?.get(path)?.tables;
}

/** What per-table reuse compares between two tokens of the same file. */
export interface TableTokenParts {
  /** Path, role and configuration, and the generation of the other files (schema-generations.ts). */
  base: string;
  /** Schema-changing statements not tied to tables they name (DROP, RENAME, functions, enums...): index and text. */
  global: string;
  /** Lower-cased bare table name -> the file's schema-changing statements naming it: index and text. */
  byTable: Map<string, string>;
  /**
   * Weak: statements keep the token their findings were made under until they are visited again,
   * and a strong schema here kept one old schema (with its whole-file findings) alive per edit.
   * Once it is collected, findings made under it are simply recomputed.
   */
  schema: WeakRef<SchemaModel>;
}

/** Schema-changing statements whose effect is on the tables named by a RangeVar in a known place. */
const TABLE_KEYED = new Set(['CreateStmt', 'CreateTableAsStmt', 'AlterTableStmt', 'IndexStmt', 'CreatePolicyStmt', 'CreateTrigStmt']);

/**
 * Lower-cased bare names of the tables a schema-changing statement changes (not those it only
 * refers to, like a foreign key's target); empty when it is not tied to tables that way.
 */
function changedTables(type: string, node: any): string[] {
  const rvs: any[] = [];
  if (type === 'CreateStmt' || type === 'AlterTableStmt' || type === 'IndexStmt' || type === 'CreateTrigStmt') rvs.push(node?.relation);
  else if (type === 'CreateTableAsStmt') rvs.push(node?.into?.rel);
  else if (type === 'CreatePolicyStmt') rvs.push(node?.table);
  else if (type === 'GrantStmt' && node?.objtype === 'OBJECT_TABLE') for (const o of node.objects ?? []) rvs.push(o?.RangeVar);
  // ATTACH / DETACH PARTITION changes the partition as well.
  if (type === 'AlterTableStmt') for (const c of node?.cmds ?? []) if (c?.AlterTableCmd?.def?.PartitionCmd) rvs.push(c.AlterTableCmd.def.PartitionCmd.name);
  const names = rvs.map((rv) => (typeof rv?.relname === 'string' ? rv.relname.toLowerCase() : ''));
  return names.includes('') ? [] : names;
}

/**
 * Statements whose cached file-rule findings may be kept across a DDL edit: what they name of the
 * schema are RangeVars. DROP and RENAME name tables otherwise (and re-run on any DDL edit).
 */
const READS_BY_RANGEVARS = new Set([
  'SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt', 'CopyStmt', 'ExplainStmt', 'ViewStmt',
  'TransactionStmt', 'VariableSetStmt', 'VariableShowStmt', 'CreateFunctionStmt', 'DoStmt', 'VacuumStmt', 'LockStmt',
  ...TABLE_KEYED,
]);

function tableTokenParts(schema: SchemaModel, file: SqlFile, base: string): TableTokenParts | undefined {
  const generation = othersGeneration(schema, file.path);
  if (generation === undefined) return undefined;
  const global: string[] = [];
  const byTable = new Map<string, string>();
  for (const s of file.statements) {
    const type = !s.error ? statementType(s) : undefined;
    if (!type || !SCHEMA_STATEMENT_TYPES.has(type)) continue;
    const at = `${s.index}:${entryId(s.entry)},`;
    const names = changedTables(type, (s.ast as any)[type]);
    if (names.length === 0) global.push(at);
    for (const n of names) byTable.set(n, (byTable.get(n) ?? '') + at);
  }
  return { base: `${base}\u0000${generation}`, global: global.join(''), byTable, schema: new WeakRef(schema) };
}

/**
 * Whether findings a cached file rule reported for `stmt` under `old` still hold under `next`:
 * only the other files' generation, path, role and configuration are the same, no DDL outside
 * tables changed, and every table the statement (or a statement in its body) names, with its
 * partitioned parents, has the same shape and the same DDL statements in this file. Rules with
 * `cache: 'statement'` read the schema through those tables (and the file's own CREATE TABLEs
 * by bare name), so what they reported is what they would report again. What changed is worked
 * out once per pair of tokens (changedTableNames); per statement it is a few lookups by name.
 */
export function tokenHoldsFor(old: FileRuleToken, next: FileRuleToken, stmt: Statement, kept?: KeptNames): boolean {
  const a = old.tables;
  const b = next.tables;
  if (!a || !b) return false;
  const changed = changedFor(old, next, a, b);
  if (!changed) return false;
  // Asked for each of 10,000 statements after a DDL edit: the names are worked out once per cached entry.
  let names = kept?.names;
  if (names === undefined) {
    names = namesRead(stmt);
    if (kept) kept.names = names;
  }
  if (names === null) return false;
  for (let i = 0; i < names.length; i++) if (changed.has(names[i])) return false;
  return true;
}

/** Where a statement's cached findings keep the names they depend on (see namesRead). */
export interface KeptNames {
  names?: readonly string[] | null;
}

/**
 * Lower-cased bare names of the tables `stmt` and the statements in its body name (they depend on
 * its text alone); null when its findings are not kept across DDL edits.
 */
function namesRead(stmt: Statement): readonly string[] | null {
  if (!stmt.ast || stmt.error) return null;
  const type = statementType(stmt);
  if (!type || !READS_BY_RANGEVARS.has(type)) return null;
  const own = rangeVarNames(stmt).bare;
  if (type !== 'CreateFunctionStmt' && type !== 'DoStmt') return own;
  const all = [...own];
  for (const s of embeddedStatements(stmt)) if (s.ast) all.push(...rangeVarNames(s).bare);
  return all;
}

/** The last pair of tokens asked about, and what changed between them (undefined: nothing holds). */
let lastPair: { old: FileRuleToken; next: FileRuleToken; changed: ReadonlySet<string> | undefined } | undefined;

function changedFor(old: FileRuleToken, next: FileRuleToken, a: TableTokenParts, b: TableTokenParts): ReadonlySet<string> | undefined {
  if (lastPair && lastPair.old === old && lastPair.next === next) return lastPair.changed;
  // Dereferenced for this pair only: the memo must not keep the old schema alive after the lint.
  const schemaA = a.schema.deref();
  const schemaB = b.schema.deref();
  const facts = a.base === b.base && a.global === b.global && schemaA !== undefined && schemaB !== undefined;
  lastPair = { old, next, changed: facts ? changedTableNames(a.byTable, b.byTable, schemaA, schemaB) : undefined };
  return lastPair.changed;
}
