// Walks libpg-query's PL/pgSQL tree in source order and flattens it into steps: each SQL
// statement, EXECUTE, assignment, RETURN, ... with the structure around it (loops, IF branches,
// exception blocks), which is what flow-aware rules need.

export type FrameKind = 'loop' | 'if' | 'case' | 'protected' | 'handler';

export interface Frame {
  kind: FrameKind;
  /** PL/pgSQL node type of the construct (`PLpgSQL_stmt_fors`, `PLpgSQL_stmt_if`, ...). */
  node: string;
  lineno: number;
}

export type RawStepKind = 'sql' | 'execute' | 'assign' | 'return' | 'raise' | 'transaction' | 'other';

export interface RawStep {
  kind: RawStepKind;
  /** PL/pgSQL node type (`PLpgSQL_stmt_execsql`, `PLpgSQL_stmt_dynexecute`, ...). */
  type: string;
  node: any;
  lineno: number;
  frames: Frame[];
  /** SQL text (kind 'sql') or the dynamic string expression (kind 'execute'). */
  query?: string;
  /** Variables filled by INTO (SELECT INTO, EXECUTE INTO, FOR target). */
  into?: string[];
  strict?: boolean;
  /** EXECUTE ... USING arguments. */
  using?: string[];
  /** Assignment: `v := expr` text, with the assigned variable. */
  assign?: { variable: string; expr: string };
}

const LOOPS = new Set(['PLpgSQL_stmt_loop', 'PLpgSQL_stmt_while', 'PLpgSQL_stmt_fori', 'PLpgSQL_stmt_fors', 'PLpgSQL_stmt_forc', 'PLpgSQL_stmt_foreach_a', 'PLpgSQL_stmt_dynfors']);

function unwrap(value: any): [string, any] | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const k = Object.keys(value)[0];
  return k ? [k, value[k]] : undefined;
}

function exprText(e: any): string | undefined {
  const q = e?.PLpgSQL_expr?.query;
  return typeof q === 'string' ? q : undefined;
}

function targetNames(target: any): string[] | undefined {
  if (!target) return undefined;
  const row = target.PLpgSQL_row;
  if (row) return (row.fields ?? []).map((f: any) => String(f?.name ?? '')).filter(Boolean);
  const named = target.PLpgSQL_rec ?? target.PLpgSQL_var;
  return named?.refname ? [String(named.refname)] : undefined;
}

/** `v := v - p_amt` -> { variable: 'v', expr: 'v - p_amt' }. */
function splitAssign(text: string): { variable: string; expr: string } | undefined {
  const m = /^\s*([\s\S]*?)\s*(?::=|=)\s*([\s\S]*)$/.exec(text);
  return m ? { variable: m[1], expr: m[2] } : undefined;
}

export function walkBody(fn: any): RawStep[] {
  const steps: RawStep[] = [];
  const visitList = (list: any, frames: Frame[]) => {
    if (Array.isArray(list)) for (const s of list) visit(s, frames);
  };
  const visit = (wrapped: any, frames: Frame[]): void => {
    const u = unwrap(wrapped);
    if (!u || frames.length > 200) return;
    const [type, n] = u;
    const lineno = Number(n?.lineno ?? 0);
    const push = (step: Omit<RawStep, 'type' | 'node' | 'lineno' | 'frames'>) => steps.push({ type, node: n, lineno, frames, ...step });
    const inner = (kind: FrameKind) => [...frames, { kind, node: type, lineno }];
    switch (type) {
      case 'PLpgSQL_stmt_block': {
        const handlers = n.exceptions?.PLpgSQL_exception_block?.exc_list;
        visitList(n.body, handlers?.length ? inner('protected') : frames);
        for (const h of handlers ?? []) visitList(h?.PLpgSQL_exception?.action, inner('handler'));
        return;
      }
      case 'PLpgSQL_stmt_if':
        visitList(n.then_body, inner('if'));
        for (const e of n.elsif_list ?? []) visitList(e?.PLpgSQL_if_elsif?.stmts, inner('if'));
        visitList(n.else_body, inner('if'));
        return;
      case 'PLpgSQL_stmt_case':
        for (const w of n.case_when_list ?? []) visitList(w?.PLpgSQL_case_when?.stmts, inner('case'));
        visitList(n.else_stmts, inner('case'));
        return;
      case 'PLpgSQL_stmt_execsql':
        push({ kind: 'sql', query: exprText(n.sqlstmt), into: n.into ? targetNames(n.target) : undefined, strict: !!n.strict });
        return;
      case 'PLpgSQL_stmt_perform':
        push({ kind: 'sql', query: exprText(n.expr) });
        return;
      case 'PLpgSQL_stmt_return_query':
      case 'PLpgSQL_stmt_open':
        if (n.query) push({ kind: 'sql', query: exprText(n.query) });
        else if (n.dynquery) push({ kind: 'execute', query: exprText(n.dynquery), using: (n.params ?? []).map(exprText).filter(Boolean) });
        return;
      case 'PLpgSQL_stmt_dynexecute':
        push({ kind: 'execute', query: exprText(n.query), into: n.into ? targetNames(n.target) : undefined, strict: !!n.strict, using: (n.params ?? []).map(exprText).filter(Boolean) });
        return;
      case 'PLpgSQL_stmt_assign': {
        const text = exprText(n.expr);
        push({ kind: 'assign', assign: text ? splitAssign(text) : undefined });
        return;
      }
      case 'PLpgSQL_stmt_return':
      case 'PLpgSQL_stmt_return_next':
        push({ kind: 'return' });
        return;
      case 'PLpgSQL_stmt_raise':
        push({ kind: 'raise' });
        return;
      case 'PLpgSQL_stmt_commit':
      case 'PLpgSQL_stmt_rollback':
        push({ kind: 'transaction' });
        return;
    }
    if (LOOPS.has(type)) {
      // The loop's own query runs before its body (once, not per iteration).
      if (type === 'PLpgSQL_stmt_fors' && n.query) push({ kind: 'sql', query: exprText(n.query), into: targetNames(n.var) });
      if (type === 'PLpgSQL_stmt_dynfors' && n.query) push({ kind: 'execute', query: exprText(n.query), into: targetNames(n.var), using: (n.params ?? []).map(exprText).filter(Boolean) });
      visitList(n.body, inner('loop'));
      return;
    }
    push({ kind: 'other' });
  };
  visit(fn?.action, []);
  return steps;
}
