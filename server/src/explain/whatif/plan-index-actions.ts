/**
 * Code actions for the indexes a statement's plan calls for: each creates a new migration holding
 * the CREATE INDEX CONCURRENTLY, named the way the workspace's migration tool names its files, and
 * its title carries the what-if estimate.
 */
import * as path from 'node:path';
import { CodeActionKind, type CodeAction } from 'vscode-languageserver';
import type { MigrationFolder } from '../../workspace/discover';
import { nextMigrationFileName } from '../../workspace/naming';
import type { ProposedIndex } from './propose';

export interface PlanIndexActionInput {
  /** The index proposals for the statement under the cursor. */
  proposals: ProposedIndex[];
  /** Where new migrations go; without one the action is not offered (the hover still shows the statement). */
  folder: MigrationFolder | undefined;
  /** Workspace folder root: new file paths are relative to it. */
  root: string;
  /** Resolves a workspace-relative path to a URI. */
  resolveNewFile: (relative: string) => string;
  now?: Date;
}

export function planIndexActions(input: PlanIndexActionInput): CodeAction[] {
  if (!input.folder) return [];
  const actions: CodeAction[] = [];
  for (const p of input.proposals) {
    const slug = `index_${p.table}_${p.columns.map((c) => c.replace(/\s.*$/, '').replace(/"/g, '')).join('_')}`;
    const planned = nextMigrationFileName(input.folder, slug, input.now);
    const file = planned.files[0];
    if (!file) continue;
    const relative = (path.isAbsolute(file) ? path.relative(input.root, file) : file).split(path.sep).join('/');
    const lines = [
      `-- Suggested by the query plan: ${p.where ? `a partial index (${p.where}) keeps it small; ` : ''}equality columns first, then range and sort columns.`,
      `-- CONCURRENTLY keeps writes to ${p.table} flowing while the index builds.`,
    ];
    if (input.folder.runnerWrapsTransaction) {
      lines.push('-- CREATE INDEX CONCURRENTLY fails inside a transaction block, and this migration runner wraps migrations in one: run this file outside it.');
    }
    if (planned.note) lines.push(...planned.note.trim().split('\n').map((l) => `-- ${l}`));
    lines.push(p.sql, '');
    const uri = input.resolveNewFile(relative);
    actions.push({
      title: `Create index on ${p.table} (${p.columns.join(', ')})${p.where ? ` WHERE ${p.where}` : ''} in a new migration ${relative}`,
      kind: CodeActionKind.QuickFix,
      edit: {
        documentChanges: [
          { kind: 'create', uri, options: { ignoreIfExists: true } },
          { textDocument: { uri, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: lines.join('\n') }] },
        ],
      },
    });
  }
  return actions;
}
