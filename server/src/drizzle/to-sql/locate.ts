// The Drizzle query chain under the cursor: the outermost expression of a method chain that starts
// at a Drizzle database handle (`db`, `tx`, an imported `db`), translated to SQL.
import ts from 'typescript';
import { analyseTypeScript, type TsAnalysis } from '../analysis';
import { unwrap } from '../imports';
import { chainLinks, translateChain } from './chain';
import { tableResolver, type ReadFile } from './table-resolver';
import type { Translation } from './types';

export interface ChainAt {
  /** UTF-16 offsets of the chain in the document. */
  start: number;
  end: number;
  translation: Translation;
}

/** Handle methods that are not one query: hovering them (or code inside their callbacks) shows nothing. */
const NOT_QUERIES = new Set(['transaction', 'execute', 'batch', '$client', '$count']);

/** Climbs from the token at `offset` to the top of the member/call chain it belongs to. */
function chainTop(node: ts.Node): ts.Expression | undefined {
  let cur: ts.Node = node;
  while (cur.parent && (ts.isPropertyAccessExpression(cur.parent) || (ts.isCallExpression(cur.parent) && cur.parent.expression === cur) || ts.isNonNullExpression(cur.parent))) {
    cur = cur.parent;
  }
  return ts.isExpression(cur) ? cur : undefined;
}

function tokenAt(sf: ts.SourceFile, offset: number): ts.Node | undefined {
  let found: ts.Node | undefined;
  const visit = (node: ts.Node) => {
    if (offset < node.getStart(sf) || offset > node.end) return;
    found = node;
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

/**
 * The chain at `offset`, including when the cursor is inside its arguments (`eq(payments.status, ...)`):
 * the innermost enclosing chain rooted at a Drizzle handle wins.
 */
export function drizzleChainAt(analysis: TsAnalysis, offset: number, read: ReadFile): ChainAt | undefined {
  if (!analysis.relevant) return undefined;
  for (let node = tokenAt(analysis.sf, offset); node; node = node.parent) {
    if (!ts.isIdentifier(node) && !ts.isPropertyAccessExpression(node) && !ts.isCallExpression(node)) continue;
    const top = chainTop(node);
    if (!top) continue;
    const { root, links } = chainLinks(top);
    if (!links.length || NOT_QUERIES.has(links[0].name) || analysis.handles.kindOf(root) !== 'drizzle') continue;
    const start = unwrap(top).getStart(analysis.sf);
    const translation = translateChain(top, analysis.sf, analysis.imports, tableResolver(analysis, read));
    return { start, end: top.end, translation };
  }
  return undefined;
}

/** For callers without an analysis at hand (the language server's hover). */
export function drizzleChainInText(path: string, text: string, offset: number, read: ReadFile): ChainAt | undefined {
  return drizzleChainAt(analyseTypeScript(path, text), offset, read);
}
