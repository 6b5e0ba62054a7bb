// AST helpers for migration rules: ALTER TABLE subcommands with their source spans (the AST
// gives most subcommands no location), relation names as rules compare them, and edit positions.
import type { Span } from '../../engine/types';
import type { Statement } from '../../sql/document';
import type { Token } from '../../sql/statement';
import { tokenIndexAt } from '../../sql/tokens';
import { typeSpanAt } from '../../sql/type-name';
import { memoOnStatement } from './statement-memo';

export interface AlterCmd {
  /** The AlterTableCmd fields (`subtype`, `name`, `def`). */
  cmd: any;
  /** The subcommand as written, from its first token to before the next top-level comma. */
  span: Span;
}

/** The unqualified table name of a RangeVar: the form `isExistingTable` and the vocabulary take. */
export function tableName(rangeVar: any): string {
  return String(rangeVar?.relname ?? '');
}

/** `schema.table` as written, for messages and generated SQL. */
export function writtenName(rangeVar: any): string {
  const name = quoteIdent(String(rangeVar?.relname ?? ''));
  return rangeVar?.schemaname ? `${quoteIdent(rangeVar.schemaname)}.${name}` : name;
}

export function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/** Index of the first token after a (possibly qualified) name starting at token `i`. */
function skipQualifiedName(tokens: readonly Token[], i: number): number {
  i++;
  while (i + 1 < tokens.length && tokens[i].text === '.') i += 2;
  return i;
}

/**
 * The subcommands of an ALTER TABLE statement with their spans, in AST order. Kept per statement
 * text (see statement-memo.ts): a dozen migration rules ask for every ALTER TABLE on each lint.
 * The result is shared: never change it.
 */
export function alterCmds(stmt: Statement): readonly AlterCmd[] {
  if (!(stmt.ast as any)?.AlterTableStmt?.cmds?.length) return [];
  return memoOnStatement(stmt, 'alterCmds', computeAlterCmds, shiftAlterCmds);
}

function shiftAlterCmds(cmds: readonly AlterCmd[], delta: number): AlterCmd[] {
  return cmds.map(({ cmd, span }) => ({ cmd, span: { start: span.start + delta, end: span.end + delta } }));
}

function computeAlterCmds(stmt: Statement): AlterCmd[] {
  const alter = (stmt.ast as any)?.AlterTableStmt;
  const cmds: any[] = (alter?.cmds ?? []).map((c: any) => c?.AlterTableCmd).filter(Boolean);
  if (cmds.length === 0) return [];
  const tokens = stmt.tokens();
  const fallback = () => cmds.map((cmd) => ({ cmd, span: stmt.firstLine() }));
  const relLoc = alter?.relation?.location;
  if (typeof relLoc !== 'number' || relLoc < 0) return fallback();
  const end = stmt.segment.end;
  let i = skipQualifiedName(tokens, tokenIndexAt(tokens, stmt.at(relLoc)));
  const spans: Span[] = [];
  let depth = 0;
  let start = tokens[i]?.start;
  for (; i < tokens.length && tokens[i].start < end; i++) {
    const t = tokens[i];
    if (t.text === '(' || t.text === '[') depth++;
    else if (t.text === ')' || t.text === ']') depth--;
    else if (t.text === ',' && depth === 0 && start !== undefined) {
      spans.push({ start, end: tokens[i - 1].end });
      start = tokens[i + 1]?.start;
    }
  }
  if (start !== undefined && i > 0) spans.push({ start, end: tokens[i - 1].end });
  if (spans.length !== cmds.length) return fallback();
  return cmds.map((cmd, k) => ({ cmd, span: spans[k] }));
}

/** Where a new statement can go after `stmt`: past its `;` (the text to insert starts with a newline). */
export function afterStatement(stmt: Statement, text: string): { at: number; prefix: string } {
  const end = stmt.segment.end;
  if (text[end] === ';') return { at: end + 1, prefix: '\n' };
  return { at: end, prefix: ';\n' };
}

/** Where a statement can go at the top of the file: after leading comments and blank lines. */
export function topOfFile(text: string): number {
  let i = 0;
  for (;;) {
    const rest = text.slice(i);
    const blank = /^\s+/.exec(rest);
    if (blank) {
      i += blank[0].length;
      continue;
    }
    if (rest.startsWith('--')) {
      const nl = rest.indexOf('\n');
      if (nl < 0) return text.length;
      i += nl + 1;
      continue;
    }
    if (rest.startsWith('/*')) {
      const close = rest.indexOf('*/');
      if (close < 0) return i;
      i += close + 2;
      continue;
    }
    // Back up to the start of the line so the inserted statement sits on its own line.
    const lineStart = text.lastIndexOf('\n', i - 1) + 1;
    return lineStart;
  }
}

/** The first keyword run (e.g. ['index']) in a statement's tokens from `from`, as a token index. */
export function tokenIndexOf(stmt: Statement, keyword: string, from = stmt.segment.start): number {
  const tokens = stmt.tokens();
  for (let i = tokenIndexAt(tokens, from); i < tokens.length; i++) if (tokens[i].keyword === keyword) return i;
  return -1;
}

/** The span of an added column's name and type (the anchor of column findings). */
export function columnDefSpan(stmt: Statement, colDef: any, fallback: Span): Span {
  if (typeof colDef?.location !== 'number' || colDef.location < 0) return fallback;
  const start = stmt.at(colDef.location);
  const typeLoc = colDef.typeName?.location;
  if (typeof typeLoc !== 'number' || typeLoc < 0) return fallback;
  const end = typeSpanAt(stmt.tokens(), stmt.at(typeLoc)).end;
  return end > start ? { start, end } : fallback;
}

/** The constraints of a ColumnDef, unwrapped. */
export function columnConstraints(colDef: any): any[] {
  return (colDef?.constraints ?? []).map((c: any) => c?.Constraint).filter(Boolean);
}

export interface AddedColumn {
  table: string;
  /** The ColumnDef node of `ADD COLUMN`. */
  col: any;
  /** The column's name through its definition, the anchor of findings. */
  span: Span;
}

/** `ALTER TABLE ... ADD COLUMN` definitions on a table that already existed before this statement. */
export function columnsAddedToExistingTable(stmt: Statement, isExistingTable: (table: string, index: number) => boolean): readonly AddedColumn[] {
  const table = tableName((stmt.ast as any)?.AlterTableStmt?.relation);
  if (!table || !isExistingTable(table, stmt.index)) return [];
  // The spans come from the statement's tokens: kept per statement text like alterCmds.
  return memoOnStatement(
    stmt,
    'addedColumns',
    (s) =>
      alterCmds(s)
        .filter((item) => item.cmd.subtype === 'AT_AddColumn')
        .map((item) => ({ table, col: item.cmd.def?.ColumnDef, span: columnDefSpan(s, item.cmd.def?.ColumnDef, item.span) })),
    (added, delta) => added.map((a) => ({ ...a, span: { start: a.span.start + delta, end: a.span.end + delta } })),
  );
}

/** Where the first `keyword` token of the statement ends (-1 without one); kept per statement text. */
export function keywordEnd(stmt: Statement, keyword: string): number {
  return memoOnStatement(
    stmt,
    `keywordEnd:${keyword}`,
    (s) => {
      const at = tokenIndexOf(s, keyword);
      return at < 0 ? -1 : s.tokens()[at].end;
    },
    (end, delta) => (end < 0 ? end : end + delta),
  );
}
