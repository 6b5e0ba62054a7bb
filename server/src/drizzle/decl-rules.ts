// Rules on the Drizzle declarations: the same `column`/`foreignKey`/`table` hooks as on SQL, then
// `endFile`, where schema-wide rules read the workspace schema and report what this file declared.
// Statement-scope rules see one table at a time (as one CREATE TABLE in SQL), so their findings
// are kept per table across keystrokes: while the table's cached extraction is reused
// (table-cache.ts) and its resolved references, the file's imports (fixes name pg-core through
// them), the casing and the configuration are the same, they are moved instead of recomputed.
import { rulePlan } from '../engine/rule-plan';
import type { Collector } from '../engine/linter';
import { PLAIN_FILE, type FileContext, type RuleDefinition, type StatementContext, type Visitors } from '../engine/rule';
import { shiftFinding } from '../engine/relative-findings';
import type { ColumnDecl } from '../engine/decls';
import type { Finding } from '../engine/types';
import type { ResolvedConfig } from '../engine/config';
import { MutableSchema } from '../model/schema-builder';
import type { SchemaModel } from '../model/schema';
import type { SqlFile } from '../sql/document';
import type { LineIndex } from '../sql/offsets';
import type { TsAnalysis } from './analysis';
import { toDecls, type TsDecls } from './decls';
import type { DrizzleTable } from './schema-types';
import { tableOrigin, type TableParts } from './table-cache';
import { planFileRules, type FileRuleReuse } from './file-rule-reuse';
import { foreignKeysKey } from './table-completion';

export interface DeclRuleInput {
  config: ResolvedConfig;
  /** Every rule of the lint, enabled ones only. */
  rules: readonly RuleDefinition[];
  /** Every rule before filtering, with `config`: the key of cached findings. */
  allRules: readonly RuleDefinition[];
  casing?: ColumnDecl['workspaceCasing'];
  /** The schema file rules read (made on demand). */
  schema: () => SchemaModel;
  /** The file's previous analysis: file rules' findings on its unchanged tables are reused (file-rule-reuse.ts). */
  previous?: TsAnalysis;
}

interface Kept {
  key: string;
  delta: number;
  findings: Finding[];
}

const kept = new WeakMap<TableParts, Kept>();

/** How often a table's statement-rule findings were reused or made: for tests and benches. */
export const declRuleStats = { reused: 0, made: 0 };

const importsKey = (a: TsAnalysis) => JSON.stringify([[...a.imports.named], [...a.imports.namespaces]]);

const within = (t: DrizzleTable, s: { start: number; end: number }) => s.start >= t.span.start && s.end <= t.span.end;
/** Findings that stay inside their table can move with it; a fix editing elsewhere (an import) cannot. */
const movable = (t: DrizzleTable, fs: readonly Finding[]) => fs.every((f) => within(t, f.span) && (f.fixes ?? []).every((x) => x.edits.every((e) => within(t, e))));

export function runDeclRules(analysis: TsAnalysis, input: DeclRuleInput, lines: LineIndex, collector: Collector, findings: Finding[]): void {
  const declRules = input.rules.filter((r) => r.meta.languages.includes('typescript'));
  if (!declRules.length || !analysis.tables.length) return;
  const statementRules = declRules.filter((r) => r.scope === 'statement');
  const fileRules = declRules.filter((r) => r.scope !== 'statement');
  // Made when a rule runs on the table: after a keystroke most tables' findings are reused instead.
  const perTable: Array<TsDecls | undefined> = [];
  const declsOf = (i: number) => (perTable[i] ??= toDecls([analysis.tables[i]], analysis.sf, analysis.imports, input.casing));
  const imports = importsKey(analysis);
  if (statementRules.length) {
    const key = [rulePlan(input.allRules, input.config).statementKey, input.casing ?? '', imports].join('\u0000');
    analysis.tables.forEach((t, i) => findings.push(...statementFindings(t, () => declsOf(i), key, statementRules, analysis, input, collector)));
  }
  if (!fileRules.length) return;
  const decls = (indexes: Iterable<number>): TsDecls => {
    const out: TsDecls = { tables: [], columns: [], foreignKeys: [] };
    for (const i of indexes) {
      const d = declsOf(i);
      out.tables.push(...d.tables);
      out.columns.push(...d.columns);
      out.foreignKeys.push(...d.foreignKeys);
    }
    return out;
  };
  let all: TsDecls | undefined;
  const allDecls = () => (all ??= decls(analysis.tables.keys()));
  const file: SqlFile = { path: analysis.path, text: analysis.text, lines, segments: [], statements: [], embedded: [] };
  const plan = planFor(analysis, input, [rulePlan(input.allRules, input.config).fileKey, input.casing ?? '', imports].join('\u0000'));
  const changed = plan?.changed && decls(plan.changed);
  const run = (rule: RuleDefinition, visited: TsDecls, view?: { schema: SchemaModel; path: string }): { found: Finding[]; failed: boolean } => {
    const found: Finding[] = [];
    const errorsBefore = collector.errors.size;
    const base = { ruleId: rule.meta.id, vocabulary: input.config.vocabulary, migrations: input.config.migrations, report: (r: Parameters<FileContext['report']>[0]) => found.push(collector.finding(rule, r)) };
    let visitors: Visitors = {};
    collector.guard(rule, () => {
      const context = view ? { file: { ...file, path: view.path }, schema: view.schema } : { file, schema: input.schema() };
      if (rule.scope === 'file') visitors = rule.create({ ...base, ...context, fileInfo: PLAIN_FILE, isExistingTable: () => false, schemaBefore: () => new MutableSchema() } satisfies FileContext);
    });
    visit(rule, visitors, visited, collector);
    return { found, failed: collector.errors.size !== errorsBefore };
  };
  for (const rule of fileRules) {
    const view = plan && changed && plan.partial(rule) ? plan.view() : undefined;
    if (plan && changed && view) {
      // Nothing to check again when the edit left every table's text as it was (a comment between tables).
      const some = plan.changed!.length ? run(rule, changed, view) : { found: [], failed: false };
      const reused = !some.failed ? plan.finishPartial(rule, some.found) : undefined;
      if (reused) {
        findings.push(...reused);
        continue;
      }
    }
    const whole = run(rule, allDecls());
    plan?.finishWhole(rule, whole.found, whole.failed);
    findings.push(...whole.found);
  }
  plan?.done();
}

/** The reuse plan of the file rules; none when the schema cannot be made (the rules then report that themselves). */
function planFor(analysis: TsAnalysis, input: DeclRuleInput, key: string): FileRuleReuse | undefined {
  try {
    return planFileRules(analysis, input.previous, input.schema(), key);
  } catch {
    return undefined;
  }
}

function visit(rule: RuleDefinition, visitors: Visitors, decls: TsDecls, collector: Collector): void {
  if (!visitors.table && !visitors.column && !visitors.foreignKey && !visitors.endFile) return;
  collector.guard(rule, () => {
    visitors.startFile?.();
    for (const t of decls.tables) visitors.table?.(t);
    for (const c of decls.columns) visitors.column?.(c);
    for (const f of decls.foreignKeys) visitors.foreignKey?.(f);
    visitors.endFile?.();
  });
}

function statementFindings(table: DrizzleTable, decls: () => TsDecls, key: string, rules: readonly RuleDefinition[], analysis: TsAnalysis, input: DeclRuleInput, collector: Collector): readonly Finding[] {
  const origin = tableOrigin(table);
  const fullKey = origin && key + '\u0000' + foreignKeysKey(table);
  const hit = origin && kept.get(origin.parts);
  if (origin && hit && hit.key === fullKey) {
    declRuleStats.reused++;
    const d = origin.delta - hit.delta;
    return d === 0 ? hit.findings : hit.findings.map((f) => shiftFinding(f, d));
  }
  declRuleStats.made++;
  const out: Finding[] = [];
  const errorsBefore = collector.errors.size;
  for (const rule of rules) {
    let visitors: Visitors = {};
    collector.guard(rule, () => {
      if (rule.scope === 'statement') visitors = rule.create({ ruleId: rule.meta.id, vocabulary: input.config.vocabulary, migrations: input.config.migrations, report: (r) => out.push(collector.finding(rule, r)), text: analysis.text } satisfies StatementContext);
    });
    visit(rule, visitors, decls(), collector);
  }
  // A rule that failed on this table is not run again in this lint: its findings are not the table's own.
  if (origin && fullKey && collector.errors.size === errorsBefore && movable(table, out)) kept.set(origin.parts, { key: fullKey, delta: origin.delta, findings: out });
  else if (origin) kept.delete(origin.parts);
  return out;
}
