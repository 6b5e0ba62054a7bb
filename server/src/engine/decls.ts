// Front-end-neutral declarations. The SQL front-end derives them from CREATE/ALTER TABLE, the
// Drizzle front-end from `pgTable` calls; rules that check columns and foreign keys are written
// once against these and work on both.
import type { Span, TextEdit } from './types';
import type { TypeRef } from '../model/schema';

export type OnDeleteAction = 'no action' | 'restrict' | 'cascade' | 'set null' | 'set default';

export interface ForeignKeyDecl {
  table: string;
  columns: string[];
  refTable: string;
  refColumns: string[];
  onDelete: OnDeleteAction;
  /** Whether `ON DELETE` was written (the AST says NO ACTION either way). */
  onDeleteExplicit: boolean;
  /** The whole clause (`REFERENCES accounts (id) ON DELETE CASCADE`, or the table constraint). */
  span: Span;
  /** The `ON DELETE ...` words, when written. */
  onDeleteSpan?: Span;
  /** Where an `ON DELETE` clause can be inserted (after the referenced columns). */
  insertAt: number;
  language: 'sql' | 'typescript';
  /**
   * The edit that makes the foreign key say `ON DELETE <action>` in the front-end's own syntax
   * (`ON DELETE RESTRICT` in SQL, `onDelete: 'restrict'` in Drizzle); undefined when there is none.
   */
  setOnDelete(action: OnDeleteAction): TextEdit | undefined;
}

export interface ColumnDecl {
  table: string;
  name: string;
  type: TypeRef;
  nameSpan: Span;
  typeSpan: Span;
  /** Name through type: the anchor of column findings. */
  span: Span;
  notNull: boolean;
  primaryKey: boolean;
  unique: boolean;
  defaultExpr?: string;
  /** `CREATE TABLE` column, or `ALTER TABLE ... ADD COLUMN`. */
  via: 'create' | 'add-column';
  language: 'sql' | 'typescript';
  /**
   * Text that replaces `typeSpan` to give the column another type, for fixes. For SQL it is the type
   * itself; the Drizzle front-end supplies its own builder call.
   */
  retype(sqlType: string): string | undefined;
  /**
   * The edit that adds NOT NULL or PRIMARY KEY to the column in the front-end's own syntax
   * (`.notNull()` / `.primaryKey()` in Drizzle); undefined when the front-end leaves it to the rule.
   */
  constrain?(constraint: 'not null' | 'primary key'): TextEdit | undefined;
  /**
   * Drizzle: whether the workspace's drizzle() calls or drizzle.config set `casing: 'snake_case'`
   * (which renames property keys without a name argument); 'unknown' when no such call was seen.
   */
  workspaceCasing?: 'snake_case' | 'unset' | 'unknown';
}

export interface TableDecl {
  name: string;
  nameSpan: Span;
  span: Span;
  language: 'sql' | 'typescript';
  /**
   * Front-ends whose tables are not SQL statements say how to change them in their own syntax
   * (Drizzle: `index('name').on(t.col)` in the extra config, `.enableRLS()`, an identity `id`
   * column). SQL rules insert statements themselves and leave these undefined for SQL.
   */
  edits?: TableEdits;
}

export interface TableEdits {
  addIndex(name: string, columns: string[], unique: boolean): TextEdit[] | undefined;
  enableRls(): TextEdit[] | undefined;
  addIdentityKey(): TextEdit[] | undefined;
  /** A CHECK on one column: `check('<name>', sql`${t.<column>} <condition>`)` in Drizzle. */
  addCheck(name: string, column: string, condition: string): TextEdit[] | undefined;
}
