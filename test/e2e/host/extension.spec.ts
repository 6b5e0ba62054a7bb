/**
 * Ledgerlint inside a real VS Code extension host (code-server 1.100.3), with the fixture workspace
 * test/e2e/fixtures/ws open.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { describe, EXTENSION_ID, ledgerlintDiagnostics, waitFor, workspaceFile, codeOf } from './helpers';
import { test } from './runner';

const CREATE = 'migrations/0001_create_payments.sql';
const BACKFILL = 'migrations/0002_backfill_status.sql';
const CLEAN = 'migrations/0003_safe_index.sql';

const EXPECTED: Record<string, string[]> = {
  [CREATE]: ['money-float-type Error 4:2-4:14'],
  // payments exists from 0001 (the workspace model), so the plain CREATE INDEX blocks writes.
  [BACKFILL]: ['unbounded-update-delete Error 4:0-4:38', 'create-index-non-concurrently Error 6:0-6:65'],
  [CLEAN]: [],
};

test('the extension activates on a .sql file and registers its commands', async () => {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not loaded from extensionDevelopmentPath`);
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(workspaceFile(CREATE)));
  await extension.activate();
  assert.equal(extension.isActive, true);
  const commands = await vscode.commands.getCommands(true);
  for (const id of ['ledgerlint.fixAll', 'ledgerlint.restartServer', 'ledgerlint.explainAtCursor']) {
    assert.ok(commands.includes(id), `command ${id} is not registered`);
  }
}, 60_000);

test('diagnostics for the fixture workspace match the expected findings', async () => {
  for (const file of Object.keys(EXPECTED)) await vscode.workspace.openTextDocument(workspaceFile(file));
  const withFindings = Object.keys(EXPECTED).filter((f) => EXPECTED[f].length > 0);
  await waitFor('diagnostics for every file with findings', () =>
    withFindings.every((f) => ledgerlintDiagnostics(workspaceFile(f)).length >= EXPECTED[f].length) ? true : undefined,
  );
  // The clean file is analysed alongside the others; give a late (wrong) publish a moment to show.
  await new Promise((r) => setTimeout(r, 1000));
  for (const [file, expected] of Object.entries(EXPECTED)) {
    assert.deepEqual(ledgerlintDiagnostics(workspaceFile(file)).map(describe).sort(), [...expected].sort(), `diagnostics of ${file}`);
  }
  const [money] = ledgerlintDiagnostics(workspaceFile(CREATE));
  assert.match(money.message, /payments\.amount stores money as float/);
  assert.match(money.message, /numeric\(19,4\)/);
});

test('the money-float-type quick fix rewrites the column type and the finding goes away', async () => {
  const uri = workspaceFile(CREATE);
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document);
  const diagnostic = await waitFor('the money-float-type diagnostic', () =>
    ledgerlintDiagnostics(uri).find((d) => codeOf(d) === 'money-float-type'),
  );
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
    'vscode.executeCodeActionProvider', uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value,
  );
  const titles = actions.map((a) => a.title);
  const fix = actions.find((a) => a.title === 'Change payments.amount to numeric(19,4)');
  assert.ok(fix?.edit, `no "Change payments.amount to numeric(19,4)" quick fix with an edit among: ${titles.join(' | ')}`);
  try {
    assert.equal(await vscode.workspace.applyEdit(fix.edit), true, 'VS Code refused the quick fix edit');
    assert.equal(document.lineAt(4).text, '  amount numeric(19,4) NOT NULL,');
    await waitFor('the money-float-type diagnostic to disappear after the fix', () =>
      ledgerlintDiagnostics(uri).some((d) => codeOf(d) === 'money-float-type') ? undefined : true,
    );
  } finally {
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  }
  assert.equal(document.lineAt(4).text, '  amount float NOT NULL,');
});
