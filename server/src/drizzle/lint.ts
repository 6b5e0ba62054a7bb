// Lints a TypeScript file that uses Drizzle or pg: column/foreign-key/table rules over the Drizzle
// schema, SQL rules over the SQL embedded in templates and query strings (findings mapped back into
// the TypeScript), and the Drizzle-side checks. Same Finding shape as `lintSqlFile`.
import type { ResolvedConfig } from '../engine/config';
import { Collector, configuredSeverity, lintSqlFile, type LintOutput } from '../engine/linter';
import type { RuleDefinition } from '../engine/rule';
import { collectSuppressions, isSuppressed } from '../engine/suppressions';
import type { Finding, Fix } from '../engine/types';
import { emptyContribution } from '../model/replay-context';
import { MutableSchema } from '../model/schema-builder';
import { drizzleContribution } from './model';
import type { SchemaModel } from '../model/schema';
import { parseSqlFile } from '../sql/document';
import { LineIndex } from '../sql/offsets';
import { analyseTypeScript, type EmbeddedSite, type TsAnalysis } from './analysis';
import type { WorkspaceCasingState } from './casing';
import { runDeclRules } from './decl-rules';
import { editToTs, looksLikeStatement, spanToTs } from './embedded-sql';
import { addMissingImports } from './fix-imports';
import type { KnownExports } from './handles';
import { DRIZZLE_CHECKS } from './rules';

export interface TsLintOptions {
  config: ResolvedConfig;
  rules: readonly RuleDefinition[];
  schema?: SchemaModel;
  /** The previous analysis of the same file: its syntax tree is reused for an incremental parse. */
  previous?: TsAnalysis;
  knownExports?: KnownExports;
  /** The file's analysis, when the caller already made it (e.g. to register its tables in the workspace model first). */
  analysis?: TsAnalysis;
  /** Whether the workspace sets `casing: 'snake_case'` (drizzle/casing.ts); unknown when not given. */
  casing?: WorkspaceCasingState;
}

export interface TsLintOutput extends LintOutput {
  analysis: TsAnalysis;
  lines: LineIndex;
}

export function lintTypeScriptFile(path: string, text: string, options: TsLintOptions): TsLintOutput {
  const analysis = options.analysis?.path === path && options.analysis.text === text ? options.analysis : analyseTypeScript(path, text, { previous: options.previous, knownExports: options.knownExports, casing: () => options.casing });
  const lines = new LineIndex(text);
  if (!analysis.relevant) return { analysis, lines, findings: [], ruleErrors: [] };
  const { config } = options;
  const collector = new Collector(config);
  const findings: Finding[] = [];
  const enabled = options.rules.filter((r) => configuredSeverity(r, config) !== 'off');
  const declFindings: Finding[] = [];
  let schema: SchemaModel | undefined;
  runDeclRules(analysis, { config, rules: enabled, allRules: options.rules, casing: options.casing, previous: options.previous, schema: () => (schema ??= options.schema ?? fileSchema(analysis)) }, lines, collector, declFindings);
  findings.push(...addMissingImports(declFindings, analysis));
  const ruleErrors = [];
  for (const site of analysis.embedded) {
    const out = lintEmbedded(site, path, enabled, config, options.schema);
    findings.push(...out.findings);
    ruleErrors.push(...out.ruleErrors);
  }
  for (const check of DRIZZLE_CHECKS) {
    if ((config.rules[check.meta.id] ?? check.meta.severity) === 'off') continue;
    collector.guard(check, () => check.check({ analysis, vocabulary: config.vocabulary, schema: options.schema, report: (r) => findings.push(collector.finding(check, r)) }));
  }
  const suppressions = collectSuppressions(text, lines);
  const kept = findings.filter((f) => !isSuppressed(suppressions, f.ruleId, lines.positionAt(f.span.start).line));
  kept.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end || a.ruleId.localeCompare(b.ruleId));
  return { analysis, lines, findings: dedupe(kept), ruleErrors: [...ruleErrors, ...collector.errors.values()] };
}

/** Without a workspace, file-scoped rules still see this file's own tables (their keys, indexes and references). */
function fileSchema(analysis: TsAnalysis): SchemaModel {
  const schema = new MutableSchema();
  drizzleContribution(analysis.tables, analysis.scope.enumDecls.values())(schema, emptyContribution(), (span) => ({ file: analysis.path, span, order: Infinity }));
  return schema;
}

function lintEmbedded(site: EmbeddedSite, path: string, rules: readonly RuleDefinition[], config: ResolvedConfig, schema: SchemaModel | undefined): LintOutput {
  const e = site.sql;
  if (!site.statement && !looksLikeStatement(e.sql)) return { findings: [], ruleErrors: [] };
  const file = parseSqlFile(`${path}#sql@${e.node.pos}`, e.sql);
  const out = lintSqlFile({ file, config, rules, schema });
  const findings = out.findings.map((f): Finding => {
    const fixes = f.fixes
      ?.map((fix): Fix | undefined => {
        if (fix.newFiles?.length) return undefined;
        const edits = fix.edits.map((x) => editToTs(e, x, site.template));
        return edits.every((x) => x) ? { ...fix, edits: edits as Fix['edits'] } : undefined;
      })
      .filter((x): x is Fix => x !== undefined);
    return { ...f, span: spanToTs(e, f.span), fixes: fixes?.length ? fixes : undefined };
  });
  return { findings, ruleErrors: out.ruleErrors };
}

/** A rule may see the same thing through the schema and through an embedded statement: keep one. */
function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.ruleId}\u0000${f.span.start}\u0000${f.span.end}\u0000${f.messageId}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
