// What a lint of one file version found per statement, for the lint of the version edited from it
// (SqlFile.edit): a statement the edit did not replace has the same parse entry, so under the same
// rules its statement-rule findings are the same cached list. The next lint copies those lists by
// index instead of reading every statement's entry again (10,000 scattered objects per keystroke).
import type { SqlFile } from '../sql/document';
import type { CachedFindings } from './statement-findings';

interface StatementRuleLists {
  key: string;
  own: readonly CachedFindings[];
}

const byVersion = new WeakMap<object, StatementRuleLists>();

/** Remembers the statement-rule lists of the version just linted (not for a file linted once). */
export function keepStatementLists(file: SqlFile, key: string, own: readonly CachedFindings[]): void {
  if (file.id) byVersion.set(file.id, { key, own });
}

/**
 * Fills `own` for the statements the edit from the last linted version did not replace, and returns
 * the range [from, to) of indices left to compute; the whole file when there is nothing to copy.
 */
export function copyStatementLists(file: SqlFile, key: string, own: CachedFindings[]): { from: number; to: number } {
  const edit = file.edit;
  const last = edit && byVersion.get(edit.from);
  const count = file.statements.length;
  if (!edit || !last || last.key !== key) return { from: 0, to: count };
  const to = edit.head + edit.added;
  const shift = edit.added - edit.removed.length;
  for (let i = 0; i < edit.head; i++) own[i] = last.own[i];
  for (let i = to; i < count; i++) own[i] = last.own[i - shift];
  return { from: edit.head, to };
}
