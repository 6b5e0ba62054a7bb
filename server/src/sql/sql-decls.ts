// Column, foreign-key and table declarations of one SQL statement, with exact spans.
import type { ColumnDecl, ForeignKeyDecl, OnDeleteAction, TableDecl } from '../engine/decls';
import type { Span } from '../engine/types';
import type { SqlStatement, Token } from './statement';
import { tokenIndexAt } from './tokens';
import { typeRefOf } from './type-name';

const ACTIONS: Record<string, OnDeleteAction> = {
  a: 'no action',
  r: 'restrict',
  c: 'cascade',
  n: 'set null',
  d: 'set default',
};

export interface StatementDecls {
  tables: TableDecl[];
  columns: ColumnDecl[];
  foreignKeys: ForeignKeyDecl[];
}

/** Index just past the end of a table element that starts at token `i` (`,` or `)` at depth 0). */
function elementEnd(tokens: readonly Token[], i: number): number {
  let depth = 0;
  let end = i;
  for (; i < tokens.length; i++) {
    const t = tokens[i].text;
    if (t === '(' || t === '[') depth++;
    else if (t === ')' || t === ']') {
      if (depth === 0) break;
      depth--;
    } else if (t === ',' && depth === 0) break;
    end = i;
  }
  return end;
}

/** The token span of a name (possibly qualified or quoted) starting at offset `start`. */
export function nameSpanAt(tokens: readonly Token[], start: number): Span {
  let i = tokenIndexAt(tokens, start);
  if (i >= tokens.length) return { start, end: start };
  let end = tokens[i].end;
  while (tokens[i + 1]?.text === '.' && tokens[i + 2]) {
    end = tokens[i + 2].end;
    i += 2;
  }
  return { start: tokens[tokenIndexAt(tokens, start)].start, end };
}

export function relationName(rel: any): string {
  return String(rel?.relname ?? '');
}

function names(list: any[] | undefined): string[] {
  return (list ?? []).map((n: any) => String(n?.String?.sval ?? ''));
}

/** Spans of `REFERENCES t (cols)` and an optional `ON DELETE <action>` between token indexes. */
function referenceSpans(tokens: readonly Token[], from: number, to: number): { insertAt: number; onDelete?: Span; end: number } {
  let insertAt = tokens[Math.min(to, tokens.length - 1)]?.end ?? 0;
  let onDelete: Span | undefined;
  let end = insertAt;
  for (let i = from; i <= to && i < tokens.length; i++) {
    const t = tokens[i];
    if (t.keyword === 'references') {
      let j = i + 1;
      while (j <= to && (tokens[j].kind === 'ident' || tokens[j].kind === 'keyword' || tokens[j].text === '.') && tokens[j].keyword !== 'on' && tokens[j].keyword !== 'match') j++;
      if (tokens[j]?.text === '(') {
        while (j <= to && tokens[j].text !== ')') j++;
        insertAt = tokens[j]?.end ?? insertAt;
      } else {
        insertAt = tokens[j - 1]?.end ?? insertAt;
      }
    }
    if (t.keyword === 'on' && tokens[i + 1]?.keyword === 'delete') {
      let j = i + 2;
      // SET NULL (cols) / SET DEFAULT / NO ACTION / RESTRICT / CASCADE
      if (tokens[j]?.keyword === 'set' || tokens[j]?.keyword === 'no') j++;
      let last = tokens[j];
      if (tokens[j + 1]?.text === '(') {
        while (j <= to && tokens[j].text !== ')') j++;
        last = tokens[j];
      }
      onDelete = { start: t.start, end: last?.end ?? t.end };
    }
    end = t.end;
  }
  return { insertAt, onDelete, end };
}

function foreignKeyFrom(
  con: any,
  table: string,
  columns: string[],
  stmt: SqlStatement,
  fromIdx: number,
  toIdx: number,
): ForeignKeyDecl {
  const tokens = stmt.tokens();
  const spans = referenceSpans(tokens, fromIdx, toIdx);
  return {
    table,
    columns,
    refTable: relationName(con.pktable),
    refColumns: names(con.pk_attrs),
    onDelete: ACTIONS[con.fk_del_action ?? 'a'] ?? 'no action',
    onDeleteExplicit: spans.onDelete !== undefined,
    span: { start: tokens[fromIdx]?.start ?? 0, end: spans.end },
    onDeleteSpan: spans.onDelete,
    insertAt: spans.insertAt,
    language: 'sql',
    setOnDelete(action) {
      const clause = `ON DELETE ${action.toUpperCase()}`;
      if (spans.onDelete) return { ...spans.onDelete, newText: clause };
      return { start: spans.insertAt, end: spans.insertAt, newText: ' ' + clause };
    },
  };
}

function columnFrom(def: any, table: string, via: ColumnDecl['via'], stmt: SqlStatement, text: string, out: StatementDecls): void {
  const tokens = stmt.tokens();
  const nameStart = stmt.at(def.location ?? 0);
  const startIdx = tokenIndexAt(tokens, nameStart);
  const endIdx = elementEnd(tokens, startIdx);
  const nameSpan = nameSpanAt(tokens, nameStart);
  if (!def.typeName) return;
  const { type, span: typeSpan } = typeRefOf(def.typeName, stmt, text);
  let notNull = false;
  let primaryKey = false;
  let unique = false;
  let defaultExpr: string | undefined;
  const constraints: any[] = (def.constraints ?? []).map((c: any) => c.Constraint).filter(Boolean);
  constraints.forEach((con, k) => {
    if (con.contype === 'CONSTR_NOTNULL') notNull = true;
    else if (con.contype === 'CONSTR_PRIMARY') primaryKey = notNull = true;
    else if (con.contype === 'CONSTR_UNIQUE') unique = true;
    else if (con.contype === 'CONSTR_IDENTITY') notNull = true;
    const conStart = tokenIndexAt(tokens, stmt.at(con.location ?? 0));
    const nextStart = constraints[k + 1] ? tokenIndexAt(tokens, stmt.at(constraints[k + 1].location ?? 0)) - 1 : endIdx;
    if (con.contype === 'CONSTR_DEFAULT' && con.raw_expr) {
      const from = tokens[conStart + 1]?.start ?? 0;
      defaultExpr = text.slice(from, tokens[nextStart]?.end ?? from).trim();
    }
    if (con.contype === 'CONSTR_FOREIGN') {
      out.foreignKeys.push(foreignKeyFrom(con, table, [def.colname], stmt, conStart, nextStart));
    }
  });
  out.columns.push({
    table,
    name: String(def.colname ?? ''),
    type,
    nameSpan,
    typeSpan,
    span: { start: nameSpan.start, end: Math.max(typeSpan.end, nameSpan.end) },
    notNull,
    primaryKey,
    unique,
    defaultExpr,
    via,
    language: 'sql',
    retype: sameType,
  });
}

function tableConstraint(con: any, table: string, stmt: SqlStatement, out: StatementDecls): void {
  if (con.contype !== 'CONSTR_FOREIGN') return;
  const tokens = stmt.tokens();
  const startIdx = tokenIndexAt(tokens, stmt.at(con.location ?? 0));
  const endIdx = elementEnd(tokens, startIdx);
  out.foreignKeys.push(foreignKeyFrom(con, table, names(con.fk_attrs), stmt, startIdx, endIdx));
}

/** Declarations made by one statement (CREATE TABLE and ALTER TABLE ADD COLUMN / ADD CONSTRAINT). */
export function statementDecls(stmt: SqlStatement, text: string): StatementDecls {
  const out: StatementDecls = { tables: [], columns: [], foreignKeys: [] };
  const ast: any = stmt.ast;
  if (!ast) return out;
  if (ast.CreateStmt) {
    const cs = ast.CreateStmt;
    const table = relationName(cs.relation);
    const nameSpan = nameSpanAt(stmt.tokens(), stmt.at(cs.relation?.location ?? 0));
    out.tables.push({ name: table, nameSpan, span: stmt.span(), language: 'sql' });
    for (const elt of cs.tableElts ?? []) {
      if (elt.ColumnDef) columnFrom(elt.ColumnDef, table, 'create', stmt, text, out);
      else if (elt.Constraint) tableConstraint(elt.Constraint, table, stmt, out);
    }
  } else if (ast.AlterTableStmt) {
    const at = ast.AlterTableStmt;
    if (at.objtype !== 'OBJECT_TABLE') return out;
    const table = relationName(at.relation);
    for (const c of at.cmds ?? []) {
      const cmd = c.AlterTableCmd;
      if (!cmd) continue;
      if (cmd.subtype === 'AT_AddColumn' && cmd.def?.ColumnDef) columnFrom(cmd.def.ColumnDef, table, 'add-column', stmt, text, out);
      else if (cmd.subtype === 'AT_AddConstraint' && cmd.def?.Constraint) tableConstraint(cmd.def.Constraint, table, stmt, out);
    }
  }
  return out;
}

// At module level: a closure made inside the column's function shares its scope, which holds the file's
// text, so every cached column kept that version of the file alive across edits.
function sameType(sqlType: string): string {
  return sqlType;
}
