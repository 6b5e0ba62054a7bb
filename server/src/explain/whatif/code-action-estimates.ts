/**
 * Code actions that create an index carry the estimated cost before and after in their title
 * ("Create the index on payments (account_id) (estimated cost 4,167 -> 146)"), computed with a
 * hypothetical index. Titles cannot change after the menu is shown (codeAction/resolve fills in
 * edits, not titles), so the estimate runs while the menu is built, under one shared deadline; a
 * slow estimate says so and is cached for the next time the menu opens.
 */
import type { CodeAction, TextDocumentEdit, TextEdit } from 'vscode-languageserver';
import { ensureParserLoaded } from '../statement-check';
import { indexStatementsIn, lookupFor, type IndexStatement } from './index-statement';
import { estimateSuffix, type Estimate } from './what-if-service';

export type EstimateFn = (statement: string, indexSql: string, timeoutMs: number) => Promise<Estimate>;

export interface EstimateContext {
  estimate: EstimateFn;
  /** The explainable statement at the action's diagnostic, when the diagnostic sits in a query. */
  statementFor?: (action: CodeAction) => string | undefined;
  /** For fixes that insert something other than SQL (a Drizzle `index().on()`): the index they create. */
  indexFor?: (action: CodeAction) => IndexStatement | undefined;
  timeoutMs?: number;
}

/** All inserted text of an action: edits and the contents of new files (a new migration). */
function insertedTexts(action: CodeAction): string[] {
  const out: string[] = [];
  const edit = action.edit;
  if (!edit) return out;
  for (const edits of Object.values(edit.changes ?? {})) out.push(...edits.map((e: TextEdit) => e.newText));
  for (const change of edit.documentChanges ?? []) {
    if ('edits' in change) out.push(...(change as TextDocumentEdit).edits.map((e) => ('newText' in e ? e.newText : '')));
  }
  return out;
}

/** The CREATE INDEX an action inserts, if it inserts one. Requires the parser loaded. */
export function indexOfAction(action: CodeAction): IndexStatement | undefined {
  if (action.kind && !action.kind.startsWith('quickfix')) return undefined;
  for (const text of insertedTexts(action)) {
    const found = indexStatementsIn(text.replace(/^\s*--.*$/gm, ''));
    if (found.length) return found[0];
  }
  return undefined;
}

/** Returns the same actions, the index-creating ones with the estimate in their title. */
export async function withIndexEstimates(actions: CodeAction[], context: EstimateContext): Promise<CodeAction[]> {
  await ensureParserLoaded();
  const deadline = Date.now() + (context.timeoutMs ?? 1500);
  const out: CodeAction[] = [];
  for (const action of actions) {
    const index = indexOfAction(action) ?? (action.kind?.startsWith('quickfix') ? context.indexFor?.(action) : undefined);
    const statement = index && (context.statementFor?.(action) ?? lookupFor(index));
    if (!index || !statement) {
      out.push(action);
      continue;
    }
    const left = Math.max(50, deadline - Date.now());
    let estimate: Estimate;
    try {
      estimate = await context.estimate(statement, index.sql, left);
    } catch (error) {
      estimate = { status: 'unavailable', reason: (error as Error).message };
    }
    out.push({ ...action, title: action.title + estimateSuffix(estimate) });
  }
  return out;
}
