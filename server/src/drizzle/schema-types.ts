// What the Drizzle front-end extracts from `pgTable` calls, with spans in the TypeScript file.
import type ts from 'typescript';
import type { ForeignKeyDecl } from '../engine/decls';
import type { Span, TextEdit } from '../engine/types';
import type { TypeRef } from '../model/schema';

export interface DrizzleColumn {
  table: string;
  key: string;
  dbName: string;
  type: TypeRef;
  /** Drizzle builder (`numeric`, `bigint`) or the local name of a customType / enum / helper. */
  builder: string;
  /** `mode` option of the builder (`number`, `bigint`, `string`, `date`). */
  mode?: string;
  /** The `mode` option's value, and the text to delete to remove the option (with its comma). */
  modeValueSpan?: Span;
  modeRemoval?: Span;
  /** Type argument of `.$type<T>()`, as written. */
  tsType?: string;
  /** A customType whose data is a JS number (`fromDriver` converts with Number/parseFloat). */
  customJsNumber: boolean;
  nameSpan: Span;
  typeSpan: Span;
  span: Span;
  notNull: boolean;
  primaryKey: boolean;
  unique: boolean;
  defaultExpr?: string;
  identity: boolean;
  generated: boolean;
  /** Replacement for `typeSpan` that declares another SQL type, or undefined. */
  retype(sqlType: string): string | undefined;
}

/** A `.references()` / `foreignKey()` of a pgTable: the engine's declaration, minus the language tag. */
export type DrizzleForeignKey = Omit<ForeignKeyDecl, 'language'>;

export interface DrizzleIndex {
  name?: string;
  columns: string[];
  unique: boolean;
  method: string;
  where?: string;
  concurrently: boolean;
  span: Span;
}

export interface DrizzleTable {
  /** The variable the table is assigned to (`payments`), used by `references(() => payments.id)`. */
  varName?: string;
  name: string;
  schema?: string;
  nameSpan: Span;
  span: Span;
  columns: DrizzleColumn[];
  foreignKeys: DrizzleForeignKey[];
  indexes: DrizzleIndex[];
  primaryKey?: { columns: string[]; span: Span };
  uniques: Array<{ name?: string; columns: string[]; span: Span }>;
  checks: Array<{ name?: string; expr: string; span: Span }>;
  policies: Array<{ name: string; command: 'all' | 'select' | 'insert' | 'update' | 'delete'; using?: string; withCheck?: string; span: Span }>;
  rlsEnabled: boolean;
  /** The `pgTable(...)` call itself (inside any `.enableRLS()`), for fixes that edit its arguments. */
  call?: ts.CallExpression;
  /** The extra-config callback's result: an array literal, an object literal (older form) or none. */
  extra?: { form: 'array' | 'object'; node: ts.Expression; param?: string };
}

export interface DrizzleSchema {
  tables: DrizzleTable[];
}
