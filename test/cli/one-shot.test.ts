// The CLI's one-shot lint (Project's `oneShot`): each file is linted once, so the linter keeps none
// of the caches that serve an editor's next lint, yet reports exactly what an editor's lint reports.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generateMigration, generateSqlFile } from '../../bench/lib/generate';
import { Project } from '../../server/src/engine/project';
import { tableTokenOf } from '../../server/src/engine/file-rule-cache';
import { initParser } from '../../server/src/sql/parser';
import { lintSqlFiles } from '../../server/src/cli/parallel';

describe('one-shot lint', () => {
  let root: string;
  const files: string[] = [];

  before(async () => {
    await initParser();
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'll-one-shot-'));
    const migrations = path.join(root, 'migrations');
    fs.mkdirSync(migrations);
    for (let i = 0; i < 12; i++) {
      const file = path.join(migrations, `${String(i).padStart(4, '0')}_step.sql`);
      fs.writeFileSync(file, generateMigration(i));
      files.push(file);
    }
    // A query file outside the migrations, long enough for per-table reuse, with a transaction.
    const queries = path.join(root, 'queries.sql');
    fs.writeFileSync(queries, `BEGIN;\n${generateSqlFile(300)}COMMIT;\n`);
    files.push(queries);
  });

  after(() => fs.rmSync(root, { recursive: true, force: true }));

  function lintAll(project: Project) {
    project.index();
    return files.map((file) => {
      const r = project.lint(file, fs.readFileSync(file, 'utf8'));
      return { file, findings: r.findings, ruleErrors: r.ruleErrors, token: tableTokenOf(project.model.schema(), file) };
    });
  }

  it('reports what the editor reports, and keeps no file-rule cache token', () => {
    const editor = lintAll(new Project(root));
    const oneShot = lintAll(new Project(root, undefined, { oneShot: true }));
    assert.ok(editor.reduce((n, r) => n + r.findings.length, 0) > 50, 'the workspace has findings to compare');
    for (let i = 0; i < files.length; i++) {
      assert.deepEqual(oneShot[i].findings, editor[i].findings, files[i]);
      assert.deepEqual(oneShot[i].ruleErrors, [], files[i]);
      // The editor's lint keys its caches by a token; the one-shot lint makes none.
      assert.ok(editor[i].token, `editor token for ${files[i]}`);
      assert.equal(oneShot[i].token, undefined, files[i]);
    }
  });

  it('the CLI lets each parse go once its file is linted, and reports what the editor reports', async () => {
    const editor = lintAll(new Project(root));
    const project = new Project(root, undefined, { oneShot: true });
    const reports = await lintSqlFiles(project, path.join(root, 'ledgerlint.json'), files, { workspace: true });
    assert.deepEqual(
      reports.map((r) => r.findings),
      editor.map((r) => r.findings),
    );
    // Asking for a linted file's parse again parses it anew: the model no longer holds it.
    for (const file of files) {
      const before = project.model.stats().fileParses;
      assert.ok(project.model.sqlFile(file), file);
      assert.equal(project.model.stats().fileParses, before + 1, file);
    }
  });
});
