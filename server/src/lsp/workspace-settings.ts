// Settings from ledgerlint.json and the client's ledgerlint.* per folder, and each folder's migrations
// indexed once; either re-checks the open documents. Problems in ledgerlint.json are published on that file.
import { LineIndex } from '../sql/offsets';
import { toDiagnostic } from './diagnostics';
import type { Folder } from './folders';
import { readLimits, type LargeFileLimits } from './lint-scheduler';
import type { ServerContext } from './server-context';
import { normalizeSettings } from './settings';

export class WorkspaceSettings {
  /** Whether the client answers workspace/configuration; without it every folder has the defaults. */
  canPull = false;

  constructor(
    private readonly ctx: ServerContext,
    private readonly largeFileLimits: WeakMap<Folder, LargeFileLimits>,
  ) {}

  publishConfigProblems(): void {
    const { connection, documents, folders } = this.ctx;
    for (const folder of folders.all()) {
      const uri = folders.configUri(folder);
      if (!uri) continue;
      // Editors that do not sync JSON documents (VS Code here) save it: the positions come from the disk.
      const text = documents.get(uri)?.getText() ?? folders.configText(folder) ?? '';
      const lines = new LineIndex(text);
      const diagnostics = folder.project.configProblems.map((p) => toDiagnostic(lines, { ruleId: 'config', messageId: 'config', message: p.message, severity: 'error', span: { start: p.offset, end: p.offset + 1 } }));
      connection.sendDiagnostics({ uri, diagnostics });
    }
  }

  async refresh(): Promise<void> {
    const { connection, documents, folders } = this.ctx;
    for (const folder of folders.all()) {
      const configText = folders.configUri(folder) ? documents.get(folders.configUri(folder)!)?.getText() : undefined;
      folders.loadConfig(folder, configText);
    }
    for (const folder of folders.all()) {
      let raw: unknown = {};
      if (this.canPull) {
        try {
          raw = await connection.workspace.getConfiguration({ scopeUri: folder.uri || undefined, section: 'ledgerlint' });
        } catch {
          raw = {};
        }
      }
      folders.applySettings(folder, normalizeSettings(raw));
      this.largeFileLimits.set(folder, readLimits(raw));
    }
    this.publishConfigProblems();
    for (const doc of documents.all()) this.ctx.schedule(doc, 0);
  }

  /** Reads every folder's SQL files into the workspace model once, with a progress notification. */
  async indexFolders(parserReady: Promise<boolean>): Promise<void> {
    const { connection, documents, folders, log } = this.ctx;
    if (!(await parserReady)) return;
    for (const folder of folders.all()) {
      if (!folder.root || folder.indexed) continue;
      folder.indexed = true;
      const progress = await connection.window.createWorkDoneProgress().catch(() => undefined);
      progress?.begin('Ledgerlint: indexing migrations', 0, folder.root, false);
      const started = performance.now();
      const files = folder.project.index((p) => progress?.report(Math.round((p.done / p.total) * 100), `${p.done}/${p.total} files`));
      // An editor's project: files not open keep no parse, also while only TypeScript files are open
      // (a SQL file opened first has already switched it).
      folder.project.forEditor();
      progress?.done();
      log('info', `Indexed ${files.length} SQL files in ${folder.root} (${(performance.now() - started).toFixed(0)} ms)`);
    }
    for (const doc of documents.all()) this.ctx.schedule(doc, 0);
  }
}
