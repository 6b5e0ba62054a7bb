// The CLI as a second reference: `node cli.js check <root> --format json` on a copy of the workspace
// in which every open buffer is written to its file (what the editor shows is what the CLI reads),
// compared with what the edited server published for the open files: rule id, severity, message and
// range (the CLI's 1-based line and column against the LSP's 0-based ones).
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver';
import { diffDiagnostics, type Divergence } from './compare';
import type { LspSession } from './lsp-session';

interface CliFinding {
  ruleId: string;
  severity: 'error' | 'warning' | 'info' | 'hint';
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

const SEVERITY = { error: 1, warning: 2, info: 3, hint: 4 } as const;

/** Both sides reduced to what the CLI reports. */
const core = (d: Diagnostic): Diagnostic => ({ code: d.code, severity: d.severity, message: d.message, range: d.range });

export async function compareWithCli(root: string, s: LspSession, bundle: string): Promise<Divergence[]> {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlint-diff-cli-'));
  try {
    fs.cpSync(root, copy, { recursive: true });
    const rootUri = pathToFileURL(root).href + '/';
    const open = [...s.docs.values()].map((d) => ({ rel: decodeURIComponent(d.uri.slice(rootUri.length)), doc: d }));
    for (const { rel, doc } of open) fs.writeFileSync(path.join(copy, rel), doc.getText());
    const cli = path.join(path.dirname(bundle), 'cli.js');
    const json = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, [cli, 'check', copy, '--format', 'json'], { maxBuffer: 64 * 1024 * 1024, timeout: 60_000 }, (err, stdout) => (stdout ? resolve(stdout) : reject(err ?? new Error('no output')))),
    );
    const report = JSON.parse(json) as { files: Array<{ path: string; findings: CliFinding[] }> };
    const byPath = new Map(report.files.map((f) => [f.path.split(path.sep).join('/'), f.findings]));
    const out: Divergence[] = [];
    for (const { rel, doc } of open) {
      const cliDiagnostics = (byPath.get(rel) ?? []).map(
        (f): Diagnostic => ({ code: f.ruleId, severity: SEVERITY[f.severity], message: f.message, range: { start: { line: f.line - 1, character: f.column - 1 }, end: { line: f.endLine - 1, character: f.endColumn - 1 } } }),
      );
      const lsp = s.diagnostics(doc.uri).filter((d) => d.code !== undefined).map(core);
      out.push(...diffDiagnostics(rel, cliDiagnostics, lsp).map((d) => ({ ...d, path: `${d.path} (cli)` })));
    }
    return out;
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
}
