// The JSON report is written in pieces (jsonChunks): joined, they must be exactly
// JSON.stringify(report, null, 2), the text the CLI always printed, whatever the chunk size.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chunksText, formatJson, jsonChunks } from '../../server/src/cli/format-json';
import { countBySeverity, positionOf, type FileReport } from '../../server/src/cli/report';
import type { Finding } from '../../server/src/engine/types';
import { LineIndex } from '../../server/src/sql/offsets';

/** The report as one object, stringified in one go (how formatJson worked before it was split). */
function wholeJson(reports: readonly FileReport[], version: string): string {
  return JSON.stringify(
    {
      tool: 'ledgerlint',
      version,
      summary: countBySeverity(reports),
      files: reports.map((r) => ({
        path: r.path,
        findings: r.findings.map((f) => ({
          ruleId: f.ruleId,
          messageId: f.messageId,
          severity: f.severity,
          message: f.message,
          ...positionOf(r, f),
          fixes: (f.fixes ?? []).map((x) => ({
            title: x.title,
            edits: x.edits.map((e) => {
              const s = r.lines.positionAt(e.start);
              const en = r.lines.positionAt(e.end);
              return { line: s.line + 1, column: s.character + 1, endLine: en.line + 1, endColumn: en.character + 1, newText: e.newText };
            }),
          })),
        })),
      })),
    },
    null,
    2,
  );
}

function report(path: string, text: string, findings: Finding[]): FileReport {
  return { path, absolute: `/w/${path}`, text, lines: new LineIndex(text), findings };
}

const TEXT = '-- 💸 fees\nCREATE TABLE "we""ird" (amount real);\nUPDATE accounts SET balance = 5;\n';
const REPORTS: FileReport[] = [
  report('migrations/0001 init.sql', TEXT, [
    { ruleId: 'money-float-type', messageId: 'float', message: 'amount is "real":\n rounding loses cents \\ 💸', severity: 'error', span: { start: 36, end: 40 } },
    {
      ruleId: 'balance-read-modify-write',
      messageId: 'absolute',
      message: 'balance set to an absolute value',
      severity: 'warning',
      span: { start: 60, end: 80 },
      fixes: [{ title: 'Write it relative', edits: [{ start: 76, end: 77, newText: 'balance + 5\n\t"x"' }] }],
    },
  ]),
  report('clean.sql', 'SELECT 1;\n', []),
  report('ünïcode/q.sql', TEXT, [{ ruleId: 'syntax-error', messageId: 'encoding', message: 'not UTF-8', severity: 'error', span: { start: 0, end: 0 } }]),
];

describe('JSON report in pieces', () => {
  it('joins to JSON.stringify of the whole report, for any chunk size', () => {
    const expected = wholeJson(REPORTS, '1.2.3');
    assert.equal(formatJson(REPORTS, '1.2.3'), expected);
    for (const size of [1, 50, 400, 1 << 20]) {
      // Bytes pieces are views of a reused buffer: decoded as they come, as the CLI writes them.
      let bytesPieces = 0;
      const counted = function* () {
        for (const c of jsonChunks(REPORTS, '1.2.3', size)) {
          if (typeof c !== 'string') bytesPieces++;
          yield c;
        }
      };
      assert.equal(chunksText(counted()), expected, `chunks of ${size}`);
      assert.equal(bytesPieces, REPORTS.length, 'each file\'s findings come as UTF-8 bytes of their own');
    }
    assert.deepEqual(JSON.parse(expected).files[0].findings[1].fixes[0].edits[0].newText, 'balance + 5\n\t"x"');
  });

  it('matches for several fixes, fixes without edits, odd numbers and findings outside the Finding contract', () => {
    const odd = [
      report('a.sql', TEXT, [
        {
          ruleId: 'r',
          messageId: 'm',
          message: 'two fixes',
          severity: 'hint',
          span: { start: 5, end: 3 },
          fixes: [
            { title: 'none', edits: [] },
            { title: 'two', edits: [{ start: 0, end: 1, newText: '' }, { start: 11, end: 90, newText: '\u2028"' }], preferred: true, newFiles: [{ path: 'x.sql', text: 'y' }] },
          ],
        },
        { ruleId: 'r', messageId: undefined as unknown as string, message: 'no message id', severity: 'info', span: { start: NaN, end: 2 } },
      ]),
      report('b.sql', 'x', [{ ruleId: 'r', messageId: 'm', message: 'a title that is no string', severity: 'error', span: { start: 0, end: 1 }, fixes: [{ title: 5 as unknown as string, edits: [] }] }]),
    ];
    assert.equal(formatJson(odd, '1.0.0'), wholeJson(odd, '1.0.0'));
  });

  it('matches for no files and for files without findings', () => {
    assert.equal(formatJson([], '0.0.1'), wholeJson([], '0.0.1'));
    const clean = [REPORTS[1], REPORTS[1]];
    assert.equal(formatJson(clean, '0.0.1'), wholeJson(clean, '0.0.1'));
  });
});
