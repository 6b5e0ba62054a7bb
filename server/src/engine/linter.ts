// Runs rules over a SQL file. Statement-scoped rules are cached per statement text (a keystroke
// re-checks one statement); file-scoped rules run each time, over per-statement indexes that are
// themselves cached. A rule that throws is isolated: it is reported once, the others still run.
import type { SqlFile, Statement } from '../sql/document';
import { embeddedStatements } from '../sql/plpgsql';
import { emptySchema } from '../model/empty-schema';
import { replayFile } from '../model/replay';
import { MutableSchema } from '../model/schema-builder';
import type { SchemaModel } from '../model/schema';
import type { ResolvedConfig } from './config';
import { formatMessage } from './messages';
import { PLAIN_FILE, type FileContext, type FileInfo, type RuleDefinition, type Visitors } from './rule';
import { fileRuleToken, tokenHoldsFor, type FileRuleToken, type KeptNames } from './file-rule-cache';
import { AnchoredFindings } from './relative-findings';
import { sortFindings } from './finding-order';
import { copyStatementLists, keepStatementLists } from './previous-lint';
import { keepOwnCopy, withLazyFindings, type CachedFindings, type FileFindingsSource } from './statement-findings';
import { rulePlan, StatementRuleLists } from './rule-plan';
import { activeRule, dispatch, dispatchList } from './dispatch';
import { fileContext, forgetOneShotRules, keepFileRule, keptFileRule, keptFileRules, newSinks, oneShotFileContexts, oneShotSinks, oneShotStatementRules, statementRuleSet, type FileBinding, type StatementRuleSet } from './one-shot-rules';
import { isWholeFileCached, keepWholeFile, reuseWholeFileGroups, type StatementGroup } from './whole-file-cache';
import { handOnWholeFile, inRuleOrder } from './whole-file-statements';
import { carriedFindings, forgetKept, isKeptByStatement, lastGroups, partialRun, rememberKept, type HeldStatements, type PartialRun } from './whole-file-by-statement';
import { hasConcerns, keepConcerned, reuseUnconcerned, type ConcernedRule } from './concern-cache';
import type { Finding, Report, Severity, Span } from './types';

export interface LintInput {
  file: SqlFile;
  config: ResolvedConfig;
  rules: readonly RuleDefinition[];
  schema?: SchemaModel;
  fileInfo?: FileInfo;
  isExistingTable?: (table: string, stmtIndex: number) => boolean;
  /** The schema before this file (or before one of its statements); see FileContext.schemaBefore. */
  schemaBefore?: (stmtIndex?: number) => SchemaModel;
  /**
   * No later lint will reuse what this one could keep (the CLI lints each file once): file rules'
   * findings are not kept per statement, per table or per file, and no token is made to key them.
   */
  oneShot?: boolean;
}

export interface RuleError {
  ruleId: string;
  message: string;
  stack?: string;
}

export interface LintOutput {
  findings: Finding[];
  ruleErrors: RuleError[];
}

/** Findings of `cache: 'statement'` file rules for one statement. */
interface CachedFileFindings extends KeptNames {
  token: FileRuleToken;
  index: number;
  findings: AnchoredFindings;
}

export function configuredSeverity(rule: RuleDefinition, config: ResolvedConfig): Severity | 'off' {
  return config.rules[rule.meta.id] ?? rule.meta.severity;
}

/** Turns reports into findings with the configured severity, and isolates rules that throw (also used by the Drizzle front-end). */
export class Collector {
  readonly errors = new Map<string, RuleError>();
  constructor(private readonly config: ResolvedConfig) {}

  finding(rule: Pick<RuleDefinition, 'meta'>, report: Report): Finding {
    const configured = this.config.rules[rule.meta.id];
    const severity = configured && configured !== 'off' ? configured : report.severity ?? rule.meta.severity;
    return {
      ruleId: rule.meta.id,
      messageId: report.messageId,
      message: formatMessage(rule.meta, report.messageId, report.data),
      severity,
      span: report.span,
      data: report.data,
      fixes: report.fixes,
    };
  }

  guard(rule: Pick<RuleDefinition, 'meta'>, fn: () => void): void {
    if (this.errors.has(rule.meta.id)) return;
    try {
      fn();
    } catch (err) {
      this.fail(rule, err);
    }
  }

  /** Calls the rule's `startFile` or `endFile` hook as `guard` would, without a closure per rule and file. */
  hook(rule: Pick<RuleDefinition, 'meta'>, visitors: Visitors, name: 'startFile' | 'endFile'): void {
    if (this.errors.has(rule.meta.id)) return;
    try {
      visitors[name]!();
    } catch (err) {
      this.fail(rule, err);
    }
  }

  /** Records that the rule threw; it is not run again in this lint. */
  fail(rule: Pick<RuleDefinition, 'meta'>, err: unknown): void {
    const e = err as Error;
    this.errors.set(rule.meta.id, { ruleId: rule.meta.id, message: e?.message ?? String(err), stack: e?.stack });
  }
}

export function lintSqlFile(input: LintInput): LintOutput {
  const { file, config } = input;
  const collector = new Collector(config);
  const plan = rulePlan(input.rules, config);
  const statements = file.statements;
  // Where each statement's findings come from, each list sorted: statement rules', then file rules'.
  const own: CachedFindings[] = new Array(statements.length);
  const fileOwn: FileFindingsSource[] = new Array(statements.length);
  // Findings of uncached file rules, whole-file cached rules and endFile, in report order.
  const others: Finding[] = [];

  // Statement-scoped rules: reuse cached findings when the statement text is unchanged.
  const sinks = input.oneShot ? oneShotSinks(plan, collector, others) : newSinks(collector, others);
  let statementRules: StatementRuleSet | undefined;
  const cacheKey = plan.statementKey;
  const { from, to } = input.oneShot ? { from: 0, to: statements.length } : copyStatementLists(file, cacheKey, own);
  for (let i = from; i < to; i++) {
    const stmt = statements[i];
    const cached = stmt.entry.findings as CachedFindings | undefined;
    if (cached !== undefined && cached.key === cacheKey) {
      own[i] = cached;
      continue;
    }
    statementRules ??= input.oneShot ? oneShotStatementRules(plan, config, file.text) : statementRuleSet(plan.statementRules, config, file.text, sinks);
    const statementVisitors = statementRules.active;
    const current: Finding[] = (sinks.statement = []);
    // Only the rules visiting every statement or one of its node types: ~a third of the calls did nothing.
    dispatchList(statementVisitors, statementRules.lists.of(stmt), stmt, file, collector, false);
    // Statements inside a PL/pgSQL body depend only on the owner's text: cached with the owner's findings.
    const inner = embeddedStatements(stmt);
    for (let j = 0; j < inner.length; j++) for (let k = 0; k < statementVisitors.length; k++) dispatch(statementVisitors[k], inner[j], file, collector);
    sortFindings(current);
    const made: CachedFindings = { key: cacheKey, findings: new AnchoredFindings(current, stmt.segment.start) };
    stmt.entry.findings = made;
    keepOwnCopy(stmt, made, current);
    own[i] = made;
  }
  if (!input.oneShot) keepStatementLists(file, cacheKey, own);

  // File-scoped rules: see every statement, the schema and the file's role.
  const fileRules = plan.fileRules;
  if (fileRules.length) {
    const schema = input.schema ?? emptySchema();
    const fileInfo = input.fileInfo ?? PLAIN_FILE;
    const isExistingTable = input.isExistingTable ?? defaultIsExisting(file);
    const schemaBefore = memoSchemaBefore(input.schemaBefore ?? ownStatementsBefore(file));
    // Without a schema of its own the caller's is new on every call: nothing to key a cache by.
    const token = input.schema && !input.oneShot ? fileRuleToken(input.schema, file, fileInfo, plan.fileKey) : undefined;
    const captured = new Map<string, Finding[]>();
    const concerned = new Map<string, ConcernedRule>();
    const wholeByRule = new Map<string, readonly StatementGroup[]>();
    // `byStatement` rules run again under a new token, and the findings they keep from the last lint (if any).
    const byStatement = new Map<string, PartialRun | undefined>();
    const held: HeldStatements = {};
    const bound: FileBinding = { file, fileInfo, schema, isExistingTable, schemaBefore };
    const contextOf = (rule: (typeof fileRules)[number]): FileContext => fileContext(rule, config, bound, sinks, captured.get(rule.meta.id), byStatement.get(rule.meta.id));
    // Whole-file cached rules that ran under this token are not run at all, nor rules whose
    // concerns an edit did not touch; the others of both kinds report into `captured` as well, to
    // be kept for the next lint.
    const toRun = !token
      ? fileRules
      : fileRules.filter((rule) => {
      let reused: readonly Finding[] | undefined;
      if (isWholeFileCached(rule)) {
        // Handed on per statement below, not moved here.
        const groups = reuseWholeFileGroups(token, rule.meta.id, file);
        if (groups) wholeByRule.set(rule.meta.id, groups);
        else captured.set(rule.meta.id, []);
        if (!groups && isKeptByStatement(rule)) byStatement.set(rule.meta.id, partialRun(token, rule.meta.id, file, held));
        return !groups;
      } else if (hasConcerns(rule)) {
        reused = reuseUnconcerned(token, rule, contextOf(rule), file);
        if (!reused) concerned.set(rule.meta.id, rule);
      } else return true;
      if (!reused) captured.set(rule.meta.id, []);
      else for (const f of reused) others.push(f);
      return !reused;
    });
    // A one-shot lint runs every file rule (no token): the run's contexts line up with toRun.
    const contexts = input.oneShot ? oneShotFileContexts(plan, config, bound) : undefined;
    const allKept = contexts ? keptFileRules(plan) : undefined;
    const active = allKept ? allKept.active : toRun.map((rule, k) => {
      const kept = contexts && rule.stateless ? keptFileRule(plan, k) : undefined;
      if (kept) return kept;
      const ctx = contexts ? contexts[k] : contextOf(rule);
      let visitors: Visitors = {};
      let made = false;
      collector.guard(rule, () => {
        visitors = (rule.create as (c: FileContext) => Visitors)(ctx);
        made = true;
      });
      const a = activeRule(rule, visitors, rule.cache === 'statement');
      if (contexts && rule.stateless && made) keepFileRule(plan, k, a);
      return a;
    });
    // Before any statement: rules made once per run (`stateless`) start their per-file state here.
    for (let k = 0; k < active.length; k++) {
      const { rule, visitors } = active[k];
      if (visitors.startFile) collector.hook(rule, visitors, 'startFile');
    }
    // File-scoped rules reason about the order of top-level statements (transactions, migrations);
    // they read `file.embedded` or `plpgsqlBody()` themselves when bodies matter to them.
    // Most file rules only visit a few node types: each statement keeps the list of rules its
    // node types call for, so a keystroke does not ask every rule about every statement.
    const lists = allKept ? allKept.lists : new StatementRuleLists(active);
    const anyCached = allKept ? allKept.anyCached : active.some((a) => a.cached);
    // When only rules keeping findings per statement run (a query edit reused all the others), a
    // statement with kept findings needs none of them: its rule list is not even looked up.
    const onlyCached = allKept ? allKept.onlyCached : active.every((a) => a.cached);
    for (let i = 0; i < statements.length; i++) {
      const stmt = statements[i];
      const hit = anyCached && token ? cachedFileFindings(stmt, token) : undefined;
      if (hit) {
        fileOwn[i] = hit;
        if (onlyCached) continue;
      }
      const list = lists.of(stmt);
      if (hit) {
        dispatchList(active, list, stmt, file, collector, true);
        continue;
      }
      const errorsBefore = collector.errors.size;
      const found: Finding[] = (sinks.fileStatement = []);
      dispatchList(active, list, stmt, file, collector, false);
      sortFindings(found);
      // A finding outside the statement (or a rule that threw) depends on more than the statement: not kept.
      const inside = found.every((f) => withinStatement(f, stmt));
      const keep = token && inside && collector.errors.size === errorsBefore ? ({ token, index: stmt.index, findings: new AnchoredFindings(found, stmt.segment.start) } satisfies CachedFileFindings) : undefined;
      fileOwn[i] = keep ? keep.findings : found;
      if (stmt.memo) stmt.memo.fileFindings = keep;
      else stmt.entry.fileFindings = keep;
    }
    sinks.fileStatement = others;
    for (let k = 0; k < active.length; k++) {
      const { rule, visitors } = active[k];
      if (visitors.endFile) collector.hook(rule, visitors, 'endFile');
    }
    for (const [ruleId, list] of captured) {
      const rule = concerned.get(ruleId);
      if (rule) {
        if (!collector.errors.has(ruleId)) keepConcerned(token!, rule, file, list);
        continue;
      }
      const partial = byStatement.get(ruleId);
      const groups = collector.errors.has(ruleId) ? undefined : keepWholeFile(token!, ruleId, file, list, partial?.carried, lastGroups(token!, ruleId, file));
      if (groups) wholeByRule.set(ruleId, groups);
      else {
        for (const f of list) others.push(f);
        if (partial) for (const f of carriedFindings(partial, file)) others.push(f);
      }
      if (groups) rememberKept(token!, ruleId, file, groups);
      else forgetKept(ruleId, token!);
    }
    // The groups just kept too, as the next lint will reuse them: its per-statement lists are these.
    if (wholeByRule.size) handOnWholeFile(token!, file, inRuleOrder(fileRules, wholeByRule), fileOwn, others);
  }

  const ruleErrors = [...collector.errors.values()];
  if (input.oneShot && ruleErrors.length) forgetOneShotRules(plan);
  return withLazyFindings({ ruleErrors }, { file, own, fileOwn, others });
}

/** Per occurrence: file rules' findings depend on the statement's index as well as its text. */
function cachedFileFindings(stmt: Statement, token: FileRuleToken): AnchoredFindings | undefined {
  const cached = (stmt.memo ? stmt.memo.fileFindings : stmt.entry.fileFindings) as CachedFileFindings | undefined;
  if (!cached || cached.index !== stmt.index) return undefined;
  if (cached.token !== token) {
    // A DDL edit elsewhere: kept while the tables this statement reads kept their shape and DDL.
    if (!tokenHoldsFor(cached.token, token, stmt, cached)) return undefined;
    cached.token = token;
  }
  return cached.findings;
}

function withinStatement(f: Finding, stmt: Statement): boolean {
  const { start, end } = stmt.segment;
  const inside = (s: Span) => s.start >= start && s.end <= end;
  return inside(f.span) && (f.fixes ?? []).every((x) => !x.newFiles?.length && x.edits.every(inside));
}

/** One schema per statement index per lint run, shared by every rule that asks. */
function memoSchemaBefore(compute: (stmtIndex?: number) => SchemaModel): (stmtIndex?: number) => SchemaModel {
  const cache = new Map<number, SchemaModel>();
  return (stmtIndex = 0) => {
    let s = cache.get(stmtIndex);
    if (!s) cache.set(stmtIndex, (s = compute(stmtIndex)));
    return s;
  };
}

/** Without a workspace nothing ran before the file; before a statement, the file's earlier DDL did. */
function ownStatementsBefore(file: SqlFile): (stmtIndex?: number) => SchemaModel {
  // Continues from the last answer (rules ask in statement order), so a long file is replayed once.
  let last = { index: 0, schema: new MutableSchema() };
  return (stmtIndex = 0) => {
    const base = last.index <= stmtIndex ? last : { index: 0, schema: new MutableSchema() };
    if (base.index === stmtIndex) return base.schema;
    const schema = base.schema.fork();
    replayFile(file, schema, { order: Infinity, include: (s) => s.index >= base.index && s.index < stmtIndex });
    last = { index: stmtIndex, schema };
    return schema;
  };
}

/** Without a workspace: a table is new when an earlier statement of this file created it. */
function defaultIsExisting(file: SqlFile): (table: string, stmtIndex: number) => boolean {
  const createdAt = new Map<string, number>();
  for (const stmt of file.statements) {
    const cs = (stmt.ast as any)?.CreateStmt;
    const name = cs?.relation?.relname;
    if (name && !createdAt.has(name)) createdAt.set(name, stmt.index);
  }
  return (table, stmtIndex) => {
    const at = createdAt.get(table);
    return at === undefined || at >= stmtIndex;
  };
}
