// The `ledgerlint.*` settings as the server uses them, with defaults. Declared once in
// package.json; read per resource so multi-root folders can differ.
import type { RawConfig } from '../engine/config';
import type { SeveritySetting } from '../engine/types';
import type { VocabularySetting } from '../engine/vocabulary';
import type { ConnectionSettings } from '../protocol';

export interface ServerSettings {
  enable: boolean;
  run: 'onType' | 'onSave';
  rules: Record<string, SeveritySetting>;
  vocabulary: Record<string, VocabularySetting>;
  migrations: { runnerWrapsTransaction: boolean | null };
  codeLens: { enable: boolean };
  logLevel: 'error' | 'warn' | 'info' | 'debug';
  database?: ConnectionSettings;
  explain: { statementTimeoutMs: number; createHypopgExtension: boolean; shadowDatabase: boolean };
  /** Diagnostics published per file, our "not shown" notice included; 0: no cap. */
  maxDiagnosticsPerFile: number;
}

export const DEFAULT_SETTINGS: ServerSettings = {
  enable: true,
  run: 'onType',
  rules: {},
  vocabulary: {},
  migrations: { runnerWrapsTransaction: null },
  codeLens: { enable: true },
  logLevel: 'info',
  explain: { statementTimeoutMs: 3000, createHypopgExtension: false, shadowDatabase: false },
  // VS Code keeps 1,000 per file and cuts the rest blindly: publishing more only costs JSON.
  maxDiagnosticsPerFile: 1000,
};

/** Merges what the client sent over the defaults, ignoring values of the wrong shape. */
export function normalizeSettings(raw: unknown): ServerSettings {
  const s = (raw && typeof raw === 'object' ? raw : {}) as Partial<ServerSettings>;
  const obj = <T>(v: unknown, d: T): T => (v && typeof v === 'object' && !Array.isArray(v) ? (v as T) : d);
  return {
    enable: typeof s.enable === 'boolean' ? s.enable : DEFAULT_SETTINGS.enable,
    run: s.run === 'onSave' ? 'onSave' : 'onType',
    rules: obj(s.rules, {}),
    vocabulary: obj(s.vocabulary, {}),
    migrations: { runnerWrapsTransaction: typeof s.migrations?.runnerWrapsTransaction === 'boolean' ? s.migrations.runnerWrapsTransaction : null },
    codeLens: { enable: s.codeLens?.enable !== false },
    logLevel: ['error', 'warn', 'info', 'debug'].includes(s.logLevel as string) ? (s.logLevel as ServerSettings['logLevel']) : 'info',
    database: s.database && typeof s.database === 'object' ? s.database : undefined,
    explain: { statementTimeoutMs: Number(s.explain?.statementTimeoutMs) > 0 ? Number(s.explain?.statementTimeoutMs) : 3000, createHypopgExtension: s.explain?.createHypopgExtension === true, shadowDatabase: s.explain?.shadowDatabase === true },
    maxDiagnosticsPerFile: typeof s.maxDiagnosticsPerFile === 'number' && Number.isFinite(s.maxDiagnosticsPerFile) && s.maxDiagnosticsPerFile >= 0 ? Math.floor(s.maxDiagnosticsPerFile) : DEFAULT_SETTINGS.maxDiagnosticsPerFile,
  };
}

export function editorConfig(s: ServerSettings): RawConfig {
  return {
    rules: s.rules,
    vocabulary: s.vocabulary as RawConfig['vocabulary'],
    migrations: s.migrations.runnerWrapsTransaction === null ? {} : { runnerWrapsTransaction: s.migrations.runnerWrapsTransaction },
  };
}
