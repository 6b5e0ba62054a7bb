// What a lint computes about its rules before looking at statements, kept between lints: which
// rules are enabled (and their cache keys, the same string objects from lint to lint so that
// comparing a statement's cached key is a pointer check), and for each statement text which file
// rules its node types call for.
import type { Statement } from '../sql/document';
import type { NodeIndex } from '../sql/node-index';
import type { ResolvedConfig } from './config';
import type { RuleDefinition } from './rule';

export interface RulePlan {
  statementRules: ReadonlyArray<Extract<RuleDefinition, { scope: 'statement' }>>;
  fileRules: ReadonlyArray<Extract<RuleDefinition, { scope: 'file' }>>;
  /** Keys cached findings: the configuration and the enabled rules of each scope. */
  statementKey: string;
  fileKey: string;
}

const plans = new WeakMap<readonly RuleDefinition[], WeakMap<ResolvedConfig, RulePlan>>();

export function rulePlan(rules: readonly RuleDefinition[], config: ResolvedConfig): RulePlan {
  let perConfig = plans.get(rules);
  if (!perConfig) plans.set(rules, (perConfig = new WeakMap()));
  let plan = perConfig.get(config);
  if (!plan) {
    const enabled = rules.filter((r) => (config.rules[r.meta.id] ?? r.meta.severity) !== 'off');
    const statementRules = enabled.filter((r) => r.scope === 'statement');
    const fileRules = enabled.filter((r) => r.scope === 'file');
    plan = {
      statementRules,
      fileRules,
      statementKey: config.key + '\u0000' + statementRules.map((r) => r.meta.id).join(','),
      fileKey: config.key + '\u0000' + fileRules.map((r) => r.meta.id).join(','),
    };
    perConfig.set(config, plan);
  }
  return plan;
}

/** What StatementRuleLists needs of a rule's visitors. */
export interface VisitingRule {
  rule: RuleDefinition;
  /** The node types visited: the same array while the rule's visitors keep their shape (rule-setup-cache.ts). */
  types: readonly string[];
  /** Visits every statement, whatever its node types. */
  every: boolean;
}

interface EntryLists {
  ruleLists?: Array<{ shape: object; list: readonly number[] }>;
}

/**
 * The rule sets a statement's list was made for; a few are kept: the statement rules' and the file
 * rules' (whole-file reuse toggles some of those).
 */
const KEPT_SHAPES = 5;
const shapes = new Map<string, object>();

/**
 * Per types array: the rule's part of a shape key. The CLI makes lists per file, ~45 file rules
 * each time: a kept types array (the same while the rule's visitors keep their shape) is one lookup.
 */
const parts = new WeakMap<readonly string[], { rule: RuleDefinition; every: boolean; part: string }>();

function partOf(a: VisitingRule): string {
  const kept = parts.get(a.types);
  if (kept && kept.rule === a.rule && kept.every === a.every) return kept.part;
  const part = `${a.rule.meta.id}${a.every ? '*' : ''}:${a.types.join(',')}`;
  parts.set(a.types, { rule: a.rule, every: a.every, part });
  return part;
}

/** The parts and shape of the last lists made: a run of lints with the same rules and visitor shapes skips joining the key. */
let lastParts: string[] = [];
let lastShape: object | undefined;

function shapeOf(active: readonly VisitingRule[]): object {
  const partList: string[] = new Array(active.length);
  let same = lastShape !== undefined && lastParts.length === active.length;
  for (let i = 0; i < active.length; i++) {
    const part = partOf(active[i]);
    partList[i] = part;
    if (same && lastParts[i] !== part) same = false;
  }
  if (same) return lastShape!;
  const key = partList.join(';');
  let shape = shapes.get(key);
  if (!shape) shapes.set(key, (shape = {}));
  lastParts = partList;
  lastShape = shape;
  return shape;
}

/**
 * Per shape: for each node type, the rules visiting it (ascending indices), and the rules visiting
 * every statement. A statement's list is then made from the types its tree holds (~15) instead of
 * asking each rule about each of its types (~45 rules, ~100 lookups per statement at 3,000 fresh
 * statements in a CLI run).
 */
interface TypeTable {
  byType: Map<string, number[]>;
  every: number[];
}

const tables = new WeakMap<object, TypeTable>();

function typeTableOf(shape: object, active: readonly VisitingRule[]): TypeTable {
  let table = tables.get(shape);
  if (table) return table;
  const byType = new Map<string, number[]>();
  const every: number[] = [];
  for (let i = 0; i < active.length; i++) {
    const a = active[i];
    if (a.every) every.push(i);
    for (let t = 0; t < a.types.length; t++) {
      const rules = byType.get(a.types[t]);
      if (!rules) byType.set(a.types[t], [i]);
      else if (rules[rules.length - 1] !== i) rules.push(i);
    }
  }
  tables.set(shape, (table = { byType, every }));
  return table;
}

/** Marks of the rules a statement calls for, by rule index: reused, cleared by each list made. */
let marks = new Uint8Array(64);
/** The type table the node index's forEach marks from (a module variable: no closure per statement). */
let marking: Map<string, number[]> | undefined;

function mark(_refs: unknown, type: string): void {
  const rules = marking!.get(type);
  if (rules !== undefined) for (let k = 0; k < rules.length; k++) marks[rules[k]] = 1;
}

/**
 * For each statement, the indices of the rules in `active` to dispatch it to: the rules that visit
 * every statement and those visiting one of its node types. Kept on the statement's cache entry
 * per set of rules and visitors (its shape).
 */
export class StatementRuleLists {
  private readonly shape: object;
  private readonly table: TypeTable;

  constructor(private readonly active: readonly VisitingRule[]) {
    this.shape = shapeOf(active);
    this.table = typeTableOf(this.shape, active);
  }

  of(stmt: Statement): readonly number[] {
    const kept = (stmt.entry as EntryLists).ruleLists;
    // By index, and the making apart: a for-of with a return, or a closure over a local of this
    // function, allocated an object on every call (~0.4 MB per keystroke at 10,000 statements).
    if (kept) for (let k = 0; k < kept.length; k++) if (kept[k].shape === this.shape) return kept[k].list;
    return this.make(stmt);
  }

  private make(stmt: Statement): readonly number[] {
    const entry = stmt.entry as EntryLists;
    const kept = entry.ruleLists;
    let index: NodeIndex | undefined;
    try {
      index = stmt.ast ? stmt.nodes() : undefined;
    } catch {
      // dispatch reports the failure under each rule: every rule gets the statement
      return this.active.map((_, i) => i);
    }
    if (!index) return this.table.every;
    const n = this.active.length;
    if (marks.length < n) marks = new Uint8Array(n);
    const every = this.table.every;
    for (let k = 0; k < every.length; k++) marks[every[k]] = 1;
    marking = this.table.byType;
    index.forEach(mark);
    marking = undefined;
    const list: number[] = [];
    for (let i = 0; i < n; i++) {
      if (marks[i] === 0) continue;
      marks[i] = 0;
      list.push(i);
    }
    const next = kept ?? (entry.ruleLists = []);
    if (next.length >= KEPT_SHAPES) next.shift();
    next.push({ shape: this.shape, list });
    return list;
  }
}
