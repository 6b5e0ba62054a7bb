// One fuzz input through everything an editor runs on it: the splitter, the parser adapter, every
// rule (Project.lint, against a workspace schema), the diagnostics and code actions, and the
// preferred fixes. Returns the problems found instead of throwing, so the test can list them all.
import * as ts from 'typescript';
import { Project } from '../../server/src/engine/project';
import type { Finding, Fix } from '../../server/src/engine/types';
import { lintTypeScriptFile } from '../../server/src/drizzle/lint';
import { lintTypeScriptDocument } from '../../server/src/drizzle/project';
import type { WorkspaceModel } from '../../server/src/model/workspace-model';
import { codeActionsFor, FIX_ALL_KIND } from '../../server/src/lsp/code-actions';
import { toDiagnostic } from '../../server/src/lsp/diagnostics';
import { RULES } from '../../server/src/rules';
import { parseSqlFile } from '../../server/src/sql/document';
import type { LineIndex } from '../../server/src/sql/offsets';
import { splitSql } from '../../server/src/sql/splitter';

export interface Problem {
  kind: 'exception' | 'rule-error' | 'span' | 'budget' | 'fix-breaks-parse';
  /** The rule at fault, when one is. */
  ruleId?: string;
  detail: string;
}

/** CPU milliseconds (user + system) of this process: the machine is shared, wall time is noise. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function checkSpans(text: string, findings: readonly Finding[], out: Problem[]): void {
  const inText = (s: number, e: number) => Number.isInteger(s) && Number.isInteger(e) && 0 <= s && s <= e && e <= text.length;
  for (const f of findings) {
    if (!inText(f.span.start, f.span.end)) out.push({ kind: 'span', ruleId: f.ruleId, detail: `finding span ${f.span.start}..${f.span.end} outside 0..${text.length}` });
    for (const fix of f.fixes ?? []) {
      for (const e of fix.edits) {
        if (!inText(e.start, e.end)) out.push({ kind: 'span', ruleId: f.ruleId, detail: `fix "${fix.title}" edit ${e.start}..${e.end} outside 0..${text.length}` });
      }
    }
  }
}

function runCodeActions(uri: string, text: string, lines: LineIndex, comment: string, findings: readonly Finding[]): void {
  const diagnostics = findings.map((f) => toDiagnostic(lines, f));
  const doc = { uri, text, lines, comment, resolveNewFile: (p: string) => `file:///fuzz/${p}` };
  codeActionsFor(doc, diagnostics);
  codeActionsFor(doc, diagnostics, [FIX_ALL_KIND]);
}

/** Applies edits from the end so earlier offsets stay valid; undefined when edits overlap. */
export function applyTextEdits(text: string, edits: ReadonlyArray<{ start: number; end: number; newText: string }>): string | undefined {
  const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  let limit = Infinity;
  for (const e of sorted) {
    if (e.end > limit) return undefined;
    out = out.slice(0, e.start) + e.newText + out.slice(e.end);
    limit = e.start;
  }
  return out;
}

/** Every statement parses, nothing is left open (quote, comment, dollar body). */
export function sqlParsesCleanly(text: string): { ok: boolean; why?: string } {
  const file = parseSqlFile('fuzz-check.sql', text);
  const open = file.segments.find((s) => s.unterminated);
  if (open) return { ok: false, why: `unterminated ${open.unterminated} at ${open.unterminatedAt}` };
  const bad = file.statements.find((s) => s.error);
  if (bad) return { ok: false, why: `${bad.error!.message} at ${bad.error!.offset} in ${JSON.stringify(bad.segment.text.slice(0, 120))}` };
  return { ok: true };
}

export function tsParsesCleanly(text: string): { ok: boolean; why?: string } {
  const r = ts.transpileModule(text, { reportDiagnostics: true, fileName: 'fuzz.ts', compilerOptions: { target: ts.ScriptTarget.ES2022 } });
  const d = r.diagnostics?.[0];
  return d ? { ok: false, why: ts.flattenDiagnosticMessageText(d.messageText, '\n') } : { ok: true };
}

const MAX_SINGLE_FIX_CHECKS = 25;

const sameEdit = (a: Fix['edits'][number], b: Fix['edits'][number]) => a.start === b.start && a.end === b.end && a.newText === b.newText;

/** Overlapping edits, or two different insertions at one offset (their order would be arbitrary), as "fix all" skips them; an edit equal to one taken is shared. */
function clashes(edits: Fix['edits'], taken: Fix['edits']): boolean {
  return fresh(edits, taken).some((e) => taken.some((t) => (e.start < t.end && t.start < e.end) || (t.start === e.start && (e.start === e.end || t.start === t.end))));
}

/** The edits not already taken: fix-all sends an edit two fixes share once. */
function fresh(edits: Fix['edits'], taken: Fix['edits']): Fix['edits'] {
  return edits.filter((e) => !taken.some((t) => sameEdit(e, t)));
}

/** Preferred fixes one at a time, then all non-overlapping ones together (what "fix all" does). */
function checkFixes(text: string, findings: readonly Finding[], parses: (t: string) => { ok: boolean; why?: string }, out: Problem[]): void {
  const preferred: Array<{ ruleId: string; fix: Fix }> = [];
  for (const f of findings) for (const fix of f.fixes ?? []) if (fix.preferred) preferred.push({ ruleId: f.ruleId, fix });
  const taken: Fix['edits'] = [];
  // Re-parsing per fix is the expensive part: check the first few one by one, all of them together.
  for (const [i, { ruleId, fix }] of preferred.entries()) {
    if (i >= (text.length > 20_000 ? 3 : MAX_SINGLE_FIX_CHECKS)) {
      if (!fix.newFiles?.length && !clashes(fix.edits, taken)) taken.push(...fresh(fix.edits, taken));
      continue;
    }
    const fixed = applyTextEdits(text, fix.edits);
    if (fixed === undefined) {
      out.push({ kind: 'fix-breaks-parse', ruleId, detail: `fix "${fix.title}" has overlapping edits` });
      continue;
    }
    const r = parses(fixed);
    if (!r.ok) out.push({ kind: 'fix-breaks-parse', ruleId, detail: `fix "${fix.title}" leaves text that does not parse: ${r.why}` });
    for (const nf of fix.newFiles ?? []) {
      const n = sqlParsesCleanly(nf.text);
      if (nf.path.endsWith('.sql') && !n.ok) out.push({ kind: 'fix-breaks-parse', ruleId, detail: `fix "${fix.title}" creates ${nf.path} that does not parse: ${n.why}` });
    }
    if (!fix.newFiles?.length && !clashes(fix.edits, taken)) taken.push(...fresh(fix.edits, taken));
  }
  if (taken.length > 1) {
    const all = applyTextEdits(text, taken);
    const r = all === undefined ? { ok: false, why: 'overlapping edits' } : parses(all);
    if (!r.ok) out.push({ kind: 'fix-breaks-parse', detail: `all preferred fixes together (${preferred.map((p) => p.ruleId).join(', ')}) leave text that does not parse: ${r.why}` });
  }
}

export interface Budget {
  /** CPU milliseconds one analysis (lint + code actions) may take. */
  cpuMs: number;
}

export function fuzzSql(project: Project, file: string, text: string, budget: Budget, seen?: Set<string>): Problem[] {
  const out: Problem[] = [];
  try {
    const segments = splitSql(text);
    for (const s of segments) {
      if (!(0 <= s.start && s.start <= s.end && s.end <= text.length)) out.push({ kind: 'span', detail: `splitter segment ${s.start}..${s.end} outside 0..${text.length}` });
    }
    const t0 = cpuMs();
    const result = project.lint(file, text);
    for (const f of result.findings) seen?.add(f.ruleId);
    runCodeActions(`file://${file}`, text, result.file.lines, '--', result.findings);
    const spent = cpuMs() - t0;
    if (spent > budget.cpuMs) out.push({ kind: 'budget', detail: `lint + code actions took ${spent.toFixed(0)} ms of CPU (budget ${budget.cpuMs} ms) on ${text.length} chars` });
    for (const e of result.ruleErrors) out.push({ kind: 'rule-error', ruleId: e.ruleId, detail: `${e.message}\n${(e.stack ?? '').split('\n').slice(1, 4).join('\n')}` });
    checkSpans(text, result.findings, out);
    if (result.file.statements.length && sqlParsesCleanly(text).ok) checkFixes(text, result.findings, sqlParsesCleanly, out);
  } catch (err) {
    out.push({ kind: 'exception', detail: (err as Error)?.stack ?? String(err) });
  }
  return out;
}

/**
 * With `model`, the file goes through the editor's path (lintTypeScriptDocument): its tables join
 * the model, so schema-wide rules (no-primary-key, unindexed-foreign-key, ...) run on it too, and the
 * previous input's syntax tree is reused as after a keystroke.
 */
export function fuzzTs(project: Project, file: string, text: string, budget: Budget, seen?: Set<string>, model?: WorkspaceModel): Problem[] {
  const out: Problem[] = [];
  try {
    const t0 = cpuMs();
    const result = model ? lintTypeScriptDocument(file, text, { config: project.config, model }) : lintTypeScriptFile(file, text, { config: project.config, rules: RULES, schema: project.model.schema() });
    for (const f of result.findings) seen?.add(f.ruleId);
    runCodeActions(`file://${file}`, text, result.lines, '//', result.findings);
    const spent = cpuMs() - t0;
    if (spent > budget.cpuMs) out.push({ kind: 'budget', detail: `TypeScript lint + code actions took ${spent.toFixed(0)} ms of CPU (budget ${budget.cpuMs} ms) on ${text.length} chars` });
    for (const e of result.ruleErrors) out.push({ kind: 'rule-error', ruleId: e.ruleId, detail: `${e.message}\n${(e.stack ?? '').split('\n').slice(1, 4).join('\n')}` });
    checkSpans(text, result.findings, out);
    if (result.findings.some((f) => f.fixes?.length) && tsParsesCleanly(text).ok) checkFixes(text, result.findings, tsParsesCleanly, out);
  } catch (err) {
    out.push({ kind: 'exception', detail: (err as Error)?.stack ?? String(err) });
  }
  return out;
}

/**
 * Shrinks `text` while `fails` still holds: drops halves, then lines, then character runs.
 * Bounded by `deadline` (performance.now()), so a slow failure cannot stall the test.
 */
export function shrink(text: string, fails: (t: string) => boolean, deadline: number): string {
  let best = text;
  for (let chunk = Math.max(1, Math.floor(best.length / 2)); chunk >= 1 && performance.now() < deadline; chunk = Math.floor(chunk / 2)) {
    let i = 0;
    while (i < best.length && performance.now() < deadline) {
      const candidate = best.slice(0, i) + best.slice(i + chunk);
      if (candidate.length < best.length && fails(candidate)) best = candidate;
      else i += chunk;
    }
  }
  return best;
}
