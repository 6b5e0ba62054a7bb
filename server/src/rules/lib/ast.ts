// Small AST and token helpers shared by rules. libpg-query gives start locations only; spans
// of expressions come from the locations inside them and the scanner tokens.
import type { Span } from '../../engine/types';
import type { SqlStatement, Token } from '../../sql/statement';
import { tokenIndexAt } from '../../sql/tokens';

function collectLocations(value: unknown, out: number[], depth = 0): void {
  if (depth > 500 || value === null || typeof value !== 'object') return;
  // By index and for-in: under the CLI's baseline tiers for-of and Object.entries allocate per element.
  // The trees are JSON.parse's plain objects, whose own keys are all that for-in lists.
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) collectLocations(value[i], out, depth + 1);
    return;
  }
  const record = value as Record<string, unknown>;
  for (const k in record) {
    const v = record[k];
    if (k === 'location' && typeof v === 'number' && v >= 0) out.push(v);
    else collectLocations(v, out, depth + 1);
  }
}

/** The source span of an AST subtree: from its first to past its last token, parentheses balanced. */
export function nodeSpan(stmt: SqlStatement, node: unknown): Span {
  const locs: number[] = [];
  collectLocations(node, locs);
  if (locs.length === 0) return stmt.firstLine();
  const start = stmt.at(Math.min(...locs));
  const lastStart = stmt.at(Math.max(...locs));
  const tokens = stmt.tokens();
  let i = tokenIndexAt(tokens, lastStart);
  if (i >= tokens.length) return { start, end: Math.max(start + 1, lastStart) };
  // The last located token may be followed by its own closing parts: `(SELECT ...)`, `f(x)`.
  let depth = 0;
  for (let k = tokenIndexAt(tokens, start); k <= i; k++) {
    if (tokens[k].text === '(') depth++;
    else if (tokens[k].text === ')') depth--;
  }
  let end = tokens[i].end;
  while (depth > 0 && i + 1 < tokens.length) {
    i++;
    if (tokens[i].text === '(') depth++;
    else if (tokens[i].text === ')') depth--;
    end = tokens[i].end;
  }
  return { start, end };
}

/** The last name of a ColumnRef (`p.created_at` -> created_at), or undefined for `*`. */
export function columnRefName(node: any): string | undefined {
  const fields = node?.ColumnRef?.fields ?? node?.fields;
  if (!Array.isArray(fields) || fields.length === 0) return undefined;
  const last = fields[fields.length - 1];
  return last?.String?.sval;
}

/** Lower-cased unqualified function name of a FuncCall. */
export function funcName(call: any): string {
  const names: any[] = call?.funcname ?? [];
  return String(names[names.length - 1]?.String?.sval ?? '').toLowerCase();
}

export function stringConst(node: any): string | undefined {
  return node?.A_Const?.sval?.sval;
}

/** The span of a run of keywords (e.g. ['for', 'update']) in the statement, the first after `from`. */
export function keywordSpan(stmt: SqlStatement, words: string[], from = 0): Span | undefined {
  const tokens: readonly Token[] = stmt.tokens();
  for (let i = tokenIndexAt(tokens, from); i + words.length <= tokens.length; i++) {
    let ok = true;
    for (let k = 0; k < words.length && ok; k++) ok = tokens[i + k].keyword === words[k] || tokens[i + k].text.toLowerCase() === words[k];
    if (ok) return { start: tokens[i].start, end: tokens[i + words.length - 1].end };
  }
  return undefined;
}

/** Qualified relation name as written (`public.payments` or `payments`). */
export function relName(rel: any): string {
  return rel?.schemaname ? `${rel.schemaname}.${rel.relname}` : String(rel?.relname ?? '');
}
