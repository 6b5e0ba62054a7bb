/**
 * Decides whether a text is exactly one explainable statement before it gets anywhere near the server.
 * This matters because the PostgreSQL 16+ generic-plan path has to use the simple protocol, which would
 * run every statement in the text.
 */
import { loadModule, parseSync, scanSync } from 'libpg-query';
import { ExplainError } from './session';

export type StatementKind = 'select' | 'insert' | 'update' | 'delete' | 'merge';

export interface CheckedStatement {
  /** The statement without its terminating `;`. */
  sql: string;
  kind: StatementKind;
  /** Highest `$n` in the statement (0 when there are none). */
  paramCount: number;
  /** Tables the statement reads or writes, for cache invalidation. */
  tables: string[];
  /** True for a SELECT that contains a data-modifying WITH. */
  writesInCte: boolean;
}

let loaded: Promise<void> | undefined;
export function ensureParserLoaded(): Promise<void> {
  loaded ??= loadModule();
  return loaded;
}

const KINDS: Record<string, StatementKind> = {
  SelectStmt: 'select',
  InsertStmt: 'insert',
  UpdateStmt: 'update',
  DeleteStmt: 'delete',
  MergeStmt: 'merge',
};

/** Requires `ensureParserLoaded()` to have resolved. */
export function checkStatement(text: string): CheckedStatement {
  let tokens: Array<{ start: number; end: number; text: string; tokenName: string }>;
  let parsed: { stmts: Array<{ stmt?: Record<string, unknown> }> };
  try {
    tokens = scanSync(text).tokens as never;
    parsed = parseSync(text) as never;
  } catch (error) {
    throw new ExplainError(`Not valid SQL, so there is nothing to EXPLAIN: ${(error as Error).message}`, '42601', 'refused');
  }
  if (parsed.stmts.length === 0) {
    throw new ExplainError('There is no statement here to EXPLAIN (only comments or blanks).', undefined, 'refused');
  }
  const code = tokens.filter((t) => t.tokenName !== 'SQL_COMMENT' && t.tokenName !== 'C_COMMENT');
  const semicolons = code.filter((t) => t.text === ';');
  const endsWithSemicolon = code.length > 0 && code[code.length - 1].text === ';';
  if (parsed.stmts.length !== 1 || semicolons.length > 1 || (semicolons.length === 1 && !endsWithSemicolon)) {
    throw new ExplainError(
      'Ledgerlint explains exactly one statement at a time; this text contains several (or stray `;`), so it was not sent to the database.',
      '42601',
      'refused',
    );
  }
  const stmt = parsed.stmts[0].stmt ?? {};
  const nodeName = Object.keys(stmt)[0];
  const kind = KINDS[nodeName];
  if (!kind) {
    const what = nodeName ? nodeName.replace(/Stmt$/, '') : 'empty text';
    throw new ExplainError(
      `Only SELECT, INSERT, UPDATE, DELETE and MERGE can be explained (this is ${what}).`,
      undefined,
      'refused',
    );
  }
  const bytes = Buffer.from(text, 'utf8');
  const sql = endsWithSemicolon ? bytes.subarray(0, semicolons[0].start).toString('utf8') : text;
  const facts = { paramCount: 0, tables: new Set<string>(), writesInCte: false };
  walk(stmt, facts, false);
  return { sql: sql.trimEnd(), kind, paramCount: facts.paramCount, tables: [...facts.tables], writesInCte: facts.writesInCte };
}

function walk(node: unknown, facts: { paramCount: number; tables: Set<string>; writesInCte: boolean }, inCte: boolean): void {
  if (Array.isArray(node)) {
    for (const item of node) walk(item, facts, inCte);
    return;
  }
  if (!node || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
    if (key === 'ParamRef') facts.paramCount = Math.max(facts.paramCount, Number((value as { number?: number }).number ?? 0));
    if (key === 'RangeVar') facts.tables.add(String((value as { relname?: string }).relname ?? '').toLowerCase());
    if (inCte && (key === 'InsertStmt' || key === 'UpdateStmt' || key === 'DeleteStmt' || key === 'MergeStmt')) facts.writesInCte = true;
    walk(value, facts, inCte || key === 'CommonTableExpr');
  }
}
