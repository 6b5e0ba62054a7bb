// Edits that add statements to the file being linted.
import type { TableDecl } from '../../engine/decls';
import type { FileContext } from '../../engine/rule';
import type { Span, TextEdit } from '../../engine/types';
import type { SchemaModel } from '../../model/schema';
import type { Statement } from '../../sql/document';

/** The top-level statement of the linted file that contains `span`. */
export function statementAt(context: FileContext, span: Span): Statement | undefined {
  // Statements are in file order: binary search, since this runs once per finding.
  const list = context.file.statements;
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const seg = list[mid].segment;
    if (span.start < seg.start) hi = mid - 1;
    else if (span.start > seg.end) lo = mid + 1;
    else return list[mid];
  }
  return undefined;
}

const newlineCache = new WeakMap<object, string>();

/** The file's line break style, looked up once per parsed file rather than once per fix. */
export function newlineOf(context: FileContext): string {
  let nl = newlineCache.get(context.file);
  if (!nl) newlineCache.set(context.file, (nl = context.file.text.includes('\r\n') ? '\r\n' : '\n'));
  return nl;
}

/** Inserts `sql` (one or more complete statements) on new lines right after `stmt` and its `;`. */
export function insertAfterStatement(context: FileContext, stmt: Statement, sql: string): TextEdit {
  const text = context.file.text;
  const nl = newlineOf(context);
  const end = stmt.segment.end;
  let semi = end;
  while (semi < text.length && /\s/.test(text[semi])) semi++;
  if (text[semi] === ';') return { start: semi + 1, end: semi + 1, newText: `${nl}${sql}` };
  return { start: end, end, newText: `;${nl}${sql}` };
}

/**
 * Table declarations of front-ends that edit tables in their own syntax (Drizzle: `.enableRLS()`,
 * `index().on()` in the extra config), collected from a rule's `table` hook, by table name. SQL
 * declarations carry no edits: their fixes insert SQL.
 */
export class FrontEndTables {
  private readonly byName = new Map<string, TableDecl>();

  readonly collect = (decl: TableDecl): void => {
    if (decl.edits) this.byName.set(decl.name, decl);
  };

  /** No declaration with edits (a SQL file): fixes depend on the schema and the file alone. */
  isEmpty(): boolean {
    return this.byName.size === 0;
  }

  get(name: string): TableDecl | undefined {
    return this.byName.get(name);
  }

  /** Forgets the tables collected: a rule made once per run (`stateless`) starts each file with none. */
  clear(): void {
    this.byName.clear();
  }
}

const utf8Length = (s: string) => Buffer.byteLength(s, 'utf8');

/** How the workspace names CHECK constraints: `chk_payments_amount` (prefix) or `payments_amount_check` (suffix). */
export interface CheckNameStyle {
  prefix: string;
  suffix: string;
}

const checkStyleCache = new WeakMap<SchemaModel, CheckNameStyle>();

/** The most common style among the schema's named checks; PostgreSQL's own (`_check`) when none is. */
export function checkNameStyle(schema: SchemaModel): CheckNameStyle {
  let style = checkStyleCache.get(schema);
  if (style) return style;
  const counts = new Map<string, number>();
  for (const t of schema.tables.values()) {
    for (const c of t.checks) {
      const m = /^(chk|ck)_/.exec(c.name ?? '') ?? /_(check|chk|ck)$/.exec(c.name ?? '');
      if (m) counts.set(m[0], (counts.get(m[0]) ?? 0) + 1);
    }
  }
  const [top] = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0] ?? ['_check'];
  style = top.endsWith('_') ? { prefix: top, suffix: '' } : { prefix: '', suffix: top.slice(1) };
  checkStyleCache.set(schema, style);
  return style;
}

/**
 * A name for a new CHECK on one column, in the workspace's style. PostgreSQL's own style is the name
 * it gives a column CHECK written without one (`payments_amount_check`, then `payments_amount_check1`;
 * both parts shortened to fit 63 bytes), so a check added in Drizzle, which must be named, matches
 * the one the SQL fix creates.
 */
export function checkConstraintName(table: string, column: string, taken: ReadonlyArray<string | undefined>, style: CheckNameStyle = { prefix: '', suffix: 'check' }): string {
  const used = new Set(taken);
  for (let n = 0; ; n++) {
    const label = style.suffix ? `_${style.suffix}${n || ''}` : n ? `_${n}` : '';
    let t = table;
    let c = column;
    // Like PostgreSQL's makeObjectName: shorten the longer part first.
    while (style.prefix.length + utf8Length(t) + utf8Length(c) + label.length + 1 > 63) {
      if (utf8Length(t) >= utf8Length(c)) t = t.slice(0, -1);
      else c = c.slice(0, -1);
    }
    const name = `${style.prefix}${t}_${c}${label}`;
    if (!used.has(name)) return name;
  }
}
