// RuleTester in the style of ESLint's: valid code must produce no finding of the rule; each
// invalid case lists the expected findings (message id, 1-based line and column) and the text
// after applying every preferred fix. The rule's own `meta.examples` are checked too.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { resolveConfig, type RawConfig } from '../../server/src/engine/config';
import { lintSqlFile } from '../../server/src/engine/linter';
import type { FileInfo, RuleDefinition } from '../../server/src/engine/rule';
import type { Finding, TextEdit } from '../../server/src/engine/types';
import { parseSqlFile } from '../../server/src/sql/document';
import { initParser } from '../../server/src/sql/parser';

export interface ExpectedError {
  messageId: string;
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  severity?: Finding['severity'];
  /** A substring the rendered message must contain (e.g. the table and column names). */
  includes?: string | string[];
}

export interface ValidCase {
  code: string;
  name?: string;
  config?: RawConfig;
  fileInfo?: Partial<FileInfo>;
}

export interface InvalidCase extends ValidCase {
  errors: ExpectedError[];
  /** The text after applying each finding's preferred fix; `null` asserts there is none. */
  output?: string | null;
}

export interface RuleTests {
  valid: Array<string | ValidCase>;
  invalid: InvalidCase[];
}

export function applyEdits(text: string, edits: TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  let lastStart = Infinity;
  for (const e of sorted) {
    if (e.end > lastStart) continue; // overlapping edits: keep the later one, like ESLint's fixer
    out = out.slice(0, e.start) + e.newText + out.slice(e.end);
    lastStart = e.start;
  }
  return out;
}

export function lintWith(rule: RuleDefinition, c: ValidCase): { findings: Finding[]; text: string; lines: ReturnType<typeof parseSqlFile>['lines'] } {
  const file = parseSqlFile('test.sql', c.code);
  const fileInfo: FileInfo = { role: 'up', migration: true, runnerWrapsTransaction: false, ...c.fileInfo };
  const { findings, ruleErrors } = lintSqlFile({ file, config: resolveConfig(c.config), rules: [rule], fileInfo });
  assert.deepEqual(ruleErrors, [], `rule threw: ${ruleErrors.map((e) => e.stack).join('\n')}`);
  return { findings: findings.filter((f) => f.ruleId === rule.meta.id), text: c.code, lines: file.lines };
}

export function ruleTester(rule: RuleDefinition, tests: RuleTests): void {
  describe(rule.meta.id, () => {
    before(() => initParser());
    const cases = (list: Array<string | ValidCase>) => list.map((v) => (typeof v === 'string' ? { code: v } : v));
    for (const [i, c] of cases(tests.valid).entries()) {
      it(`valid #${i + 1}${c.name ? `: ${c.name}` : ''}`, () => {
        const { findings } = lintWith(rule, c);
        assert.deepEqual(findings.map((f) => `${f.messageId}: ${f.message}`), [], c.code);
      });
    }
    for (const [i, c] of tests.invalid.entries()) {
      it(`invalid #${i + 1}${c.name ? `: ${c.name}` : ''}`, () => {
        const { findings, lines } = lintWith(rule, c);
        assert.equal(findings.length, c.errors.length, `expected ${c.errors.length} finding(s), got:\n${findings.map((f) => `  ${f.messageId} ${f.message}`).join('\n')}\nin:\n${c.code}`);
        c.errors.forEach((exp, k) => {
          const f = findings[k];
          const start = lines.positionAt(f.span.start);
          const end = lines.positionAt(f.span.end);
          assert.equal(f.messageId, exp.messageId);
          if (exp.line !== undefined) assert.equal(start.line + 1, exp.line, `line of ${f.messageId}`);
          if (exp.column !== undefined) assert.equal(start.character + 1, exp.column, `column of ${f.messageId}`);
          if (exp.endLine !== undefined) assert.equal(end.line + 1, exp.endLine, `end line of ${f.messageId}`);
          if (exp.endColumn !== undefined) assert.equal(end.character + 1, exp.endColumn, `end column of ${f.messageId}`);
          if (exp.severity) assert.equal(f.severity, exp.severity);
          for (const s of [exp.includes ?? []].flat()) assert.ok(f.message.includes(s), `message "${f.message}" should include "${s}"`);
          assert.ok(!/\{\{\w+\}\}/.test(f.message), `unfilled placeholder in "${f.message}"`);
        });
        if (c.output !== undefined) {
          const edits = findings.flatMap((f) => (f.fixes?.find((x) => x.preferred) ?? f.fixes?.[0])?.edits ?? []);
          if (c.output === null) assert.equal(edits.length, 0, 'expected no fix');
          else assert.equal(applyEdits(c.code, edits), c.output);
        }
      });
    }
    it('meta examples: incorrect ones are reported, correct ones are not', () => {
      for (const ex of rule.meta.examples.incorrect.filter((e) => (e.language ?? 'sql') === 'sql')) {
        assert.ok(lintWith(rule, { code: ex.code }).findings.length > 0, `no finding for incorrect example:\n${ex.code}`);
      }
      for (const ex of rule.meta.examples.correct.filter((e) => (e.language ?? 'sql') === 'sql')) {
        assert.deepEqual(lintWith(rule, { code: ex.code }).findings.map((f) => f.message), [], ex.code);
      }
    });
  });
}
