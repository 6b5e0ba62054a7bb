/**
 * The language server's side of what-if indexes: the code-action menu gets the estimate in the
 * titles of index-creating fixes, plus one action per index the plan of the statement under the
 * cursor calls for. Used only when a database connection is configured.
 */
import type { CodeAction, Range } from 'vscode-languageserver';
import type { MigrationsConfig } from '../../workspace/discover';
import { discoverMigrations, type MigrationFolder } from '../../workspace/discover';
import type { SqlFile } from '../../sql/document';
import { statementAt } from '../../lsp/explain-wiring';
import { indexOfAction, withIndexEstimates } from './code-action-estimates';
import { drizzleIndexReader } from './drizzle-index-action';
import { planIndexActions } from './plan-index-actions';
import type { WhatIfService } from './what-if-service';

export interface MenuInput {
  actions: CodeAction[];
  whatIf: WhatIfService;
  /** The SQL document's parsed statements (undefined for TypeScript). */
  file?: SqlFile;
  range: Range;
  /** Whether the client asked for quick fixes (or for everything). */
  wantsQuickFix: boolean;
  root?: string;
  migrations?: MigrationsConfig;
  resolveNewFile?: (relative: string) => string;
  timeoutMs?: number;
  /** A TypeScript document (Drizzle fixes insert `index().on()` rather than SQL). */
  typescript?: { path: string; text: string; uri: string };
}

const folderCache = new Map<string, { at: number; folder: MigrationFolder | undefined }>();

/** The workspace's first migration folder, re-discovered at most every 10 s (a menu opens often). */
function migrationFolder(root: string, migrations: MigrationsConfig | undefined): MigrationFolder | undefined {
  const key = JSON.stringify([root, migrations ?? {}]);
  const hit = folderCache.get(key);
  if (hit && Date.now() - hit.at < 10_000) return hit.folder;
  let folder: MigrationFolder | undefined;
  try {
    folder = discoverMigrations(root, migrations).folders[0];
  } catch {
    folder = undefined;
  }
  folderCache.set(key, { at: Date.now(), folder });
  return folder;
}

function withDeadline<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([promise, new Promise<T>((resolve) => (timer = setTimeout(() => resolve(fallback), ms)))]).finally(() => clearTimeout(timer));
}

export async function actionsWithWhatIf(input: MenuInput): Promise<CodeAction[]> {
  const timeoutMs = input.timeoutMs ?? 1500;
  const file = input.file;
  const queryAt = (offset: number) => {
    const stmt = file ? statementAt(file, offset) : undefined;
    return stmt?.segment.text;
  };
  const decorated = await decorate(input, input.actions, timeoutMs, queryAt);
  const query = file ? queryAt(file.lines.offsetAt(input.range.start)) : undefined;
  if (!input.wantsQuickFix || !query || !input.root || !input.resolveNewFile) return decorated;
  const proposals = await withDeadline(input.whatIf.proposeFor(query), timeoutMs, []);
  // A rule's fix already creating the same index wins: it knows where the index belongs.
  const key = (table: string, columns: string[]) => `${table}(${columns.map((c) => c.replace(/\s.*$/, '').replace(/"/g, '')).join(',')})`;
  const existing = new Set(input.actions.map(indexOfAction).flatMap((i) => (i ? [key(i.table, i.columns)] : [])));
  const fresh = proposals.filter((p) => !existing.has(key(p.table, p.columns)));
  const planActions = planIndexActions({ proposals: fresh, folder: migrationFolder(input.root, input.migrations), root: input.root, resolveNewFile: input.resolveNewFile });
  const estimated = await withIndexEstimates(planActions, { estimate: (s, i, t) => input.whatIf.estimate(s, i, t), statementFor: () => query, timeoutMs });
  return [...decorated, ...estimated];
}

function decorate(input: MenuInput, actions: CodeAction[], timeoutMs: number, queryAt: (offset: number) => string | undefined): Promise<CodeAction[]> {
  return withIndexEstimates(actions, {
    estimate: (s, i, t) => input.whatIf.estimate(s, i, t),
    // A fix attached to a query (partial-index-opportunity) is estimated on that query; one attached
    // to DDL (an unindexed foreign key) on the lookup its index serves.
    statementFor: (action) => {
      const d = action.diagnostics?.[0];
      return d && input.file ? queryAt(input.file.lines.offsetAt(d.range.start)) : undefined;
    },
    indexFor: input.typescript ? drizzleIndexReader(input.typescript.path, input.typescript.text, input.typescript.uri) : undefined,
    timeoutMs,
  });
}
