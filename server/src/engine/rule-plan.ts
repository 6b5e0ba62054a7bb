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
  nodeEntries: ReadonlyArray<readonly [string, unknown]>;
  /** Visits every statement, whatever its node types. */
  every: boolean;
}

interface EntryLists {
  ruleLists?: Array<{ shape: object; list: readonly number[] }>;
}

/** The rule sets a statement's list was made for; a few are kept (whole-file reuse toggles some rules). */
const KEPT_SHAPES = 4;
const shapes = new Map<string, object>();

/** Per rule: its part of a shape key, kept while its visitors list the same node types (the CLI makes a plan per file). */
const parts = new WeakMap<object, { every: boolean; names: readonly string[]; part: string }>();

function partOf(a: VisitingRule): string {
  const kept = parts.get(a.rule);
  const entries = a.nodeEntries;
  if (kept && kept.every === a.every && kept.names.length === entries.length) {
    let same = true;
    for (let i = 0; i < entries.length && same; i++) same = kept.names[i] === entries[i][0];
    if (same) return kept.part;
  }
  const names = entries.map((e) => e[0]);
  const part = `${a.rule.meta.id}${a.every ? '*' : ''}:${names.join(',')}`;
  parts.set(a.rule, { every: a.every, names, part });
  return part;
}

/**
 * For each statement, the indices of the rules in `active` to dispatch it to: the rules that visit
 * every statement and those visiting one of its node types. Kept on the statement's cache entry
 * per set of rules and visitors (its shape).
 */
export class StatementRuleLists {
  private readonly shape: object;
  private readonly every: number[] = [];

  constructor(private readonly active: readonly VisitingRule[]) {
    const key = active.map(partOf).join(';');
    let shape = shapes.get(key);
    if (!shape) shapes.set(key, (shape = {}));
    this.shape = shape;
    active.forEach((a, i) => a.every && this.every.push(i));
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
    if (!index) return this.every;
    const list: number[] = [];
    for (let i = 0; i < this.active.length; i++) {
      const a = this.active[i];
      if (a.every || a.nodeEntries.some((e) => index!.has(e[0]))) list.push(i);
    }
    const next = kept ?? (entry.ruleLists = []);
    if (next.length >= KEPT_SHAPES) next.shift();
    next.push({ shape: this.shape, list });
    return list;
  }
}
