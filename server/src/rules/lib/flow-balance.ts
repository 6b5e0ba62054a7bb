// Balance read-modify-write inside a PL/pgSQL body: `SELECT balance INTO v ...` without a row lock,
// then `UPDATE ... SET balance = v`. Tracks which variables hold an unlocked balance read, and how
// they were changed (`v := v - p_amt`), so a relative rewrite can be offered when it is mechanical.
import type { Statement } from '../../sql/document';
import type { PlpgsqlBody } from '../../sql/plpgsql';
import { parseText } from '../../sql/parser';
import type { Vocabulary } from '../../engine/vocabulary';
import { moneyWord } from '../../engine/vocabulary';
import { columnRefName, relName } from './ast';

const BALANCE_NAMES = new Set(['balance', 'available_balance', 'points', 'credit_limit']);

/** `balance`, `available_balance`, `points`, `credit_limit`, and money columns whose word is balance. */
export function isBalanceColumn(name: string | undefined, vocab: Vocabulary): boolean {
  if (!name) return false;
  const lower = name.toLowerCase();
  return BALANCE_NAMES.has(lower) || moneyWord(name, vocab) === 'balance';
}

/** Every ColumnRef name (last part, lower-cased) inside a subtree. */
export function referencedNames(node: unknown, out = new Set<string>(), depth = 0): Set<string> {
  if (depth > 300 || node === null || typeof node !== 'object') return out;
  if (Array.isArray(node)) {
    for (const n of node) referencedNames(n, out, depth + 1);
    return out;
  }
  const ref = (node as any).ColumnRef;
  if (ref) {
    const name = columnRefName(ref);
    if (name) out.add(name.toLowerCase());
    return out;
  }
  for (const v of Object.values(node as object)) referencedNames(v, out, depth + 1);
  return out;
}

export interface StaleWrite {
  update: Statement;
  /** The UPDATE's ResTarget node for the balance column. */
  target: any;
  column: string;
  table: string;
  variable: string;
  /** The SELECT ... INTO that read the balance without a lock. */
  read: Statement;
  /** `balance - p_amt` when the new value is the read value changed by a plain +/- expression. */
  relative?: string;
  /** For `SET balance = v - expr`: the column and operator; the rule appends the text of `relativeRest`. */
  relativeRest?: any;
}

interface Tainted {
  column: string;
  table: string;
  read: Statement;
  /** ' - p_amt' style change applied to the read value so far (undefined once it is not mechanical). */
  delta?: string;
  mechanical: boolean;
}

/** `v - p_amt` with v tainted -> ' - p_amt'; undefined when the expression is not `var +/- rest`. */
function deltaOf(expr: string, variable: string): string | undefined {
  const m = /^\s*([A-Za-z_][\w$]*)\s*([-+])\s*([\s\S]+?)\s*$/.exec(expr);
  if (!m || m[1].toLowerCase() !== variable) return undefined;
  // Replacing v by the column in `v - a - b` keeps its meaning (left-associative +/-); the rest must
  // parse alone and must not read v again.
  if (parseText(`SELECT ${m[3]}`).error || referencedNames(parseText(`SELECT ${m[3]}`).ast).has(variable)) return undefined;
  return ` ${m[2]} ${m[3]}`;
}

export function staleBalanceWrites(body: PlpgsqlBody, vocab: Vocabulary): StaleWrite[] {
  const tainted = new Map<string, Tainted>();
  const out: StaleWrite[] = [];
  for (const step of body.steps) {
    const stmt = step.statement;
    if (step.kind === 'assign' && step.assign) {
      const target = step.assign.variable.toLowerCase();
      const src = [...tainted.entries()].find(([v]) => new RegExp(`(^|[^\\w$])${v}([^\\w$]|$)`, 'i').test(step.assign!.expr));
      if (!src) {
        tainted.delete(target);
        continue;
      }
      const [v, t] = src;
      const d = v === target ? deltaOf(step.assign.expr, v) : undefined;
      tainted.set(target, { ...t, delta: d && t.mechanical ? (t.delta ?? '') + d : undefined, mechanical: !!d && t.mechanical });
      continue;
    }
    const ast = stmt?.ast as any;
    if (!stmt || !ast) continue;
    const select = ast.SelectStmt;
    if (select && step.into?.length) {
      const table = relName(select.fromClause?.[0]?.RangeVar);
      (select.targetList ?? []).forEach((rt: any, i: number) => {
        const name = columnRefName(rt?.ResTarget?.val);
        const variable = step.into?.[i]?.toLowerCase();
        if (!variable) return;
        if (isBalanceColumn(name, vocab) && !stmt.container?.forUpdate && table) tainted.set(variable, { column: name!.toLowerCase(), table, read: stmt, mechanical: true });
        else tainted.delete(variable);
      });
      continue;
    }
    const update = ast.UpdateStmt;
    if (!update) continue;
    const table = relName(update.relation);
    for (const rt of update.targetList ?? []) {
      const target = rt?.ResTarget;
      const column = String(target?.name ?? '').toLowerCase();
      if (!isBalanceColumn(column, vocab)) continue;
      const names = referencedNames(target.val);
      if (names.has(column)) continue;
      for (const name of names) {
        const t = tainted.get(name);
        if (!t || t.column !== column || t.table !== table) continue;
        const valueIsVar = columnRefName(target.val)?.toLowerCase() === name;
        let relative: string | undefined;
        let relativeRest: any;
        if (valueIsVar && t.mechanical && t.delta) relative = `${column}${t.delta}`;
        else if (t.mechanical && !t.delta && target.val?.A_Expr?.kind === 'AEXPR_OP') {
          // SET balance = v - p_amt, with v read unchanged
          const op = target.val.A_Expr.name?.[0]?.String?.sval;
          if ((op === '-' || op === '+') && columnRefName(target.val.A_Expr.lexpr)?.toLowerCase() === name && !referencedNames(target.val.A_Expr.rexpr).has(name)) {
            relative = `${column} ${op} `;
            relativeRest = target.val.A_Expr.rexpr;
          }
        }
        out.push({ update: stmt, target: rt, column, table, variable: name, read: t.read, relative, relativeRest });
        break;
      }
    }
  }
  return out;
}
