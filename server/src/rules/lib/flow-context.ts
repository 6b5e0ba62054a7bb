// Helpers for rules that look at SQL inside PL/pgSQL bodies: where to anchor, how to name the routine.
import type { Span } from '../../engine/types';
import type { SqlStatement } from '../../sql/statement';

/** A statement inside a body is anchored on the whole statement (catalogue), a top-level one on its first line. */
export function statementAnchor(stmt: SqlStatement): Span {
  return stmt.container ? stmt.span() : stmt.firstLine();
}

/** ` in function \`debit\`` / ` in a DO block` / '' at top level, for messages. */
export function whereText(stmt: SqlStatement): string {
  const c = stmt.container;
  if (!c) return '';
  return c.kind === 'do' ? ' in a DO block' : ` in ${c.kind} \`${c.name}\``;
}
