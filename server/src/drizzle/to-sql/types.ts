// What the static Drizzle -> SQL translation works with and produces.
import type ts from 'typescript';

/** A pgTable as the translation needs it: SQL names, columns in declaration order. */
export interface TableInfo {
  /** The TypeScript name the table is bound to (`payments`). */
  varName: string;
  name: string;
  schema?: string;
  /**
   * `insertDefault`: what Drizzle writes for the column when an insert gives no value. 'runtime' for
   * `$defaultFn` (a parameter computed when the code runs), 'unknown' for identity and generated
   * columns (Drizzle may leave them out of the column list); absent: the SQL keyword `default`.
   */
  columns: Array<{ key: string; dbName: string; insertDefault?: 'runtime' | 'unknown' }>;
}

/** One `$n`: the TypeScript expression that supplies it, and its value when it is a literal. */
export interface Param {
  source: string;
  literal?: string | number | boolean | null;
}

export type Translation =
  | { ok: true; sql: string; params: Param[]; kind: 'select' | 'insert' | 'update' | 'delete' }
  | { ok: false; reason: string };

/** Thrown inside the translator; becomes `{ ok: false, reason }` at its entry point. */
export class NotTranslatable extends Error {}

export function fail(reason: string, node?: ts.Node, sf?: ts.SourceFile): never {
  const where = node && sf ? ` (\`${node.getText(sf).replace(/\s+/g, ' ').slice(0, 60)}\`)` : '';
  throw new NotTranslatable(`${reason}${where}`);
}

export const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

export function tableSql(t: TableInfo): string {
  return t.schema ? `${quoteIdent(t.schema)}.${quoteIdent(t.name)}` : quoteIdent(t.name);
}
