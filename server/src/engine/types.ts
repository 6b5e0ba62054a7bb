// The contract between front-ends, rules and the engine. Everything here is plain data:
// no LSP types, no I/O, so rules can be tested as pure functions and reused by the CLI.

/** A half-open range of UTF-16 code unit offsets into the file's text. */
export interface Span {
  start: number;
  end: number;
}

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export type SeveritySetting = Severity | 'off';

export const SEVERITY_RANK: Record<Severity, number> = { hint: 0, info: 1, warning: 2, error: 3 };

export type RuleCategory =
  | 'money'
  | 'time'
  | 'integrity'
  | 'ledger'
  | 'concurrency'
  | 'security'
  | 'migration'
  | 'indexing'
  | 'syntax';

/** One text replacement, in UTF-16 offsets of the file the finding belongs to. */
export interface TextEdit {
  start: number;
  end: number;
  newText: string;
}

/** A file the fix creates (e.g. a new migration), as a path relative to the workspace root. */
export interface NewFile {
  path: string;
  text: string;
}

/** A fix is data attached to a finding; the code action handler reads it back verbatim. */
export interface Fix {
  title: string;
  edits: TextEdit[];
  newFiles?: NewFile[];
  /** Preferred fixes are applied by "fix all" and marked `isPreferred` in the editor. */
  preferred?: boolean;
}

export type FixKind = 'none' | 'quickfix' | 'suggestion';

export interface RuleExample {
  /** SQL (or TypeScript for drizzle examples). */
  code: string;
  language?: 'sql' | 'typescript';
}

export interface RuleMeta {
  id: string;
  category: RuleCategory;
  severity: Severity;
  /** One sentence, shown in the README rule table and SARIF `shortDescription`. */
  description: string;
  /** Why this matters, in money or locks. Rendered into docs/rules/<id>.md. */
  rationale: string;
  /** Message templates, referenced by id; `{{name}}` placeholders are filled from finding data. */
  messages: Record<string, string>;
  fix: FixKind;
  /** Which front-ends the rule runs on. */
  languages: Array<'sql' | 'typescript'>;
  examples: { incorrect: RuleExample[]; correct: RuleExample[] };
}

export interface Finding {
  ruleId: string;
  messageId: string;
  message: string;
  severity: Severity;
  span: Span;
  data?: Record<string, string | number>;
  fixes?: Fix[];
}

/** What a rule hands to `context.report`. */
export interface Report {
  messageId: string;
  span: Span;
  data?: Record<string, string | number>;
  fixes?: Fix[];
  /** Overrides the configured severity for this finding (e.g. error on a FIN_TABLE). */
  severity?: Severity;
}
