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
const MERCHANTS = 'migrations/0004_merchants.sql';
const QUERY = 'queries/pending_payments.sql';

/** The final findings, once the workspace model (all migrations) is built. */
const EXPECTED: Record<string, string[]> = {
  [CREATE]: ['money-float-type Error 4:2-4:14'],
  // payments exists from 0001 (the workspace model), so the plain CREATE INDEX blocks writes.
  [BACKFILL]: ['create-index-non-concurrently Error 6:0-6:65', 'unbounded-update-delete Error 4:0-4:38'],
  [CLEAN]: [],
  // Depends on payments from 0001, in the model: opened before indexing ends, it must still come.
  [MERCHANTS]: ['unindexed-foreign-key Warning 8:25-9:82'],
  [QUERY]: [],
};

/**
 * The rules this suite is about. The fixture trips other rules too, and new rules keep arriving:
 * their findings are the unit tests' business (test/rules), here they would only make the suite
 * fail for every rule added. What this checks is the editor plumbing: code, severity and range.
 */
const RULES_UNDER_TEST = new Set(['money-float-type', 'unbounded-update-delete', 'create-index-non-concurrently', 'unindexed-foreign-key']);

function actualDiagnostics(): Record<string, string[]> {
  return Object.fromEntries(Object.keys(EXPECTED).map((f) => [
    f,
    ledgerlintDiagnostics(workspaceFile(f)).filter((d) => RULES_UNDER_TEST.has(codeOf(d))).map(describe).sort(),
  ]));
}

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
}, 90_000);

test('diagnostics for the fixture workspace match the expected findings', async () => {
  for (const file of Object.keys(EXPECTED)) await vscode.workspace.openTextDocument(workspaceFile(file));
  const expected = JSON.stringify(EXPECTED);
  // Diagnostics may be published before the workspace model is complete and again after it:
  // wait for the final state, then check it stays put.
  try {
    await waitFor('the expected diagnostics', () => (JSON.stringify(actualDiagnostics()) === expected ? true : undefined), 60_000);
  } catch {
    assert.deepEqual(actualDiagnostics(), EXPECTED);
  }
  await new Promise((r) => setTimeout(r, 1500));
  assert.deepEqual(actualDiagnostics(), EXPECTED, 'diagnostics changed after settling');
  const money = ledgerlintDiagnostics(workspaceFile(CREATE)).find((d) => codeOf(d) === 'money-float-type')!;
  assert.match(money.message, /payments\.amount stores money as float/);
  assert.match(money.message, /numeric\(19,4\)/);
}, 90_000);

async function quickFixes(uri: vscode.Uri, rule: string): Promise<vscode.CodeAction[]> {
  const diagnostic = await waitFor(`the ${rule} diagnostic`, () => ledgerlintDiagnostics(uri).find((d) => codeOf(d) === rule));
  return vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
}

test('the money-float-type quick fix rewrites the column type and the finding goes away', async () => {
  const uri = workspaceFile(CREATE);
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document);
  const actions = await quickFixes(uri, 'money-float-type');
  const fix = actions.find((a) => a.title === 'Change payments.amount to numeric(19,4)');
  assert.ok(fix?.edit, `no "Change payments.amount to numeric(19,4)" quick fix with an edit among: ${actions.map((a) => a.title).join(' | ')}`);
  const original = document.lineAt(4);
  assert.equal(original.text, '  amount float NOT NULL,');
  try {
    assert.equal(await vscode.workspace.applyEdit(fix.edit), true, 'VS Code refused the quick fix edit');
    assert.equal(document.lineAt(4).text, '  amount numeric(19,4) NOT NULL,');
    await waitFor('the money-float-type diagnostic to disappear after the fix', () =>
      ledgerlintDiagnostics(uri).some((d) => codeOf(d) === 'money-float-type') ? undefined : true,
    );
  } finally {
    // Put the line back (an edit, not a revert: deterministic), so later tests see the fixture.
    const undo = new vscode.WorkspaceEdit();
    undo.replace(uri, document.lineAt(4).range, original.text);
    await vscode.workspace.applyEdit(undo);
  }
  assert.equal(document.lineAt(4).text, '  amount float NOT NULL,');
  await waitFor('the money-float-type diagnostic to come back', () => ledgerlintDiagnostics(uri).find((d) => codeOf(d) === 'money-float-type'));
}, 60_000);

test('the unindexed-foreign-key code action creates a CONCURRENTLY index migration', async () => {
  const uri = workspaceFile(MERCHANTS);
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document);
  const expected = 'unindexed-foreign-key Warning 8:25-9:82';
  await waitFor(`the diagnostic ${expected}`, () => (ledgerlintDiagnostics(uri).map(describe).includes(expected) ? true : undefined), 45_000)
    .catch(() => assert.deepEqual(ledgerlintDiagnostics(uri).map(describe), [expected], 'every ledgerlint diagnostic of 0004 (the server log is in the Ledgerlint output channel)'));
  const actions = await quickFixes(uri, 'unindexed-foreign-key');
  const fix = actions.find((a) => a.title.startsWith('Create the index on payments (merchant_id) in a new migration'));
  assert.ok(fix?.edit, `no "Create the index on payments (merchant_id) in a new migration" action among: ${actions.map((a) => a.title).join(' | ')}`);
  const created = fix.edit.entries().map(([u]) => u).filter((u) => u.fsPath !== uri.fsPath);
  assert.equal(created.length, 1, `the action should touch exactly one new file, got ${created.map((u) => u.fsPath).join(', ')}`);
  const target = created[0];
  assert.match(target.fsPath, /\/migrations\/0005_[a-z0-9_]*\.sql$/, 'the new migration follows the folder\'s numbering');
  assert.equal(await vscode.workspace.applyEdit(fix.edit), true, 'VS Code refused the code action edit');
  const migration = await vscode.workspace.openTextDocument(target);
  assert.match(migration.getText(), /^CREATE INDEX CONCURRENTLY IF NOT EXISTS "?payments_merchant_id_idx"? ON payments \(merchant_id\);$/m);
  assert.match(migration.getText(), /^-- Index for the foreign key payments \(merchant_id\) -> merchants\./m);
  assert.equal(await migration.save(), true, 'the new migration could not be saved');
  assert.equal(migration.isDirty, false);
}, 60_000);

test('hovering a query shows its plan from the workspace database (.env)', async () => {
  assert.ok(process.env.LEDGERLINT_E2E_DATABASE, 'the node side did not start PostgreSQL (LEDGERLINT_E2E_DATABASE unset)');
  const uri = workspaceFile(QUERY);
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
  const text = async () => {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(0, 10));
    return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
  };
  const markdown = await waitFor('a plan hover', async () => {
    const md = await text();
    return /Seq Scan|Index Scan|Bitmap/.test(md) ? md : undefined;
  }, 30_000).catch(async (error) => {
    throw new Error(`${(error as Error).message}; last hover:\n${await text()}`);
  });
  assert.match(markdown, /payments/);
  assert.match(markdown, /command:ledgerlint\.showPlanView/);
}, 60_000);
