// When and how each open document is checked: a debounced check per edit, a big SQL file parsed in
// slices first (requests are answered between slices, a newer edit cancels the stale work) after a
// first look at its opening screenfuls, a keystroke in a big file answered by a quick look at the
// edited statements (lsp/quick-look.ts) with the complete check once typing pauses, the dependents of
// a changed migration re-checked, and the requests that need a fresh check (hover, code actions,
// lenses) checked first. What to check of a big file (the budget, the slices, the first look) is
// decided by the pure functions of lint-scheduler.ts.
import type { Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { RuleDefinition } from '../engine/rule';
import type { CappedPublisher } from './capped-publisher';
import { clearPrewarmed, prewarmStatements } from '../sql/document';
import { textChange } from '../sql/incremental-split';
import { isSql, isTypeScript, modelKey } from './document-kinds';
import { displayPath, type Folder } from './folders';
import { DEFAULT_LIMITS, firstLook, knownTexts, planLint, skippedNotice, SLICE_ABOVE_CHARS, type LargeFileLimits, type LintPlan } from './lint-scheduler';
import { quickLook, type SentView } from './quick-look';
import type { ServerContext } from './server-context';
import { DEFAULT_SETTINGS } from './settings';

export interface CheckDependencies {
  ctx: Omit<ServerContext, 'checkedNow' | 'schedule' | 'scheduleDependents'>;
  /** Resolves false when the parser could not load: nothing is checked then. */
  parserReady: Promise<boolean>;
  /** The first settings; requests wait for them (up to 2 s) before checking with defaults. */
  settingsLoaded(): Promise<void>;
  lintTypeScript(doc: TextDocument, folder: Folder): void;
  /** Publishes a SQL check within ledgerlint.maxDiagnosticsPerFile. */
  publisher: CappedPublisher;
}

export interface DocumentChecks {
  schedule(doc: TextDocument, delayMs?: number, cascade?: boolean): void;
  /**
   * A keystroke (or any edit) of an open document: a big SQL file already published gets its quick
   * look at once and its complete check once typing pauses; any other document its check after
   * EDIT_DEBOUNCE_MS. Its dependents follow the check.
   */
  edited(doc: TextDocument): void;
  /** Schedules the open documents whose findings depend on `key` (files touching its tables, earlier migrations too), except `except`. */
  scheduleDependents(folder: Folder, key: string, except: string): void;
  /** Drops the document's scheduled check. */
  cancelCheck(uri: string): void;
  /**
   * Hover, code actions and lenses read the last check's result: a file the server has not checked yet
   * (opened while indexing, hovered before the debounce) or changed since is checked now, then answered.
   */
  checkedNow(uri: string): Promise<void>;
  /** Per folder, ledgerlint.maxStatements / maxFileSize, written by the settings. */
  readonly largeFileLimits: WeakMap<Folder, LargeFileLimits>;
  /** Documents with a check scheduled or running (for tests and memory checks: empty once all are closed). */
  pendingCount(): number;
  /** No check is scheduled and no big file is being parsed in slices: background work can run without delaying diagnostics. */
  idle(): boolean;
}

/**
 * How long typing must pause before the work an edit causes beyond its own quick answer: the re-check
 * of the open dependents of an edited file, and the complete check of a big file after a quick look.
 * Each new edit pushes it back, so while the user types it costs nothing. At 50 ms the dependents ran
 * between keystrokes: with 200 of 2,000 migrations open a DDL edit re-checked 9 others (about 13 ms
 * each), and the next keystroke waited behind them (bench/dependents.bench.ts); a big file's complete
 * check (150-250 ms at 10,000 statements) would do the same at any typing speed slower than its delay.
 */
const TYPING_PAUSE_MS = 300;

/**
 * How long an edit waits for the next one before its check: a file checked in a few milliseconds is
 * checked once per burst of keys sent together (a paste, an auto-repeat). A big file's quick look does
 * not wait: it is one statement's parse, and at 15 ms it was half of what a keystroke waited.
 */
const EDIT_DEBOUNCE_MS = 15;

/** Characters an edit may change and still be checked at once: a keystroke or a pasted line, whose statements parse in milliseconds. */
const AT_ONCE_CHARS = 20_000;

const statementRuleLists = new WeakMap<readonly RuleDefinition[], readonly RuleDefinition[]>();

/** The rules a quick look runs: those that read one statement and nothing else. */
function statementRules(folder: Folder): readonly RuleDefinition[] {
  const rules = folder.project.rules;
  let list = statementRuleLists.get(rules);
  if (!list) statementRuleLists.set(rules, (list = rules.filter((r) => r.scope === 'statement')));
  return list;
}

/** The `;` in `text`, counted up to one past `limit`. */
function semicolonsUpTo(text: string, limit: number): number {
  let n = 0;
  for (let i = text.indexOf(';'); i !== -1 && n <= limit; i = text.indexOf(';', i + 1)) n++;
  return n;
}

export function createDocumentChecks(deps: CheckDependencies): DocumentChecks {
  const { connection, documents, folders, services, lastDiagnostics, lastFiles, storedFindings, reportedRuleErrors, log } = deps.ctx;
  const { parserReady } = deps;
  const pending = new Map<string, NodeJS.Timeout>();
  /** Per open document, the text, lines and split the last publish was made for (a check's or a quick look's). */
  const views = new WeakMap<TextDocument, Omit<SentView, 'diagnostics'> & { version: number }>();
  /** Documents showing a quick look whose complete check waits for typing to pause. */
  const deferred = new Set<string>();
  /** Documents whose quick look waits for the event loop turn after the edits already received (lookSoon). */
  const looks = new Map<string, NodeJS.Immediate>();
  /** Per document, a version no quick look could be made for: its check does not try again. */
  const unlooked = new WeakMap<TextDocument, number>();

  function lintNow(doc: TextDocument, cascade: boolean, plan?: LintPlan): void {
    // A check scheduled for this document is done by this one (a request ran it first), ripple included.
    const timer = pending.get(doc.uri);
    if (timer) clearTimeout(timer);
    pending.delete(doc.uri);
    deferred.delete(doc.uri);
    cascade = cascades.delete(doc.uri) || cascade;
    if (!isSql(doc) && !isTypeScript(doc)) return;
    const folder = folders.of(doc.uri);
    if (folder.settings && !folder.settings.enable) {
      views.delete(doc);
      connection.sendDiagnostics({ uri: doc.uri, diagnostics: [] });
      return;
    }
    if (isTypeScript(doc)) {
      try {
        folder.project.markOpen(modelKey(doc.uri));
        deps.lintTypeScript(doc, folder);
        // A Drizzle schema's tables are the workspace's too: open queries and migrations reading them follow an edit.
        if (cascade) scheduleDependents(folder, modelKey(doc.uri), doc.uri);
      } catch (err) {
        log('error', `Linting ${doc.uri} failed: ${(err as Error)?.stack ?? String(err)}`);
      }
      return;
    }
    try {
      const started = performance.now();
      const key = modelKey(doc.uri);
      plan ??= planLint(doc.getText(), limitsOf(folder));
      const result = folder.project.lint(key, plan.text, { open: true });
      clearPrewarmed();
      const lines = result.file.lines;
      const notice = skippedNotice(plan, lines.positionAt(result.file.statements.at(-1)?.segment.end ?? 0).line);
      if (notice) log('warn', `${doc.uri}: ${notice.message}`);
      const shadow = services.shadowFor(folder);
      const rejected = shadow?.diagnosticFor(key);
      const trailing: Diagnostic[] = rejected ? [{ range: { start: lines.positionAt(rejected.start), end: lines.positionAt(rejected.end) }, severity: 1, code: 'shadow-database', source: 'ledgerlint', message: rejected.message }] : [];
      shadow?.schedule();
      // Within the cap, converting only what is published; a keystroke reuses the diagnostics of the statements it did not move.
      const cap = folder.settings?.maxDiagnosticsPerFile ?? DEFAULT_SETTINGS.maxDiagnosticsPerFile;
      const published = deps.publisher.publish(doc, { result, leading: notice ? [notice] : [], trailing, cap, displayPath: displayPath(doc.uri, folder) });
      lastDiagnostics.set(doc.uri, published.diagnostics);
      lastFiles.set(doc.uri, result.file);
      storedFindings.setConverted(doc.uri, doc.version, lines, published.findingOf);
      views.set(doc, { version: doc.version, text: result.file.text, lines, segments: result.file.segments, eofDependent: result.file.eofDependent });
      for (const e of result.ruleErrors) {
        if (reportedRuleErrors.has(e.ruleId)) continue;
        reportedRuleErrors.add(e.ruleId);
        log('error', `Rule ${e.ruleId} failed (its findings are missing, the other rules still ran): ${e.stack ?? e.message}`);
      }
      log('debug', `Linted ${doc.uri} (${result.file.statements.length} statements) in ${(performance.now() - started).toFixed(1)} ms`);
      // Only a change to this document ripples to its dependents; their re-check must not ripple back.
      if (cascade) scheduleDependents(folder, key, doc.uri);
    } catch (err) {
      log('error', `Linting ${doc.uri} failed: ${(err as Error)?.stack ?? String(err)}`);
    }
  }

  function scheduleDependents(folder: Folder, key: string, except: string): void {
    const dependents = new Set(folder.project.dependents(key));
    if (dependents.size === 0) return;
    for (const other of documents.all()) {
      if (other.uri !== except && dependents.has(modelKey(other.uri))) schedule(other, TYPING_PAUSE_MS);
    }
  }

  const cascades = new Set<string>();
  /** Bumped by every schedule: a sliced check whose generation moved on is stale and stops. */
  const generations = new Map<string, number>();
  /** Documents whose big-file check is parsing in slices; requests answer meanwhile instead of checking again. */
  const slicing = new Map<string, number | undefined>();
  const largeFileLimits = new WeakMap<Folder, LargeFileLimits>();

  function limitsOf(folder: Folder): LargeFileLimits {
    return largeFileLimits.get(folder) ?? DEFAULT_LIMITS;
  }

  /** A big SQL file is parsed in slices first, so hovers and code actions answer while it is checked. */
  async function lintInSlices(doc: TextDocument, cascade: boolean): Promise<void> {
    if (!isSql(doc) || doc.getText().length <= SLICE_ABOVE_CHARS || (folders.of(doc.uri).settings && !folders.of(doc.uri).settings!.enable)) return lintNow(doc, cascade);
    // A keystroke in a checked file: the lint re-parses only the statements it touched, so the plan's
    // split of the whole file and the scan for statements to prewarm (~20 ms per keystroke at 10,000
    // statements) would buy nothing.
    if (smallEdit(doc.uri, doc.getText(), limitsOf(folders.of(doc.uri)))) {
      if (unlooked.get(doc) !== doc.version && lookFirst(doc)) return deferComplete(doc, cascade);
      return lintNow(doc, cascade, { text: doc.getText() });
    }
    const generation = generations.get(doc.uri);
    // Just opened (nothing published yet): its first screenfuls' own findings now, the rest after the
    // full check. The look comes before the plan: splitting the whole file can wait until it is published.
    const look = !lastDiagnostics.has(doc.uri) && firstLooks.get(doc) !== doc.version ? publishFirstLook(doc) : undefined;
    const plan = look ?? planLint(doc.getText(), limitsOf(folders.of(doc.uri)));
    const last = lastFiles.get(doc.uri);
    // An answer from an older text would point at the wrong statement: none until this check is done.
    if (last && last.text !== plan.text) lastFiles.delete(doc.uri);
    slicing.set(doc.uri, generation);
    let fresh = false;
    try {
      fresh = await prewarmStatements(plan.statements ?? [], knownTexts(last), () => generations.get(doc.uri) !== generation || !documents.get(doc.uri));
    } finally {
      if (slicing.get(doc.uri) === generation) slicing.delete(doc.uri);
      // A newer check of this document follows and takes what was prewarmed (an edit, or the settings
      // and workspace index arriving just after the open, leave most statements as they were).
      if (!fresh && slicing.size === 0 && !documents.get(doc.uri)) clearPrewarmed();
    }
    // A newer edit has its own check scheduled; this one's result would be stale.
    if (fresh) lintNow(doc, cascade, plan);
  }

  /**
   * The text differs from the last one checked in at most AT_ONCE_CHARS characters and is within
   * the budget (so the whole text is checked, as planLint would decide).
   */
  function smallEdit(uri: string, text: string, limits: LargeFileLimits): boolean {
    const last = lastFiles.get(uri);
    if (!last || !lastDiagnostics.has(uri) || text.length > limits.maxFileSize) return false;
    const change = textChange(last.text, text);
    if (Math.max(change.oldEnd, change.newEnd) - change.start > AT_ONCE_CHARS) return false;
    // Every statement but the last ends at a `;`: a bound on the statements without a split.
    return semicolonsUpTo(text, limits.maxStatements) + 1 <= limits.maxStatements;
  }

  /**
   * A quick look at an edit of a big file (over SLICE_ABOVE_CHARS, ~2,000 statements: its check takes
   * 40-250 ms at 10,000), published in place of the check; false when none is made (the look would
   * not be exact; nothing changed since the last publish).
   */
  function lookFirst(doc: TextDocument): boolean {
    const view = views.get(doc);
    const diagnostics = view && view.version !== doc.version ? deps.publisher.lastSent(doc, view.version) : undefined;
    if (!view || !diagnostics) return false;
    const folder = folders.of(doc.uri);
    try {
      const started = performance.now();
      const cap = folder.settings?.maxDiagnosticsPerFile ?? DEFAULT_SETTINGS.maxDiagnosticsPerFile;
      const look = quickLook({ ...view, diagnostics }, doc.getText(), { path: modelKey(doc.uri), config: folder.project.config, rules: statementRules(folder), cap });
      if (!look) return false;
      deps.publisher.sendAsIs(doc, look.diagnostics);
      views.set(doc, { text: look.text, lines: look.lines, segments: look.segments, eofDependent: look.eofDependent, version: doc.version });
      log('debug', `Looked at an edit of ${doc.uri} in ${(performance.now() - started).toFixed(1)} ms (the complete check follows when typing pauses)`);
      return true;
    } catch (err) {
      log('error', `A quick look at ${doc.uri} failed (the complete check follows): ${(err as Error)?.stack ?? String(err)}`);
      return false;
    }
  }

  /** The complete check after a quick look, once typing pauses (each edit pushes it back). */
  function deferComplete(doc: TextDocument, cascade: boolean): void {
    deferred.add(doc.uri);
    schedule(doc, TYPING_PAUSE_MS, cascade);
  }

  function edited(doc: TextDocument): void {
    if (!mayLook(doc)) return schedule(doc, EDIT_DEBOUNCE_MS, true);
    // The complete check, pushed back by every edit; a newer edit also stops a sliced check still running.
    schedule(doc, TYPING_PAUSE_MS, true);
    lookSoon(doc.uri);
  }

  /** A big SQL file with a publish to move: its edits get quick looks (lookFirst decides whether one can be made). */
  function mayLook(doc: TextDocument): boolean {
    const settings = folders.of(doc.uri).settings;
    return isSql(doc) && doc.getText().length > SLICE_ABOVE_CHARS && (!settings || settings.enable) && views.has(doc);
  }

  /**
   * Looks at the document in the first event loop turn that handled no newer edit of it: edits
   * received together (keys typed while the server was busy) get one look, at the last of them, not
   * one each. The connection handles one message per turn, so a turn that saw the version move waits
   * one more.
   */
  function lookSoon(uri: string, seen = -1): void {
    if (looks.has(uri) && seen === -1) return;
    looks.set(
      uri,
      setImmediate(() => {
        looks.delete(uri);
        const doc = documents.get(uri);
        if (!doc) return;
        if (doc.version !== seen) return lookSoon(uri, doc.version);
        lookAtEdit(doc);
      }),
    );
  }

  function lookAtEdit(doc: TextDocument): void {
    // A request checked this version meanwhile: its complete check is published.
    if (views.get(doc)?.version === doc.version) return;
    if (smallEdit(doc.uri, doc.getText(), limitsOf(folders.of(doc.uri))) && lookFirst(doc)) {
      deferred.add(doc.uri);
      return;
    }
    // No look can be made: the check every other edit gets (the cascade flag stays from edited()).
    unlooked.set(doc, doc.version);
    schedule(doc, EDIT_DEBOUNCE_MS);
  }

  /** Per open document, the version whose first look was published: a check re-scheduled for the same text (settings, the workspace index) does not publish it again. */
  const firstLooks = new WeakMap<TextDocument, number>();

  /** Publishes the first look; returns the plan of the whole file when the look made it. */
  function publishFirstLook(doc: TextDocument): LintPlan | undefined {
    try {
      const folder = folders.of(doc.uri);
      const look = firstLook(modelKey(doc.uri), doc.getText(), limitsOf(folder), folder.project);
      if (look.diagnostics) connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics: look.diagnostics });
      firstLooks.set(doc, doc.version);
      return look.plan;
    } catch (err) {
      log('error', `A first look at ${doc.uri} failed (the full check follows): ${(err as Error)?.stack ?? String(err)}`);
      return undefined;
    }
  }

  function schedule(doc: TextDocument, delayMs = EDIT_DEBOUNCE_MS, cascade = false): void {
    generations.set(doc.uri, (generations.get(doc.uri) ?? 0) + 1);
    const existing = pending.get(doc.uri);
    if (existing) clearTimeout(existing);
    if (cascade) cascades.add(doc.uri);
    pending.set(
      doc.uri,
      setTimeout(() => {
        void parserReady.then((ready) => {
          if (!ready) return;
          const current = documents.get(doc.uri);
          const ripple = cascades.delete(doc.uri);
          if (current) void lintInSlices(current, ripple);
        });
      }, delayMs),
    );
  }

  function cancelCheck(uri: string): void {
    const timer = pending.get(uri);
    if (timer) clearTimeout(timer);
    pending.delete(uri);
    deferred.delete(uri);
    const look = looks.get(uri);
    if (look) clearImmediate(look);
    looks.delete(uri);
    // Its cascade flag would apply to the first check after a reopen. (Generations stay: a sliced check
    // still running from before the close must not take a reopened document's generation for its own.)
    cascades.delete(uri);
  }

  async function checkedNow(uri: string): Promise<void> {
    // A client that never answers workspace/configuration must not hang the request.
    await Promise.race([deps.settingsLoaded(), new Promise((resolve) => setTimeout(resolve, 2000))]);
    const doc = documents.get(uri);
    if (!doc || (!pending.has(uri) && !slicing.has(uri) && lastDiagnostics.has(uri))) return;
    // A quick look is showing: its complete check is an incremental one, quick enough to run now.
    if (deferred.has(uri) && !slicing.has(uri) && (await parserReady) && smallEdit(uri, doc.getText(), limitsOf(folders.of(uri)))) return lintNow(doc, false, { text: doc.getText() });
    if (isSql(doc) && doc.getText().length > SLICE_ABOVE_CHARS) {
      // A big file is never checked here (that would freeze every request behind it): its sliced check
      // is scheduled, and until it is done an answer from the older text could point at the wrong statement.
      lastFiles.delete(uri);
      return;
    }
    if (await parserReady) lintNow(doc, false);
  }

  return { schedule, edited, scheduleDependents, cancelCheck, checkedNow, largeFileLimits, pendingCount: () => pending.size, idle: () => pending.size === 0 && slicing.size === 0 };
}
