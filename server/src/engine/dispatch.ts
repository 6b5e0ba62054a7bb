// Hands a statement to a rule's visitors: its statement hook, the visitors of the node types it
// holds, and its declarations. Shared by lintSqlFile and the visitors a one-shot run keeps (one-shot-rules.ts).
import type { Statement, SqlFile } from '../sql/document';
import { statementDecls, type StatementDecls } from '../sql/sql-decls';
import type { RuleDefinition, Visitors } from './rule';
import { visitorSetup } from './rule-setup-cache';
import { shiftDecls } from './shift-decls';
import type { Collector } from './linter';

/** Declarations where they were computed (on the entry) or a moved copy (on the StatementMemo). */
interface CachedDecls {
  base: number;
  decls: StatementDecls;
  /** For a copy: the entry's declarations it was made from. */
  origin?: CachedDecls;
}

/** A rule's visitors for one lint, with what the engine asks of them on every statement. */
export interface ActiveRule {
  rule: RuleDefinition;
  visitors: Visitors;
  /** The node types visited and their visitors, as two arrays: dispatch reads them by index (destructuring made an iterator per call). */
  types: readonly string[];
  handlers: Array<(r: any, s: Statement) => void>;
  decls: boolean;
  /** The rule visits every statement (statement or declaration hooks), not only some node types. */
  every: boolean;
  /** File rules with `cache: 'statement'`. */
  cached: boolean;
}

export function activeRule(rule: RuleDefinition, visitors: Visitors, cached = false): ActiveRule {
  // Worked out once per rule (and shape of its visitors) in a run, not once per file.
  const { types, handlers, decls, every } = visitorSetup(rule, visitors);
  return { rule, visitors, types, handlers, decls, every, cached };
}

/** dispatchList's arguments for one rule (dispatch), reused: no arrays per call. */
const one: ActiveRule[] = [];
const FIRST: readonly number[] = [0];

/** Hands `stmt` to one rule (see dispatchList). */
export function dispatch(a: ActiveRule, stmt: Statement, file: SqlFile, collector: Collector): void {
  one[0] = a;
  dispatchList(one, FIRST, stmt, file, collector, false);
  one.length = 0;
}

// One try/catch per rule and statement, and no closure: a keystroke in a 10,000-statement file
// dispatches the rules that visit every statement some 100,000 times. One call per statement for
// all its rules, not one per rule: under the CLI's baseline tiers (no inlining) the calls alone
// were ~2% of a 1,000-file run (~110,000 of them).
/**
 * Hands `stmt` to the rules `rules[list[k]]`, in list order (skipping `cached` ones when
 * `skipCached`). A rule that throws is recorded by the collector and gets nothing more this lint.
 */
export function dispatchList(rules: readonly ActiveRule[], list: readonly number[], stmt: Statement, file: SqlFile, collector: Collector, skipCached: boolean): void {
  // Most lints have no failed rule: no map lookup per rule and statement then.
  const errors = collector.errors;
  for (let k = 0; k < list.length; k++) {
    const a = rules[list[k]];
    if (skipCached && a.cached) continue;
    if (errors.size !== 0 && errors.has(a.rule.meta.id)) continue;
    try {
      const visitors = a.visitors;
      visitors.statement?.(stmt);
      if (!stmt.ast) continue;
      const types = a.types;
      if (types.length) {
        const index = stmt.nodes();
        for (let t = 0; t < types.length; t++) {
          const refs = index.get(types[t]);
          if (refs === undefined) continue;
          const fn = a.handlers[t];
          for (let r = 0; r < refs.length; r++) fn(refs[r], stmt);
        }
      }
      if (a.decls) {
        // By index here and in the loops below: under the CLI's baseline tiers a for-of allocates an
        // iterator and a result object per element (~12% of a 1,000-file run's allocation).
        const d = declsOf(stmt, file);
        if (visitors.table) for (let i = 0; i < d.tables.length; i++) visitors.table(d.tables[i], stmt);
        if (visitors.column) for (let i = 0; i < d.columns.length; i++) visitors.column(d.columns[i], stmt);
        if (visitors.foreignKey) for (let i = 0; i < d.foreignKeys.length; i++) visitors.foreignKey(d.foreignKeys[i], stmt);
      }
    } catch (err) {
      collector.fail(a.rule, err);
    }
  }
}

// Declarations depend only on the statement's text and offset: kept on its cache entry, so a
// keystroke does not rebuild the columns of every CREATE TABLE in the file; a moved statement's
// are shifted copies.
function declsOf(stmt: Statement, file: SqlFile): StatementDecls {
  const base = stmt.segment.start;
  let origin = stmt.entry.decls as CachedDecls | undefined;
  if (!origin) stmt.entry.decls = origin = { base, decls: statementDecls(stmt, file.text) } satisfies CachedDecls;
  if (origin.base === base) return origin.decls;
  const memo = stmt.memo;
  const copy = memo?.decls as CachedDecls | undefined;
  if (copy && copy.base === base && copy.origin === origin) return copy.decls;
  const decls = shiftDecls(origin.decls, base - origin.base);
  if (memo) memo.decls = { base, decls, origin } satisfies CachedDecls;
  return decls;
}

