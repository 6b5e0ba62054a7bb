// How a rule is written: `defineRule({ meta, create })`. `create` receives a context and returns
// visitors; the engine calls them and collects what they report. Rules never do I/O.
import type { SqlFile, Statement } from '../sql/document';
import type { NodeRef } from '../sql/node-index';
import type { SchemaModel } from '../model/schema';
import type { ColumnDecl, ForeignKeyDecl, TableDecl } from './decls';
import type { Finding, Report, RuleMeta } from './types';
import type { Vocabulary } from './vocabulary';
import type { MigrationsConfig } from './config';
import type { Convention } from '../workspace/conventions';

/** What the engine knows about the file being linted, beyond its text. */
export interface FileInfo {
  /** 'up' migration, 'down' rollback, or a plain file (queries, functions). */
  role: 'up' | 'down' | 'repeatable' | 'plain';
  /** Whether the file is a migration (in a discovered migrations folder). */
  migration: boolean;
  /** Whether the runner wraps this file in a transaction (from config or the folder's convention). */
  runnerWrapsTransaction: boolean;
  /** The workspace root: paths of files a fix creates (`newFiles`) are relative to it. */
  root?: string;
  /** The discovered migration folder holding this file (paths in the form the linter was given). */
  migrationFolder?: { path: string; convention: Convention; readonly files: readonly string[] };
  /**
   * For a file outside the migration folders (queries, functions): the discovered folder of the
   * last migration in run order, where its fixes add a migration, with every file in it.
   */
  queryMigrationFolder?: { path: string; convention: Convention; readonly files: readonly string[] };
}

export const PLAIN_FILE: FileInfo = { role: 'plain', migration: false, runnerWrapsTransaction: false };

export interface BaseContext {
  readonly ruleId: string;
  readonly vocabulary: Vocabulary;
  readonly migrations: MigrationsConfig;
  report(report: Report): void;
}

/** Statement-scoped rules see one statement at a time; their findings are cached per statement text. */
export interface StatementContext extends BaseContext {
  /**
   * The file's text. Read it when visiting, not in create(): a run of one-shot lints (the CLI)
   * keeps a statement rule's visitors from one file to the next (engine/one-shot-rules.ts).
   */
  readonly text: string;
}

/** File-scoped rules see the whole file and the workspace schema; they run on every change. */
export interface FileContext extends BaseContext {
  readonly file: SqlFile;
  readonly fileInfo: FileInfo;
  readonly schema: SchemaModel;
  /** True when `table` already existed before statement `stmtIndex` of this file (catalogue definition). */
  isExistingTable(table: string, stmtIndex: number): boolean;
  /**
   * The workspace schema as it was before this file ran (earlier migrations only; `schema` is the
   * end state, later migrations included), or with `stmtIndex` before that statement of this file.
   * Computed on first use and cached; empty without a workspace. Never change what it returns.
   */
  schemaBefore(stmtIndex?: number): SchemaModel;
  /**
   * Set by the linter (not by the Drizzle front-end or hand-made contexts): reports keeping the
   * finding made, and hands on a finding made earlier for this rule under the same configuration,
   * as it was. Per-table reuse (rules/lib/per-table-findings.ts) re-reports ~8,800 findings on a
   * DDL edit of a 10,000-statement file; made again they were formatted again and new objects.
   */
  readonly findings?: FindingReuse;
  /**
   * Set by the linter for a `byStatement` rule run after a DDL edit: true for a statement whose
   * findings of the last lint are kept. The rule may skip judging it (what it reports there is
   * dropped) but must still update the state it carries on to later statements.
   */
  readonly keeps?: (stmt: Statement) => boolean;
}

export interface FindingReuse {
  report(report: Report): Finding;
  again(finding: Finding): void;
}

import type { Node } from 'libpg-query';

type NodeVisitor = (ref: NodeRef, stmt: Statement) => void;

/** Every libpg-query node type name: 'ColumnDef', 'A_Expr', 'UpdateStmt', ... */
export type NodeTypeName = Node extends infer U ? (U extends unknown ? keyof U : never) : never;

export interface Hooks {
  /** Every parsed statement, in order. */
  statement?: (stmt: Statement) => void;
  /** Column declarations (SQL CREATE/ALTER TABLE, Drizzle pgTable columns). */
  column?: (decl: ColumnDecl, stmt?: Statement) => void;
  foreignKey?: (decl: ForeignKeyDecl, stmt?: Statement) => void;
  table?: (decl: TableDecl, stmt?: Statement) => void;
  /**
   * Before the first statement (file scope only): where a `stateless` rule makes what it tracks
   * through one file (a transaction tracker, names seen so far), since its visitors serve many files.
   */
  startFile?: () => void;
  /** After the last statement (file scope only). */
  endFile?: () => void;
}

/** Visitors keyed by libpg-query node type (`ColumnDef`, `A_Expr`, ...) plus the hooks above. */
export type Visitors = Hooks & { [K in NodeTypeName]?: NodeVisitor };

interface StatementRule {
  meta: RuleMeta;
  scope: 'statement';
  create(context: StatementContext): Visitors;
}

interface FileRule {
  meta: RuleMeta;
  scope: 'file';
  /**
   * 'statement': what the rule reports while visiting a statement depends only on that statement,
   * the schema, the file's schema-changing statements (DDL, grants, policies, functions...), its
   * path and role, and the configuration - never on other queries, transactions or SETs around it -
   * and lies within that statement. The engine then reuses the statement's findings while none of
   * that changed. Such a rule has no `endFile`.
   *
   * 'file': the rule reports only on what the file declares (its tables, keys, triggers, policies)
   * and reads nothing but the schema, the file's schema-changing statements, its path and role and
   * the configuration - not queries around them - so the engine reuses
   * all of its findings, endFile included, while none of that changed (engine/whole-file-cache.ts).
   * It may also read the file's BEGIN/COMMIT, SET and maintenance statements (REINDEX, VACUUM,
   * CLUSTER, REFRESH, TRUNCATE, LOCK: CONTROL_STATEMENT_TYPES there), but put no line numbers
   * or other positions in its messages.
   */
  cache?: 'statement' | 'file';
  /**
   * With `cache: 'file'`: everything the rule reports lies in the statement it is visiting and
   * follows from that statement (text, index), the tables it names (their shape in the schema and
   * this file's DDL naming them, as for `cache: 'statement'`), the file's control statements, its
   * path and role and the configuration; endFile reports nothing. After a DDL edit the engine
   * then keeps the findings of statements naming no changed table and drops what the rule reports
   * on them (see FileContext.keeps; engine/whole-file-by-statement.ts). Its visitors may carry
   * state from statement to statement (a transaction tracker): they still see every statement.
   */
  byStatement?: boolean;
  /**
   * For a rule without `cache`: whether the rule may read `stmt` (a top-level statement or one in
   * a body; for a top-level one, the text up to the next statement too). Its findings must follow
   * from the statements it is concerned with (text, index, order) and what a `cache: 'statement'`
   * rule may read besides (schema, the file's schema-changing statements, path, role,
   * configuration), with no line numbers in messages unless `citesLines`. After an edit that
   * replaces statements it is concerned with by none, and keeps their number, the engine then
   * reuses its findings, moved with the text, without running it (engine/concern-cache.ts). Called
   * for the edited statements only, before and after the edit: keep it cheap and free of side effects.
   */
  concerns?(stmt: Statement, context: FileContext): boolean;
  /**
   * With `concerns`: the rule's messages cite the line numbers of statements (a BEGIN, an earlier
   * DDL). Its findings are then reused only after edits that keep the file's number of lines, so
   * that every line outside the edited text keeps its number.
   */
  citesLines?: boolean;
  /**
   * create() only keeps its context (every field of it is read when visiting, never when created)
   * and the visitors hold no state from one file to the next: state kept through a file is made
   * anew by `startFile` (state inside one visitor call is fine). A run of one-shot lints (the CLI)
   * then makes the visitors once and points the context at each file (engine/one-shot-rules.ts)
   * instead of calling create() for every file.
   */
  stateless?: boolean;
  create(context: FileContext): Visitors;
}

export type RuleDefinition = StatementRule | FileRule;

export function defineRule<R extends RuleDefinition>(rule: R): R {
  return rule;
}

const HOOK_NAMES = new Set(['statement', 'column', 'foreignKey', 'table', 'startFile', 'endFile']);

export function nodeVisitorEntries(visitors: Visitors): Array<[string, NodeVisitor]> {
  return Object.entries(visitors).filter(([k, v]) => !HOOK_NAMES.has(k) && typeof v === 'function') as Array<[string, NodeVisitor]>;
}
