// Whether a PL/pgSQL EXECUTE string expression splices values into SQL text unquoted. Safe pieces:
// string literals, quote_ident/quote_literal/quote_nullable(...), format() whose %s arguments are
// themselves safe (%I and %L quote), and variables of types that cannot carry a quote (numbers,
// booleans, dates, uuids). Anything else concatenated in is reported by name.
import { parseText } from '../../sql/parser';
import { columnRefName, funcName } from './ast';

const QUOTING = new Set(['quote_ident', 'quote_literal', 'quote_nullable']);
const INERT_TYPE = /^(smallint|integer|bigint|int[248]?|numeric|decimal|real|double precision|float[48]?|boolean|bool|date|timestamp|timestamptz|time|uuid|oid|money)\b/;

export interface DynamicSqlVerdict {
  /** Texts of the pieces spliced in without quoting (`tbl`, `p_filter`). */
  unsafe: string[];
  /** How the string is built: '||' or "format('%s')". */
  via: string[];
}

/** The `%s` arguments of a format() call (0-based argument indexes after the format string). */
function percentSArgs(fmt: string): number[] | undefined {
  const out: number[] = [];
  let next = 0;
  const re = /%(?:(\d+)\$)?[-]?(?:\*(?:\d+\$)?|\d+)?([sIL%])/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(fmt))) {
    if (m[2] === '%') continue;
    const index = m[1] ? Number(m[1]) - 1 : next;
    next = index + 1;
    if (m[2] === 's') out.push(index);
  }
  return out;
}

function describe(node: any): string {
  if (node?.ColumnRef) return (node.ColumnRef.fields ?? []).map((f: any) => f?.String?.sval ?? '*').join('.');
  if (node?.FuncCall) return `${funcName(node.FuncCall)}(...)`;
  if (node?.TypeCast) return describe(node.TypeCast.arg);
  if (node?.ParamRef) return `$${node.ParamRef.number}`;
  return 'an expression';
}

export function analyzeDynamicSql(expr: string, variables: ReadonlyMap<string, string>): DynamicSqlVerdict {
  const verdict: DynamicSqlVerdict = { unsafe: [], via: [] };
  const parsed = parseText(`SELECT ${expr}`);
  const root = (parsed.ast as any)?.SelectStmt?.targetList?.[0]?.ResTarget?.val;
  if (!root) return verdict;

  // A piece spliced into the text: safe or not (and then why).
  const piece = (node: any, depth: number): boolean => {
    if (depth > 100) return true;
    if (node?.A_Const) return true;
    if (node?.TypeCast) return piece(node.TypeCast.arg, depth + 1);
    if (node?.ColumnRef) {
      const name = columnRefName(node)?.toLowerCase();
      return !!name && INERT_TYPE.test(variables.get(name) ?? '');
    }
    const call = node?.FuncCall;
    if (call && QUOTING.has(funcName(call))) return true;
    if (call && funcName(call) === 'format') return formatCall(call, depth);
    if (call && (funcName(call) === 'concat' || funcName(call) === 'concat_ws')) return (call.args ?? []).every((a: any) => check(a, depth + 1, '||'));
    if (isConcat(node)) return check(node, depth + 1, '||');
    return false;
  };
  const isConcat = (node: any) => node?.A_Expr?.kind === 'AEXPR_OP' && node.A_Expr.name?.[0]?.String?.sval === '||';
  const formatCall = (call: any, depth: number): boolean => {
    const args: any[] = call.args ?? [];
    const fmt = args[0]?.A_Const?.sval?.sval;
    if (typeof fmt !== 'string') return piece(args[0], depth + 1);
    let ok = true;
    for (const i of percentSArgs(fmt) ?? []) {
      const arg = args[i + 1];
      if (arg && !piece(arg, depth + 1)) {
        verdict.unsafe.push(describe(arg));
        if (!verdict.via.includes("format('%s')")) verdict.via.push("format('%s')");
        ok = false;
      }
    }
    return ok;
  };
  // Walks a `||` chain; reports each unsafe operand once.
  const check = (node: any, depth: number, via: string): boolean => {
    if (isConcat(node)) {
      const l = check(node.A_Expr.lexpr, depth + 1, via);
      const r = check(node.A_Expr.rexpr, depth + 1, via);
      return l && r;
    }
    const before = verdict.unsafe.length;
    if (piece(node, depth)) return true;
    if (verdict.unsafe.length === before) verdict.unsafe.push(describe(node));
    if (!verdict.via.includes(via)) verdict.via.push(via);
    return false;
  };

  if (isConcat(root)) check(root, 0, '||');
  else if (root.FuncCall) piece(root, 0);
  verdict.unsafe = [...new Set(verdict.unsafe)];
  return verdict;
}
