// The rules' visitors and contexts of a lint, and what a run of one-shot lints (the CLI: ~1,000
// files, each linted once, with the same rules and configuration) keeps of them from file to file.
// - Statement rules' findings are cached per statement text, so their visitors keep no state from
//   one statement to the next that could change a finding: made once per run, they only need the
//   text their context reads (rules read `context.text` when visiting, never when created).
//   Timed around the setup (hrtime, 1,000 generated migrations, 3 runs): 30-34 -> 3-7 ms per run.
// - File rules keep state through a file (transactions, endFile): create() runs for every file, on
//   contexts made once per run and pointed at each file (making 45 contexts and report closures per
//   file cost 21-32 ms per 1,000 files, measured apart under the CLI's V8 flags). Those declaring
//   `stateless` (all the built-in ones) are made once per run, like statement rules, and make what
//   they track through a file in their startFile hook.
import type { SchemaModel } from '../model/schema';
import type { SqlFile } from '../sql/document';
import type { ResolvedConfig } from './config';
import { activeRule, type ActiveRule } from './dispatch';
import type { Collector } from './linter';
import type { FileContext, FileInfo, StatementContext, Visitors } from './rule';
import { StatementRuleLists, type RulePlan } from './rule-plan';
import type { Finding } from './types';
import { isWholeFileCached } from './whole-file-cache';
import { keptReport, type PartialRun } from './whole-file-by-statement';

type StatementRule = RulePlan['statementRules'][number];
type FileRule = RulePlan['fileRules'][number];

/** Where the contexts' reports go: set for each lint (and statement) by lintSqlFile. */
export interface Sinks {
  collector: Collector;
  /** Statement rules' findings for the statement being visited. */
  statement: Finding[];
  /** `cache: 'statement'` file rules' findings for the statement being visited. */
  fileStatement: Finding[];
  /** Other file rules' findings, and endFile's. */
  others: Finding[];
}

/** Statement rules' visitors, and the sinks their contexts report into. */
export interface StatementRuleSet {
  readonly active: readonly ActiveRule[];
  readonly sinks: Sinks;
  /** Which of `active` each statement's node types call for (a one-shot run keeps the set, and this, for all its files). */
  readonly lists: StatementRuleLists;
}

/** What a file rule's context tells of the file being linted. */
export interface FileBinding {
  file: SqlFile;
  fileInfo: FileInfo;
  schema: SchemaModel;
  isExistingTable: (table: string, stmtIndex: number) => boolean;
  schemaBefore: (stmtIndex?: number) => SchemaModel;
}

export function newSinks(collector: Collector, others: Finding[]): Sinks {
  return { collector, statement: [], fileStatement: [], others };
}

function statementContext(rule: StatementRule, config: ResolvedConfig, text: string, sinks: Sinks): StatementContext & { text: string } {
  return {
    ruleId: rule.meta.id,
    vocabulary: config.vocabulary,
    migrations: config.migrations,
    text,
    report: (r) => {
      sinks.statement.push(sinks.collector.finding(rule, r));
    },
  };
}

/** Fresh statement rules' visitors for one lint of `text`. */
export function statementRuleSet(rules: readonly StatementRule[], config: ResolvedConfig, text: string, sinks: Sinks): StatementRuleSet {
  const active = rules.map((rule) => activeRule(rule, (rule.create as (c: StatementContext) => Visitors)(statementContext(rule, config, text, sinks))));
  return { active, sinks, lists: new StatementRuleLists(active) };
}

/** What a run of one-shot lints keeps per rule plan (rules and configuration). */
interface OneShotRun {
  sinks: Sinks;
  statement?: { set: StatementRuleSet; contexts: Array<{ text: string }> };
  fileContexts?: MutableFileContext[];
  /** Visitors of `stateless` file rules, by index in plan.fileRules. */
  fileRules?: Array<ActiveRule | undefined>;
  /** All of `fileRules`, once every one is kept, with their statement lists. */
  allFileRules?: KeptFileRules;
}

/** A one-shot run's file rules once every one is kept (all `stateless`): the same for every file. */
export interface KeptFileRules {
  readonly active: readonly ActiveRule[];
  readonly lists: StatementRuleLists;
  /** Some of `active` keep findings per statement (`cache: 'statement'`). */
  readonly anyCached: boolean;
  readonly onlyCached: boolean;
}

const runs = new WeakMap<RulePlan, OneShotRun>();

function runOf(plan: RulePlan, collector: Collector, others: Finding[]): OneShotRun {
  let run = runs.get(plan);
  if (!run) runs.set(plan, (run = { sinks: newSinks(collector, others) }));
  return run;
}

/** The sinks the run's contexts report into, for a lint reporting to `collector` and `others`. */
export function oneShotSinks(plan: RulePlan, collector: Collector, others: Finding[]): Sinks {
  const { sinks } = runOf(plan, collector, others);
  sinks.collector = collector;
  sinks.others = others;
  sinks.statement = [];
  sinks.fileStatement = [];
  return sinks;
}

/** The run's statement rules' visitors, their contexts pointed at `text`. After oneShotSinks. */
export function oneShotStatementRules(plan: RulePlan, config: ResolvedConfig, text: string): StatementRuleSet {
  const run = runs.get(plan)!;
  if (!run.statement) {
    const contexts = plan.statementRules.map((rule) => statementContext(rule, config, text, run.sinks));
    const active = plan.statementRules.map((rule, k) => activeRule(rule, (rule.create as (c: StatementContext) => Visitors)(contexts[k])));
    run.statement = { set: { active, sinks: run.sinks, lists: new StatementRuleLists(active) }, contexts };
  } else {
    const contexts = run.statement.contexts;
    for (let k = 0; k < contexts.length; k++) contexts[k].text = text;
  }
  return run.statement.set;
}

/**
 * After a lint in which a rule threw: its visitors may hold half-done state, which fresh visitors
 * (as each file of the run had before they were kept) would not. The next lint makes new ones.
 */
export function forgetOneShotRules(plan: RulePlan): void {
  const run = runs.get(plan);
  if (!run) return;
  run.statement = undefined;
  run.fileRules = undefined;
  run.allFileRules = undefined;
}

/** The kept visitors of file rule `k` of the plan (a `stateless` one), if made in an earlier lint. After oneShotSinks. */
export function keptFileRule(plan: RulePlan, k: number): ActiveRule | undefined {
  return runs.get(plan)!.fileRules?.[k];
}

/** Keeps the visitors of `stateless` file rule `k` for the rest of the run. After oneShotSinks. */
export function keepFileRule(plan: RulePlan, k: number, active: ActiveRule): void {
  const run = runs.get(plan)!;
  (run.fileRules ??= new Array(plan.fileRules.length))[k] = active;
  run.allFileRules = undefined;
}

/**
 * Every file rule of the plan, when all are kept (made in an earlier lint of the run): a file then
 * takes them as they are instead of asking for each rule's kept visitors and working out the
 * statement lists' shape again (~45 rules per file). After oneShotSinks.
 */
export function keptFileRules(plan: RulePlan): KeptFileRules | undefined {
  const run = runs.get(plan)!;
  if (run.allFileRules) return run.allFileRules;
  const kept = run.fileRules;
  if (!kept || kept.length !== plan.fileRules.length) return undefined;
  for (let k = 0; k < kept.length; k++) if (!kept[k]) return undefined;
  const active = kept as ActiveRule[];
  let anyCached = false;
  let onlyCached = true;
  for (let k = 0; k < active.length; k++) {
    if (active[k].cached) anyCached = true;
    else onlyCached = false;
  }
  return (run.allFileRules = { active: active.slice(), lists: new StatementRuleLists(active), anyCached, onlyCached });
}

/**
 * A file rule's context, reporting into `sinks`. With `partial` (a `byStatement` rule after a DDL
 * edit), reports on the statements whose findings are kept are dropped before being formatted.
 */
export function fileContext(rule: FileRule, config: ResolvedConfig, bound: FileBinding, sinks: Sinks, capture?: Finding[], partial?: PartialRun): FileContext {
  const cached = rule.cache === 'statement';
  // A whole-file rule's findings captured to be kept are handed on per statement once kept
  // (linter.ts, whole-file-statements.ts handOnWholeFile), as when they are reused.
  const whole = capture && isWholeFileCached(rule) ? capture : undefined;
  const hand = (f: Finding) => {
    if (whole) return void whole.push(f);
    (cached ? sinks.fileStatement : sinks.others).push(f);
    capture?.push(f);
  };
  const context: FileContext = {
    ruleId: rule.meta.id,
    vocabulary: config.vocabulary,
    migrations: config.migrations,
    file: bound.file,
    fileInfo: bound.fileInfo,
    schema: bound.schema,
    isExistingTable: bound.isExistingTable,
    schemaBefore: bound.schemaBefore,
    report: (r) => {
      hand(sinks.collector.finding(rule, r));
    },
    findings: {
      report: (r) => {
        const f = sinks.collector.finding(rule, r);
        hand(f);
        return f;
      },
      again: hand,
    },
  };
  if (!partial) return context;
  const file = bound.file;
  return {
    ...context,
    keeps: partial.keeps,
    report: (r) => {
      if (!keptReport(partial, file, r)) context.report(r);
    },
    findings: {
      report: (r) => {
        const f = sinks.collector.finding(rule, r);
        if (!keptReport(partial, file, r)) hand(f);
        return f;
      },
      again: (f) => {
        if (!keptReport(partial, file, f)) hand(f);
      },
    },
  };
}

type MutableFileContext = { -readonly [K in keyof FileContext]: FileContext[K] };

/**
 * Contexts for the plan's file rules (in its order), kept for the run and pointed at this file.
 * Nothing else holds a context once its lint ends: rules key their caches by file and schema.
 * After oneShotSinks.
 */
export function oneShotFileContexts(plan: RulePlan, config: ResolvedConfig, bound: FileBinding): readonly FileContext[] {
  const run = runs.get(plan)!;
  const kept = run.fileContexts;
  if (!kept) return (run.fileContexts = plan.fileRules.map((rule) => fileContext(rule, config, bound, run.sinks)));
  for (let k = 0; k < kept.length; k++) {
    const c = kept[k];
    c.file = bound.file;
    c.fileInfo = bound.fileInfo;
    c.schema = bound.schema;
    c.isExistingTable = bound.isExistingTable;
    c.schemaBefore = bound.schemaBefore;
  }
  return kept;
}
