// Random edits of a migration, mostly inside its DDL (characters deleted, statements deleted or
// replaced, snippets typed), for the tests that lint each version incrementally and compare it
// with a fresh lint. The random sequence for a seed is part of the tests: seeds were picked for
// the edits they make, so the order of the draws must stay as it is.
import type { Statement } from '../../server/src/sql/document';
import { seededRandom } from './seeded-random';

export interface DdlEdits {
  /** Statements replaced whole by one of these. */
  inPlace: readonly string[];
  /** Typed at a random offset. */
  snippets: readonly string[];
  /** Share of edits aimed at CREATE/ALTER statements rather than any statement. */
  ddlShare: number;
  /** Share of edits deleting a whole statement (after the 15% deleting one character). */
  statementDeletes: number;
}

/**
 * Applies `rounds` random edits to `text`; after each, `same(text)` says whether the incremental
 * lint of the new text equals a fresh one. The first edit after which it does not, if any.
 */
export function firstMismatchingEdit(seed: number, rounds: number, text: string, edits: DdlEdits, statements: () => readonly Statement[], same: (text: string) => boolean): string | undefined {
  const random = seededRandom(seed);
  const pick = (list: readonly string[]) => list[Math.floor(random() * list.length)];
  for (let round = 0; round < rounds; round++) {
    const all = statements();
    const ddl = all.filter((s) => /^(CREATE|ALTER)\b/.test(s.segment.text));
    const list = ddl.length && random() < edits.ddlShare ? ddl : all;
    const stmt = list[Math.floor(random() * list.length)];
    const at = stmt ? stmt.segment.start + Math.floor(random() * (stmt.segment.end - stmt.segment.start + 1)) : 0;
    const r = random();
    if (r < 0.15 && at < text.length) text = text.slice(0, at) + text.slice(at + 1);
    else if (r < 0.15 + edits.statementDeletes && stmt) text = text.slice(0, stmt.segment.start) + text.slice(stmt.segment.end);
    else if (r < 0.35 && stmt) text = text.slice(0, stmt.segment.start) + pick(edits.inPlace) + text.slice(stmt.segment.end);
    else text = text.slice(0, at) + pick(edits.snippets) + text.slice(at);
    if (!same(text)) return `round ${round}, edit at ${at}`;
  }
  return undefined;
}
