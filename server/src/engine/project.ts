// One workspace root as the CLI and the language server both see it: its configuration, the
// parse cache of each open file, and the rules. Both front doors call `lint`, so they agree.
import { RULES, RULE_IDS } from '../rules';
import { CATALOGUE_IDS } from './catalogue';
import { parseSqlFile, StatementCache, type SqlFile } from '../sql/document';
import { CONFIG_FILE_NAME, parseConfigText, resolveConfig, type ConfigProblem, type RawConfig, type ResolvedConfig } from './config';
import { lintSqlFile, type LintOutput } from './linter';
import { formatMessage } from './messages';
import type { FileInfo, RuleDefinition } from './rule';
import type { Finding } from './types';

export interface LintResult extends LintOutput {
  file: SqlFile;
}

export class Project {
  private caches = new Map<string, StatementCache>();
  private fileConfig: RawConfig = {};
  private editorConfig: RawConfig = {};
  private resolved: ResolvedConfig = resolveConfig();
  configProblems: ConfigProblem[] = [];

  constructor(readonly root: string | undefined, readonly rules: readonly RuleDefinition[] = RULES) {}

  get config(): ResolvedConfig {
    return this.resolved;
  }

  /** The text of `ledgerlint.json` at the root, or undefined when there is none. */
  setConfigText(text: string | undefined): ConfigProblem[] {
    if (text === undefined) {
      this.fileConfig = {};
      this.configProblems = [];
    } else {
      const { config, problems } = parseConfigText(text, new Set([...RULE_IDS, ...CATALOGUE_IDS]));
      this.fileConfig = config;
      this.configProblems = problems;
    }
    this.refreshConfig();
    return this.configProblems;
  }

  /** Settings from the editor (`ledgerlint.rules`, `ledgerlint.vocabulary`, ...). */
  setEditorConfig(config: RawConfig): void {
    this.editorConfig = config;
    this.refreshConfig();
  }

  private refreshConfig(): void {
    this.resolved = resolveConfig(this.fileConfig, this.editorConfig);
  }

  lint(path: string, text: string, fileInfo?: FileInfo): LintResult {
    let cache = this.caches.get(path);
    if (!cache) this.caches.set(path, (cache = new StatementCache()));
    const file = parseSqlFile(path, text, cache);
    const output = lintSqlFile({ file, config: this.resolved, rules: this.rules, fileInfo });
    return { file, ...output };
  }

  forget(path: string): void {
    this.caches.delete(path);
  }
}

export { CONFIG_FILE_NAME };

/** The finding for a file that is not valid UTF-8 (decoded with replacement characters instead). */
export function invalidUtf8Finding(rules: readonly RuleDefinition[], byteOffset: number): Finding {
  const rule = rules.find((r) => r.meta.id === 'syntax-error')!;
  const data = { byte: byteOffset };
  return {
    ruleId: 'syntax-error',
    messageId: 'encoding',
    message: formatMessage(rule.meta, 'encoding', data),
    severity: 'error',
    span: { start: 0, end: 0 },
    data,
  };
}
