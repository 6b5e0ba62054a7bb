// RuleTester in the style of ESLint's: valid code must produce no finding of the rule; each
// invalid case lists the expected findings (message id, 1-based line and column) and the text
// after applying every preferred fix. The rule's own `meta.examples` are checked too.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { resolveConfig, type RawConfig } from '../../server/src/engine/config';
import { lintSqlFile } from '../../server/src/engine/linter';
import type { FileInfo, RuleDefinition } from '../../server/src/engine/rule';
import type { Finding, TextEdit } from '../../server/src/engine/types';
import { parseSqlFile, type SqlFile } from '../../server/src/sql/document';
import { initParser } from '../../server/src/sql/parser';
import type { SchemaModel } from '../../server/src/model/schema';
import { WorkspaceModel } from '../../server/src/model/workspace-model';
import { naturalCompare } from '../../server/src/workspace/conventions';

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

export interface WorkspaceFile {
  path: string;
  code: string;
}

export interface ValidCase {
  code: string;
  name?: string;
  config?: RawConfig;
  fileInfo?: Partial<FileInfo>;
  /**
   * Workspace case: the other files of the workspace (migrations run in order of path, the file
   * under test among them). The schema is built with the real WorkspaceModel and passed, with its
   * `isExistingTable`, to the linter. Without `files` no schema is passed (as before).
   */
  files?: WorkspaceFile[];
  /** Path of the file under test in a workspace case (default: after every other file). */
  path?: string;
}

export interface InvalidCase extends ValidCase {
  errors: ExpectedError[];
  /** The text after applying each finding's preferred fix; `null` asserts there is none. */
  output?: string | null;
  /** The files the preferred fixes create (`newFiles`), in finding order; `[]` asserts there are none. */
  newFiles?: Array<{ path: string; text: string }>;
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

/** Default path of the file under test in a workspace case: sorts after `migrations/0001_x.sql` etc. */
export const WORKSPACE_TEST_PATH = 'migrations/9999_under_test.sql';

interface Workspace {
  file: SqlFile;
  schema: SchemaModel;
  isExistingTable: (table: string, stmtIndex: number) => boolean;
  schemaBefore: (stmtIndex?: number) => SchemaModel;
}

/** Builds the workspace of a case with the real WorkspaceModel: every file an 'up' migration, run in path order. */
export function buildWorkspace(c: ValidCase, fileInfo: FileInfo): Workspace {
  const path = c.path ?? WORKSPACE_TEST_PATH;
  const all = [...(c.files ?? []).filter((f) => f.path !== path), { path, code: c.code }].sort((a, b) => naturalCompare(a.path, b.path));
  const model = new WorkspaceModel();
  all.forEach((f, order) => {
    const own = f.path === path;
    model.setFile(f.path, f.code, { order, role: own && fileInfo.role === 'down' ? 'down' : 'up', runnerWrapsTransaction: fileInfo.runnerWrapsTransaction });
  });
  const file = model.sqlFile(path)!;
  return { file, schema: model.schema(), isExistingTable: (table, stmtIndex) => model.isExistingTable(table, path, stmtIndex), schemaBefore: (stmtIndex) => model.schemaBefore(path, stmtIndex) };
}

export function lintWith(rule: RuleDefinition, c: ValidCase): { findings: Finding[]; text: string; lines: ReturnType<typeof parseSqlFile>['lines'] } {
  const fileInfo: FileInfo = { role: 'up', migration: true, runnerWrapsTransaction: false, ...c.fileInfo };
  const workspace = c.files ? buildWorkspace(c, fileInfo) : undefined;
  const file = workspace?.file ?? parseSqlFile('test.sql', c.code);
  const { findings, ruleErrors } = lintSqlFile({ file, config: resolveConfig(c.config), rules: [rule], fileInfo, schema: workspace?.schema, isExistingTable: workspace?.isExistingTable, schemaBefore: workspace?.schemaBefore });
  assert.deepEqual(ruleErrors, [], `rule threw: ${ruleErrors.map((e) => e.stack).join('\n')}`);
  return { findings: findings.filter((f) => f.ruleId === rule.meta.id), text: c.code, lines: file.lines };
}

/** The findings match the expected ones: count, message id, 1-based positions, severity, text. */
export function assertFindings(findings: Finding[], lines: { positionAt(offset: number): { line: number; character: number } }, errors: ExpectedError[], code: string): void {
  assert.equal(findings.length, errors.length, `expected ${errors.length} finding(s), got:\n${findings.map((f) => `  ${f.messageId} ${f.message}`).join('\n')}\nin:\n${code}`);
  errors.forEach((exp, k) => {
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
        assertFindings(findings, lines, c.errors, c.code);
        if (c.output !== undefined) {
          const edits = findings.flatMap((f) => (f.fixes?.find((x) => x.preferred) ?? f.fixes?.[0])?.edits ?? []);
          if (c.output === null) assert.equal(edits.length, 0, 'expected no fix');
          else assert.equal(applyEdits(c.code, edits), c.output);
        }
        if (c.newFiles !== undefined) {
          const created = findings.flatMap((f) => (f.fixes?.find((x) => x.preferred) ?? f.fixes?.[0])?.newFiles ?? []);
          assert.deepEqual(created, c.newFiles);
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
