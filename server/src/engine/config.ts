// `ledgerlint.json`: read the same way by the CLI and the language server, so a finding in CI
// is the finding in the editor. Editor settings only fill in what the file leaves unsaid.
import type { SeveritySetting } from './types';
import { DEFAULT_VOCABULARY, resolveVocabulary, type Vocabulary, type VocabularySetting } from './vocabulary';

export const CONFIG_FILE_NAME = 'ledgerlint.json';

export interface MigrationsConfig {
  folders?: string[];
  order?: string[] | 'name';
  /** Whether the migration runner wraps each file (drizzle-kit: all pending files) in one transaction. */
  runnerWrapsTransaction?: boolean;
}

export interface RawConfig {
  rules?: Record<string, SeveritySetting>;
  vocabulary?: Partial<Record<keyof Vocabulary, VocabularySetting>>;
  migrations?: MigrationsConfig;
  ignore?: string[];
}

export interface ResolvedConfig {
  rules: Record<string, SeveritySetting>;
  vocabulary: Vocabulary;
  migrations: MigrationsConfig;
  ignore: string[];
  /** Changes whenever anything above changes; cached findings are keyed by it. */
  key: string;
}

export interface ConfigProblem {
  message: string;
  /** UTF-16 offset in the config text. */
  offset: number;
}

const SEVERITIES = new Set(['off', 'hint', 'info', 'warning', 'error']);
const VOCAB_KEYS = new Set(Object.keys(DEFAULT_VOCABULARY));

export function parseConfigText(text: string, knownRules: ReadonlySet<string>): { config: RawConfig; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    const m = /position (\d+)/.exec(String((err as Error).message));
    problems.push({ message: `ledgerlint.json is not valid JSON: ${(err as Error).message}`, offset: m ? Number(m[1]) : 0 });
    return { config: {}, problems };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    problems.push({ message: 'ledgerlint.json must contain a JSON object', offset: 0 });
    return { config: {}, problems };
  }
  const obj = value as Record<string, unknown>;
  const config: RawConfig = {};
  const at = (needle: string) => Math.max(0, text.indexOf(JSON.stringify(needle)));
  if (obj.rules !== undefined) {
    if (typeof obj.rules !== 'object' || obj.rules === null || Array.isArray(obj.rules)) {
      problems.push({ message: '"rules" must be an object mapping rule ids to off | hint | info | warning | error', offset: at('rules') });
    } else {
      config.rules = {};
      for (const [id, sev] of Object.entries(obj.rules as Record<string, unknown>)) {
        if (!knownRules.has(id)) problems.push({ message: `Unknown rule "${id}"`, offset: at(id) });
        else if (typeof sev !== 'string' || !SEVERITIES.has(sev)) problems.push({ message: `Rule "${id}": severity must be one of off, hint, info, warning, error`, offset: at(id) });
        else config.rules[id] = sev as SeveritySetting;
      }
    }
  }
  if (obj.vocabulary !== undefined) {
    const vocab = obj.vocabulary as Record<string, unknown>;
    config.vocabulary = {};
    for (const [key, v] of Object.entries(vocab ?? {})) {
      const ok = Array.isArray(v) || (typeof v === 'object' && v !== null && ['add', 'remove'].every((k) => (v as any)[k] === undefined || Array.isArray((v as any)[k])));
      if (!VOCAB_KEYS.has(key)) problems.push({ message: `Unknown vocabulary list "${key}" (expected one of ${[...VOCAB_KEYS].join(', ')})`, offset: at(key) });
      else if (!ok) problems.push({ message: `Vocabulary "${key}" must be an array of words or { "add": [...], "remove": [...] }`, offset: at(key) });
      else (config.vocabulary as Record<string, VocabularySetting>)[key] = v as VocabularySetting;
    }
  }
  if (obj.migrations !== undefined) config.migrations = obj.migrations as MigrationsConfig;
  if (obj.ignore !== undefined) {
    if (Array.isArray(obj.ignore)) config.ignore = obj.ignore.map(String);
    else problems.push({ message: '"ignore" must be an array of glob patterns', offset: at('ignore') });
  }
  return { config, problems };
}

/** Defaults, then editor settings, then `ledgerlint.json` (the file wins, so CI and editor agree). */
export function resolveConfig(file?: RawConfig, editor?: RawConfig): ResolvedConfig {
  const rules = { ...(editor?.rules ?? {}), ...(file?.rules ?? {}) };
  const vocabulary = resolveVocabulary(file?.vocabulary, resolveVocabulary(editor?.vocabulary));
  const migrations = { ...(editor?.migrations ?? {}), ...(file?.migrations ?? {}) };
  const ignore = [...(editor?.ignore ?? []), ...(file?.ignore ?? [])];
  const key = JSON.stringify([rules, vocabulary, migrations, ignore]);
  return { rules, vocabulary, migrations, ignore, key };
}

export const DEFAULT_CONFIG: ResolvedConfig = resolveConfig();
