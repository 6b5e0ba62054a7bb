// File rules that track state through a file (transactions, SET lock_timeout, earlier CREATE
// INDEX) but act only on a few statement kinds: visiting them through node types lets the engine
// skip every other statement (each statement keeps the list of rules its node types call for),
// instead of calling a `statement` hook 10,000 times per keystroke in a long file.
import type { NodeTypeName, Visitors } from '../../engine/rule';
import type { Statement } from '../../sql/document';

/**
 * Visitors calling `handler(stmt)` once for each top-level statement that contains a node of one
 * of `types` (anywhere in its tree), in file order. Equivalent to a `statement` hook when that
 * hook neither reports nor changes state for a statement holding none of them. `startFile`, when
 * given, runs before each file's first statement (a `stateless` rule's per-file state).
 */
export function statementsWith(types: readonly NodeTypeName[], handler: (stmt: Statement) => void, startFile?: () => void): Visitors {
  let last: Statement | undefined;
  const once = (_ref: unknown, stmt: Statement): void => {
    if (stmt === last) return;
    last = stmt;
    handler(stmt);
  };
  const visitors: Record<string, typeof once | (() => void)> = {};
  for (let i = 0; i < types.length; i++) visitors[types[i]] = once;
  // The same visitors may serve the next file (or the same file linted again): forget the last statement.
  visitors.startFile = () => {
    last = undefined;
    startFile?.();
  };
  return visitors as Visitors;
}
