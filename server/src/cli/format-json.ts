import type { Finding } from '../engine/types';
import { countBySeverity, positionOf, type FileReport } from './report';

function findingEntry(r: FileReport, f: Finding) {
  return {
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
  };
}

// JSON.stringify({ files: [x] }, null, 2) is '{\n  "files": [\n' + x at its depth + '\n  ]\n}'.
const WRAP_HEAD = '{\n  "files": [\n'.length;
const WRAP_TAIL = '\n  ]\n}'.length;

/**
 * Stable machine-readable output: one entry per file, positions 1-based. The text is
 * JSON.stringify(report, null, 2), produced in pieces of about `chunkChars` characters: each file
 * entry is stringified on its own, at its depth, so a 5,000-file report is never one
 * 30-million-character string to build, encode and collect at once.
 */
export function* jsonChunks(reports: readonly FileReport[], version: string, chunkChars = 1 << 20): Generator<string> {
  const head = JSON.stringify({ tool: 'ledgerlint', version, summary: countBySeverity(reports) }, null, 2);
  // `head` ends with "\n}": the files array goes before that closing brace.
  const open = head.slice(0, -2) + ',\n  "files": [';
  if (reports.length === 0) {
    yield open + ']\n}';
    return;
  }
  let parts = [open];
  let size = open.length;
  for (let i = 0; i < reports.length; i++) {
    const r = reports[i];
    // Stringified where it sits (in a files array), so JSON.stringify indents it: the wrapper's
    // first two lines and last two are cut off again.
    const wrapped = JSON.stringify({ files: [{ path: r.path, findings: r.findings.map((f) => findingEntry(r, f)) }] }, null, 2);
    const part = (i === 0 ? '\n' : ',\n') + wrapped.slice(WRAP_HEAD, -WRAP_TAIL);
    parts.push(part);
    size += part.length;
    if (size >= chunkChars) {
      yield parts.join('');
      parts = [];
      size = 0;
    }
  }
  parts.push('\n  ]\n}');
  yield parts.join('');
}

export function formatJson(reports: readonly FileReport[], version: string): string {
  return [...jsonChunks(reports, version)].join('');
}
