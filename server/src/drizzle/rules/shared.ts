// Helpers shared by the Drizzle-side checks.
import ts from 'typescript';
import type { RuleMeta } from '../../engine/types';
import type { TsAnalysis } from '../analysis';
import { chainAfter } from '../handles';
import { unwrap } from '../imports';

/**
 * The SQL rule's meta with the TypeScript messages and examples added, for a check that shares its
 * id: one meta per id, so docs, SARIF descriptors and config see a single rule.
 */
export function withTypeScript(meta: RuleMeta, messages: Record<string, string>, examples?: Partial<RuleMeta['examples']>, fix?: RuleMeta['fix']): RuleMeta {
  return {
    ...meta,
    // The TypeScript side may offer a fix where the SQL side has none.
    fix: fix ?? meta.fix,
    messages: { ...meta.messages, ...messages },
    languages: [...new Set([...meta.languages, 'typescript' as const])],
    examples: { incorrect: [...meta.examples.incorrect, ...(examples?.incorrect ?? [])], correct: [...meta.examples.correct, ...(examples?.correct ?? [])] },
  };
}

export const spanOf = (node: ts.Node, sf: ts.SourceFile) => ({ start: node.getStart(sf), end: node.end });

/** Calls made directly on a handle, with the handle's kind: found once per analysis, shared by every check. */
const onHandles = new WeakMap<TsAnalysis, Array<{ call: ts.CallExpression; method: string; kind: 'drizzle' | 'pg' }>>();

/** Every `<handle>.<method>(...)` call of a Drizzle or pg handle in the file. */
export function handleCalls(a: TsAnalysis, methods: ReadonlySet<string>, kind: 'drizzle' | 'pg' | 'any' = 'any'): ts.CallExpression[] {
  let list = onHandles.get(a);
  if (!a.handles.kinds.size) return [];
  if (!list) {
    list = [];
    for (const call of a.calls) {
      if (!ts.isPropertyAccessExpression(call.expression)) continue;
      const k = a.handles.kindOf(call.expression.expression);
      if (k) list.push({ call, method: call.expression.name.text, kind: k });
    }
    onHandles.set(a, list);
  }
  return list.filter((x) => methods.has(x.method) && (kind === 'any' || x.kind === kind)).map((x) => x.call);
}

/** Every call of an imported drizzle-orm / pg function (`notInArray`, `sql.raw` via `sql`). */
export function visitCalls(a: TsAnalysis, fn: (call: ts.CallExpression) => void): void {
  for (const call of a.calls) fn(call);
}

export { chainAfter, unwrap };

/** The table name a query builder argument names: a pgTable variable of this file, or the identifier. */
export function tableArgName(a: TsAnalysis, arg: ts.Expression | undefined): string {
  if (!arg) return '';
  const u = unwrap(arg);
  if (ts.isIdentifier(u)) return a.tables.find((t) => t.varName === u.text)?.name ?? u.text;
  return u.getText(a.sf);
}
