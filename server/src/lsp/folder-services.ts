/**
 * The database-backed services of each workspace folder: EXPLAIN (hover, CodeLens, plan view),
 * what-if index estimates, and the shadow database when the user enabled it. Each is created on
 * first use; a connection change disposes the connection-bound ones, shutdown stops the shadow
 * database's server process.
 */
import { createHash } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ResolvedConnection } from '../explain/connection-sources';
import { ShadowManager } from '../explain/shadow/shadow-manager';
import { WhatIfService } from '../explain/whatif/what-if-service';
import { connectionFor, ExplainService, modelIndexes, modelTableVersion, type ConnectionState } from './explain-wiring';
import type { Folder } from './folders';
import { ShadowOwnership, type ShadowClaim } from './shadow-ownership';

export interface FolderServicesOptions {
  /** Connection settings and password pushed by the client; shared, mutated by the server. */
  connectionState: Omit<ConnectionState, 'root'>;
  trusted: () => boolean;
  /** The extension's storage (kept across restarts), when the client gave one. */
  storageDir: () => string | undefined;
  /** Open documents win over disk for migrations the shadow database applies. */
  textOf: (path: string) => string | undefined;
  /** The shadow database accepted or rejected a migration: its diagnostics change. */
  onShadowFailureChange: (folder: Folder) => void;
  log: (message: string) => void;
}

export class FolderServices {
  private readonly explain = new Map<Folder, ExplainService>();
  private readonly whatIf = new Map<Folder, WhatIfService>();
  private readonly shadows = new Map<Folder, { manager: ShadowManager; claim: ShadowClaim }>();
  private readonly ownership = new ShadowOwnership();

  constructor(private readonly options: FolderServicesOptions) {
    // The client died or exited without shutdown: the shadow clusters (separate processes) stop too.
    process.once('exit', () => this.ownership.stopAllNow());
  }

  /** The folder's configured database (settings, .env, drizzle.config, libpq), if any. */
  connectionOf(folder: Folder): ResolvedConnection | undefined {
    const state = this.options.connectionState;
    return connectionFor({ ...state, settings: state.settings ?? folder.settings?.database, root: folder.root });
  }

  explainFor(folder: Folder): ExplainService {
    let service = this.explain.get(folder);
    if (!service) {
      service = new ExplainService({
        // Without a configured database, the shadow database (when enabled) gives plans on empty tables.
        resolveConnection: async () => this.connectionOf(folder) ?? (await this.shadowFor(folder)?.connection()),
        sessionOptions: sessionOptionsOf(folder),
        log: this.options.log,
        // Plans of tables a migration or Drizzle schema edit changed are made again; fixes skip indexes the migrations create.
        tableVersion: modelTableVersion(() => folder.project.model.schema()),
        workspaceIndexes: modelIndexes(() => folder.project.model.schema()),
      });
      this.explain.set(folder, service);
    }
    return service;
  }

  whatIfFor(folder: Folder): WhatIfService {
    let service = this.whatIf.get(folder);
    if (!service) {
      service = new WhatIfService({
        resolveConnection: () => this.connectionOf(folder),
        allowCreateExtension: () => folder.settings?.explain.createHypopgExtension === true,
        sessionOptions: sessionOptionsOf(folder),
        log: this.options.log,
      });
      this.whatIf.set(folder, service);
    }
    return service;
  }

  /** The folder's shadow database when the user enabled it (no configured connection needed). */
  shadowFor(folder: Folder): ShadowManager | undefined {
    if (!folder.root || folder.settings?.explain.shadowDatabase !== true || !this.options.trusted()) return undefined;
    let shadow = this.shadows.get(folder);
    if (!shadow) {
      const claim = this.ownership.claim(this.shadowStorageDir(folder.root));
      if (claim.private) this.options.log(`Shadow database: another language server uses this folder's cluster; this one gets a temporary cluster of its own in ${claim.dir}.`);
      const manager = new ShadowManager({
        root: folder.root,
        storageDir: claim.dir,
        migrations: () => folder.project.config.migrations,
        textOf: this.options.textOf,
        onFailureChange: () => this.options.onShadowFailureChange(folder),
        log: this.options.log,
      });
      shadow = { manager, claim };
      this.shadows.set(folder, shadow);
    }
    return shadow.manager;
  }

  /** Migrations changed on disk: what-if estimates are stale. */
  forgetEstimates(): void {
    for (const service of this.whatIf.values()) service.clear();
  }

  /** The connection changed: the next request opens new sessions. */
  async resetConnections(): Promise<void> {
    const services = [...this.explain.values(), ...this.whatIf.values()];
    this.explain.clear();
    this.whatIf.clear();
    await Promise.all(services.map((s) => s.dispose()));
  }

  async dispose(): Promise<void> {
    const shadows = [...this.shadows.values()];
    this.shadows.clear();
    await Promise.all(shadows.map(async (s) => {
      await s.manager.dispose().catch(() => undefined);
      try {
        this.ownership.release(s.claim);
      } catch (error) {
        this.options.log(`Shadow database: ${s.claim.dir} could not be cleaned up (${(error as Error).message}).`);
      }
    }));
  }

  /** One cluster per workspace folder, in the extension's storage when there is one, else the temp folder. */
  private shadowStorageDir(root: string): string {
    const folderKey = createHash('sha256').update(root).digest('hex').slice(0, 16);
    const storage = this.options.storageDir();
    return storage ? path.join(storage, 'shadow-database', folderKey) : path.join(os.tmpdir(), 'ledgerlint-shadow', folderKey);
  }
}

function sessionOptionsOf(folder: Folder) {
  return { settings: { statement_timeout: String(folder.settings?.explain.statementTimeoutMs ?? 3000) } };
}
