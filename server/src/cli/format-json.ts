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

/** A file entry as JSON.stringify writes it at its depth, the slow but general way. */
function stringifiedEntry(r: FileReport): string {
  // Stringified where it sits (in a files array), so JSON.stringify indents it: the wrapper's
  // first two lines and last two are cut off again.
  const wrapped = JSON.stringify({ files: [{ path: r.path, findings: r.findings.map((f) => findingEntry(r, f)) }] }, null, 2);
  return wrapped.slice(WRAP_HEAD, -WRAP_TAIL);
}

const q = JSON.stringify as (s: string) => string;

/** What JSON.stringify writes for a number (NaN and infinities become null). */
function num(n: number): string {
  return Number.isFinite(n) ? String(n) : 'null';
}

/**
 * Findings whose fields all have the types Finding declares: only those take the template path
 * (JSON.stringify drops undefined members and writes other values its own way, so a finding from
 * a rule that broke the contract goes through it to print exactly what it always printed).
 */
function plainFinding(f: Finding): boolean {
  if (typeof f.ruleId !== 'string' || typeof f.messageId !== 'string' || typeof f.severity !== 'string' || typeof f.message !== 'string') return false;
  if (f.fixes === undefined) return true;
  if (!Array.isArray(f.fixes)) return false;
  for (const x of f.fixes) {
    if (typeof x.title !== 'string' || !Array.isArray(x.edits)) return false;
    for (const e of x.edits) if (typeof e.newText !== 'string' || typeof e.start !== 'number' || typeof e.end !== 'number') return false;
  }
  return true;
}

/**
 * One buffer, grown as needed and reused for every file: a file's findings are rendered into it
 * as UTF-8 and written out (or copied for the cache) before the next file's. Building the report
 * as strings cost ~30 MB of allocation per 1,000 files (pieces, then joined chunks, then encoded).
 */
class FindingsBuffer {
  buf = Buffer.allocUnsafe(1 << 16);
  used = 0;

  put(text: string): void {
    // At most 3 UTF-8 bytes per UTF-16 code unit.
    const need = this.used + text.length * 3;
    if (need > this.buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(need, this.buf.length * 2));
      this.buf.copy(bigger, 0, 0, this.used);
      this.buf = bigger;
    }
    this.used += this.buf.write(text, this.used, 'utf8');
  }
}

const rendered = new FindingsBuffer();

/**
 * The `"findings"` array of a file entry as JSON.stringify writes it at its depth, as UTF-8, from
 * templates (formatting a 1,000-file report through JSON.stringify, with the objects built for it,
 * took ~190 ms of a ~3 s run); undefined when a finding is outside the Finding contract. The bytes
 * are a view of a buffer the next call reuses. The `--cache` keeps a copy, so a warm run prints a
 * file's findings without formatting them again.
 */
export function findingsJsonBytes(r: FileReport): Uint8Array | undefined {
  const out = rendered;
  out.used = 0;
  if (r.findings.length === 0) {
    out.put('[]');
    return out.buf.subarray(0, out.used);
  }
  out.put('[');
  for (let i = 0; i < r.findings.length; i++) {
    const f = r.findings[i];
    if (!plainFinding(f)) return undefined;
    const p = positionOf(r, f);
    let s = `${i === 0 ? '\n' : ',\n'}        {\n          "ruleId": ${q(f.ruleId)},\n          "messageId": ${q(f.messageId)},\n          "severity": ${q(f.severity)},\n          "message": ${q(f.message)},\n          "line": ${num(p.line)},\n          "column": ${num(p.column)},\n          "endLine": ${num(p.endLine)},\n          "endColumn": ${num(p.endColumn)},\n          "fixes": `;
    const fixes = f.fixes ?? [];
    if (fixes.length === 0) s += '[]';
    else {
      s += '[';
      for (let k = 0; k < fixes.length; k++) {
        const x = fixes[k];
        s += `${k === 0 ? '\n' : ',\n'}            {\n              "title": ${q(x.title)},\n              "edits": `;
        if (x.edits.length === 0) s += '[]';
        else {
          s += '[';
          for (let j = 0; j < x.edits.length; j++) {
            const e = x.edits[j];
            const a = r.lines.positionAt(e.start);
            const b = r.lines.positionAt(e.end);
            s += `${j === 0 ? '\n' : ',\n'}                {\n                  "line": ${num(a.line + 1)},\n                  "column": ${num(a.character + 1)},\n                  "endLine": ${num(b.line + 1)},\n                  "endColumn": ${num(b.character + 1)},\n                  "newText": ${q(e.newText)}\n                }`;
          }
          s += '\n              ]';
        }
        s += '\n            }';
      }
      s += '\n          ]';
    }
    // One write per finding: its text is a short-lived string, the file's is never built.
    out.put(s + '\n        }');
  }
  out.put('\n      ]');
  return out.buf.subarray(0, out.used);
}

/**
 * Stable machine-readable output: one entry per file, positions 1-based. The text is
 * JSON.stringify(report, null, 2), produced in pieces of about `chunkChars` characters: each file
 * entry is written on its own, at its depth, so a 5,000-file report is never one
 * 30-million-character string to build, encode and collect at once. A file's findings come as
 * UTF-8 bytes (rendered now, or read from the cache), a piece of their own, to be used before the
 * next piece is asked for (they are a view of a buffer that is reused).
 */
export function* jsonChunks(reports: readonly FileReport[], version: string, chunkChars = 1 << 20): Generator<string | Uint8Array> {
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
    const given = r.findingsJson ?? findingsJsonBytes(r);
    if (given) {
      parts.push(`${i === 0 ? '\n' : ',\n'}    {\n      "path": ${q(r.path)},\n      "findings": `);
      yield parts.join('');
      yield given;
      parts = ['\n    }'];
      size = parts[0].length;
      continue;
    }
    const part = (i === 0 ? '\n' : ',\n') + stringifiedEntry(r);
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

/** The pieces of jsonChunks as one string (each decoded while it is still valid). */
export function chunksText(chunks: Iterable<string | Uint8Array>): string {
  const parts: string[] = [];
  for (const c of chunks) parts.push(typeof c === 'string' ? c : Buffer.from(c.buffer, c.byteOffset, c.byteLength).toString('utf8'));
  return parts.join('');
}

export function formatJson(reports: readonly FileReport[], version: string): string {
  return chunksText(jsonChunks(reports, version));
}
