/** Waiting on the editor from inside the extension host. */
import * as path from 'node:path';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'ledgerlint.ledgerlint';

export function workspaceFile(relative: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder is open: runTests must pass the fixture workspace');
  return vscode.Uri.file(path.join(folder.uri.fsPath, relative));
}

export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function ledgerlintDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'ledgerlint');
}

export function codeOf(d: vscode.Diagnostic): string {
  const code = d.code;
  return String(typeof code === 'object' && code !== null ? code.value : code);
}

/** A diagnostic as a comparable string: rule, severity and 0-based range. */
export function describe(d: vscode.Diagnostic): string {
  const r = d.range;
  return `${codeOf(d)} ${vscode.DiagnosticSeverity[d.severity]} ${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
}
