import { countBySeverity, positionOf, type FileReport } from './report';

/** Stable machine-readable output: one entry per file, positions 1-based. */
export function formatJson(reports: readonly FileReport[], version: string): string {
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
