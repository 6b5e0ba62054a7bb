// The workspace schema model: what a reviewer who read every migration would know.
// Front-ends (SQL migrations, Drizzle schemas) fill it; rules read it. Names are stored
// lower-cased unless they were quoted, as PostgreSQL folds them.
import type { Span } from '../engine/types';

/** Where something was declared: a file (path or URI) and a span in it. */
export interface SourceRef {
  file: string;
  span: Span;
  /** Position of the file in migration order (0 = first); Infinity for non-migration files. */
  order: number;
}

export interface TypeRef {
  /** Canonical PostgreSQL name: int2 int4 int8 numeric float4 float8 money text varchar bpchar
   *  timestamp timestamptz date time timetz interval bool uuid json jsonb bytea serial4 serial8 ... */
  name: string;
  /** Type modifiers, e.g. numeric(19,4) -> [19, 4]; empty when none. */
  mods: number[];
  array: boolean;
  /** The type as written (`double precision`), for messages. */
  written: string;
}

export interface ColumnModel {
  name: string;
  type: TypeRef;
  notNull: boolean;
  /** The default expression as written, if any. */
  defaultExpr?: string;
  identity?: boolean;
  generated?: boolean;
  /** Span of the column's name and type in its declaring statement. */
  source: SourceRef;
}

export interface ForeignKeyModel {
  name?: string;
  columns: string[];
  refTable: string;
  refColumns: string[];
  onDelete?: 'cascade' | 'restrict' | 'no action' | 'set null' | 'set default';
  /** True when ON DELETE was written explicitly. */
  onDeleteExplicit: boolean;
  validated: boolean;
  source: SourceRef;
}

export interface IndexModel {
  name?: string;
  table: string;
  columns: string[];
  /** Expression keys are kept as written, prefixed with '('. */
  method: string;
  unique: boolean;
  /** The partial-index predicate as written, if any. */
  where?: string;
  concurrently: boolean;
  source: SourceRef;
}

export interface CheckModel {
  name?: string;
  expr: string;
  columns: string[];
  validated: boolean;
  source: SourceRef;
}

export interface PolicyModel {
  name: string;
  command: 'all' | 'select' | 'insert' | 'update' | 'delete';
  using?: string;
  withCheck?: string;
  source: SourceRef;
}

export interface TriggerModel {
  name: string;
  timing: 'before' | 'after' | 'instead of';
  events: Array<'insert' | 'update' | 'delete' | 'truncate'>;
  level: 'row' | 'statement';
  func: string;
  constraint: boolean;
  deferrable: boolean;
  source: SourceRef;
}

export interface GrantModel {
  privileges: string[];
  grantees: string[];
  revoke: boolean;
  source: SourceRef;
}

export interface TableModel {
  name: string;
  schema?: string;
  columns: Map<string, ColumnModel>;
  primaryKey?: { name?: string; columns: string[]; source: SourceRef };
  uniques: Array<{ name?: string; columns: string[]; where?: string; source: SourceRef }>;
  foreignKeys: ForeignKeyModel[];
  indexes: IndexModel[];
  checks: CheckModel[];
  policies: PolicyModel[];
  triggers: TriggerModel[];
  grants: GrantModel[];
  rlsEnabled: boolean;
  rlsForced: boolean;
  partitionBy?: { strategy: string; columns: string[] };
  partitionOf?: string;
  temporary: boolean;
  /** The CREATE TABLE (or pgTable call); undefined for tables only altered in this workspace. */
  created?: SourceRef;
  /** Span of the table name in its CREATE TABLE / pgTable name argument. */
  nameSpan?: SourceRef;
}

export interface FunctionModel {
  name: string;
  language: string;
  securityDefiner: boolean;
  setsSearchPath: boolean;
  source: SourceRef;
}

/** One label of an enum type, with where it was declared (CREATE TYPE, ADD VALUE, RENAME VALUE or a pgEnum array). */
export interface EnumValueModel {
  label: string;
  source: SourceRef;
}

export interface EnumModel {
  name: string;
  schema?: string;
  /** Labels in PostgreSQL's sort order (ADD VALUE BEFORE/AFTER places them; without it they go last). */
  values: EnumValueModel[];
  /** The CREATE TYPE (or pgEnum call); undefined for enums only altered in this workspace. */
  created?: SourceRef;
  /** Which front-end declared the enum as it stands. */
  front: 'sql' | 'drizzle';
  /** For a pgEnum whose type the SQL migrations also declare: the enum as the migrations leave it. */
  migrated?: EnumModel;
}

export interface SchemaModel {
  tables: Map<string, TableModel>;
  functions: Map<string, FunctionModel>;
  /** Enum types by key (`name`, or `schema.name` outside public), as tables are keyed. */
  enums: Map<string, EnumModel>;
  /** The enum a type name (as in TypeRef.name: `payment_status`, `billing.state`) refers to, if any. */
  enumType(name: string): EnumModel | undefined;
  /** Revoked EXECUTE-from-PUBLIC function names. */
  revokedExecute: Set<string>;
  /** Table lookup by name, with or without schema qualification. */
  table(name: string): TableModel | undefined;
}
