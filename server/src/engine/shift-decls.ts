// The declarations of a statement that moved (an edit above it), made from the ones computed at
// its old offset: a keystroke near the top of a long file otherwise rebuilds the columns of every
// CREATE TABLE below it (tokens copied at the new offset, the AST walked again) for the few file
// rules that still visit declarations. Only offsets change; what the edits insert does not.
import type { ColumnDecl, ForeignKeyDecl, TableDecl, TableEdits } from './decls';
import type { StatementDecls } from '../sql/sql-decls';
import type { Span, TextEdit } from './types';

const span = (s: Span, d: number): Span => ({ start: s.start + d, end: s.end + d });
const edit = (e: TextEdit | undefined, d: number): TextEdit | undefined => (e ? { ...e, start: e.start + d, end: e.end + d } : e);
const edits = (list: TextEdit[] | undefined, d: number): TextEdit[] | undefined => list?.map((e) => edit(e, d)!);

function shiftColumn(c: ColumnDecl, d: number): ColumnDecl {
  const constrain = c.constrain;
  return {
    ...c,
    nameSpan: span(c.nameSpan, d),
    typeSpan: span(c.typeSpan, d),
    span: span(c.span, d),
    ...(constrain ? { constrain: (what: 'not null' | 'primary key') => edit(constrain.call(c, what), d) } : {}),
  };
}

function shiftForeignKey(f: ForeignKeyDecl, d: number): ForeignKeyDecl {
  return {
    ...f,
    span: span(f.span, d),
    onDeleteSpan: f.onDeleteSpan && span(f.onDeleteSpan, d),
    insertAt: f.insertAt + d,
    setOnDelete: (action) => edit(f.setOnDelete(action), d),
  };
}

function shiftTableEdits(e: TableEdits, d: number): TableEdits {
  return {
    addIndex: (name, columns, unique) => edits(e.addIndex(name, columns, unique), d),
    enableRls: () => edits(e.enableRls(), d),
    addIdentityKey: () => edits(e.addIdentityKey(), d),
    addCheck: (name, column, condition) => edits(e.addCheck(name, column, condition), d),
  };
}

function shiftTable(t: TableDecl, d: number): TableDecl {
  return { ...t, nameSpan: span(t.nameSpan, d), span: span(t.span, d), ...(t.edits ? { edits: shiftTableEdits(t.edits, d) } : {}) };
}

/** `decls` moved by `delta` UTF-16 units. */
export function shiftDecls(decls: StatementDecls, delta: number): StatementDecls {
  // Most statements declare nothing: no copy for each of them after every edit above them.
  if (delta === 0 || (decls.tables.length === 0 && decls.columns.length === 0 && decls.foreignKeys.length === 0)) return decls;
  return {
    tables: decls.tables.map((t) => shiftTable(t, delta)),
    columns: decls.columns.map((c) => shiftColumn(c, delta)),
    foreignKeys: decls.foreignKeys.map((f) => shiftForeignKey(f, delta)),
  };
}
