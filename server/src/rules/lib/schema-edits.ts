// Edits that add statements to the file being linted.
import type { FileContext } from '../../engine/rule';
import type { Span, TextEdit } from '../../engine/types';
import type { Statement } from '../../sql/document';

/** The top-level statement of the linted file that contains `span`. */
export function statementAt(context: FileContext, span: Span): Statement | undefined {
  return context.file.statements.find((s) => s.segment.start <= span.start && span.start <= s.segment.end);
}

/** Inserts `sql` (one or more complete statements) on new lines right after `stmt` and its `;`. */
export function insertAfterStatement(context: FileContext, stmt: Statement, sql: string): TextEdit {
  const text = context.file.text;
  const nl = text.includes('\r\n') ? '\r\n' : '\n';
  const end = stmt.segment.end;
  let semi = end;
  while (semi < text.length && /\s/.test(text[semi])) semi++;
  if (text[semi] === ';') return { start: semi + 1, end: semi + 1, newText: `${nl}${sql}` };
  return { start: end, end, newText: `;${nl}${sql}` };
}
