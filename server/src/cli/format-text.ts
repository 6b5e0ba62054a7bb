// The default output: grouped by file, one line per finding, then a summary a person can act on.
import type { Severity } from '../engine/types';
import { countBySeverity, positionOf, type FileReport } from './report';

export interface TextOptions {
  color: boolean;
  /** Show the offending source line under each finding. */
  codeFrames?: boolean;
}

const COLORS: Record<Severity | 'dim' | 'bold' | 'path', string> = {
  error: '\x1b[31m',
  warning: '\x1b[33m',
  info: '\x1b[36m',
  hint: '\x1b[90m',
  dim: '\x1b[2m',
  bold: '\x1b[1m',
  path: '\x1b[4m',
};

const FRAME_WIDTH = 120;

export function formatText(reports: readonly FileReport[], opts: TextOptions): string {
  const paint = (kind: keyof typeof COLORS, s: string) => (opts.color ? `${COLORS[kind]}${s}\x1b[0m` : s);
  const out: string[] = [];
  for (const r of reports) {
    if (r.findings.length === 0) continue;
    out.push(paint('path', r.path));
    for (const f of r.findings) {
      const p = positionOf(r, f);
      out.push(`  ${`${p.line}:${p.column}`.padEnd(8)} ${paint(f.severity, f.severity.padEnd(7))} ${f.message}  ${paint('dim', f.ruleId)}`);
      if (opts.codeFrames) {
        const full = r.text.slice(r.lines.lineStart(p.line - 1), r.lines.lineEnd(p.line - 1));
        // Long lines (generated migrations) are shown as a window around the finding.
        const from = full.length > FRAME_WIDTH && p.column > FRAME_WIDTH / 2 ? p.column - 1 - Math.floor(FRAME_WIDTH / 4) : 0;
        const lineText = ((from > 0 ? '…' : '') + full.slice(from, from + FRAME_WIDTH) + (full.length > from + FRAME_WIDTH ? '…' : '')).replace(/\t/g, ' ');
        const column = p.column - from + (from > 0 ? 1 : 0);
        const width = Math.max(1, Math.min((p.endLine === p.line ? p.endColumn : full.length + 1) - p.column, FRAME_WIDTH - (column - 1)));
        out.push(`  ${paint('dim', `${String(p.line).padStart(5)} |`)} ${lineText}`);
        out.push(`  ${paint('dim', '      |')} ${' '.repeat(Math.max(0, column - 1))}${paint(f.severity, '^'.repeat(width))}`);
        if (f.fixes?.length) out.push(`  ${paint('dim', '      =')} fix: ${f.fixes[0].title}`);
      }
    }
    out.push('');
  }
  const c = countBySeverity(reports);
  const total = c.error + c.warning + c.info + c.hint;
  const files = reports.length;
  if (total === 0) out.push(`No problems found in ${files} file${files === 1 ? '' : 's'}.`);
  else {
    const parts = (['error', 'warning', 'info', 'hint'] as const).filter((s) => c[s]).map((s) => `${c[s]} ${s}${c[s] === 1 || s === 'info' ? '' : 's'}`);
    out.push(paint('bold', `${total} problem${total === 1 ? '' : 's'} (${parts.join(', ')}) in ${files} file${files === 1 ? '' : 's'}.`));
  }
  return out.join('\n') + '\n';
}
