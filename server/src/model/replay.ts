// Replays one parsed SQL file into a SchemaModel, statement by statement, in file order.
// Each statement is replayed on its own: one that fails to parse is skipped, and one whose AST
// surprises the replay is counted and skipped rather than aborting the file.
import type { SqlFile, Statement } from '../sql/document';
import { statementType } from '../sql/document';
import { emptyContribution, type FileContribution, ReplayContext } from './replay-context';
import { replayAlterTable, replayDrop, replayRename } from './replay-alter';
import {
  replayAlterFunction,
  replayCreateFunction,
  replayCreateIndex,
  replayCreatePolicy,
  replayCreateTrigger,
  replayGrant,
} from './replay-objects';
import { replayCreateTable, replayCreateTableAs } from './replay-table';
import { ENUM_HANDLERS, orEnum } from './replay-enum';
import type { MutableSchema } from './schema-builder';

type Handler = (ctx: ReplayContext, node: any) => void;

const HANDLERS: Record<string, Handler> = {
  CreateStmt: replayCreateTable,
  CreateTableAsStmt: replayCreateTableAs,
  AlterTableStmt: replayAlterTable,
  RenameStmt: orEnum(replayRename),
  DropStmt: orEnum(replayDrop),
  IndexStmt: replayCreateIndex,
  CreatePolicyStmt: replayCreatePolicy,
  CreateTrigStmt: replayCreateTrigger,
  GrantStmt: replayGrant,
  CreateFunctionStmt: replayCreateFunction,
  AlterFunctionStmt: replayAlterFunction,
  ...ENUM_HANDLERS,
};

/** Top-level statement types that change the schema model; every other statement only touches tables. */
export const SCHEMA_STATEMENT_TYPES: ReadonlySet<string> = new Set(Object.keys(HANDLERS));

/** Statements whose target table is a bare RangeVar (`relation`), which the node index does not list as one. */
const TARGET_TYPES = ['InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt', 'CopyStmt'];

/** Per statement text: the table names it reads or writes (a rebuild replays every statement again). */
const namesByEntry = new WeakMap<object, string[]>();

/** Every table name a statement reads or writes: FROM, JOIN, and the target of INSERT, UPDATE, DELETE, MERGE, COPY. */
function forEachTableName(stmt: Statement, fn: (key: string) => void): void {
  let names = namesByEntry.get(stmt.entry);
  if (!names) {
    const index = stmt.nodes();
    const found: string[] = [];
    const add = (rv: any) => {
      if (rv?.relname) found.push(rv.schemaname && rv.schemaname !== 'public' ? `${rv.schemaname}.${rv.relname}` : rv.relname);
    };
    // By index: under the CLI's baseline tiers a for-of allocates a result object per element.
    const rangeVars = index.get('RangeVar');
    if (rangeVars) for (let i = 0; i < rangeVars.length; i++) add(rangeVars[i].node);
    for (let t = 0; t < TARGET_TYPES.length; t++) {
      const refs = index.get(TARGET_TYPES[t]);
      if (refs) for (let i = 0; i < refs.length; i++) add(refs[i].node?.relation);
    }
    namesByEntry.set(stmt.entry, (names = found));
  }
  for (let i = 0; i < names.length; i++) fn(names[i]);
}

/** Tables a statement reads or writes, as replay records them (for files whose schema part did not change). */
export function referencedTables(stmt: Statement, into: Set<string>): void {
  forEachTableName(stmt, (key) => into.add(key));
}

export interface ReplayOptions {
  /** The file's position in migration order; Infinity for files outside migration folders. */
  order: number;
  /** Statements to replay (e.g. only the Up section of a sql-migrate file); all when omitted. */
  include?: (stmt: Statement) => boolean;
  /** Only statements with index in [from, to): a chunk between two checkpoints (file-checkpoints.ts). */
  from?: number;
  to?: number;
  /** Where to record what the statements did; a new contribution when omitted. */
  out?: FileContribution;
}

/** Tables every statement of the file reads or writes (FROM, JOIN, INSERT INTO, ...). */
function touchReferences(ctx: ReplayContext, stmt: Statement): void {
  forEachTableName(stmt, (key) => ctx.touch(key));
}

export function replayFile(file: SqlFile, schema: MutableSchema, options: ReplayOptions): FileContribution {
  const out = options.out ?? emptyContribution();
  const ctx = new ReplayContext(schema, file.path, options.order, file.text, out);
  const statements = file.statements;
  const to = Math.min(options.to ?? statements.length, statements.length);
  for (let i = options.from ?? 0; i < to; i++) {
    const stmt = statements[i];
    if (!stmt.ast || stmt.error) continue;
    if (options.include && !options.include(stmt)) continue;
    const type = statementType(stmt);
    const handler = type ? HANDLERS[type] : undefined;
    try {
      ctx.begin(stmt, !!handler);
      touchReferences(ctx, stmt);
      if (handler) handler(ctx, (stmt.ast as Record<string, unknown>)[type!]);
    } catch {
      out.failures++;
    }
  }
  return out;
}
