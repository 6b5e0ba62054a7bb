// File rules without a cache that declare `concerns` (see FileRule.concerns): transaction and
// query-plan rules whose findings follow from a few statements of the file (BEGIN/COMMIT, locking
// SELECTs, writes, filters no index serves). A keystroke in any other query cannot change what
// they report, only move it: their findings from the lint of the version just before are reused,
// moved with the text, instead of walking every statement of a 10,000-statement file again.
import type { SqlFile, Statement, StatementEdit } from '../sql/document';
import { embeddedStatements } from '../sql/plpgsql';
import type { FileRuleToken } from './file-rule-cache';
import type { FileContext, RuleDefinition } from './rule';
import type { Finding, Fix } from './types';

export type ConcernedRule = Extract<RuleDefinition, { scope: 'file' }> & { concerns: NonNullable<Extract<RuleDefinition, { scope: 'file' }>['concerns']> };

interface Kept {
  /** The `id` of the file version the findings were made (or moved) for. */
  fileId: object;
  /** Its number of lines, for rules that cite line numbers (FileRule.citesLines). */
  lineCount: number;
  findings: readonly Finding[];
}

// Keyed by token: a token stands for the schema, the file's DDL, path, role and configuration.
const store = new WeakMap<FileRuleToken, Map<string, Kept>>();

/** How often a rule's findings were reused or kept since the process started: for tests and benches. */
export const concernStats = { reused: 0, kept: 0 };

export function hasConcerns(rule: RuleDefinition): rule is ConcernedRule {
  return rule.scope === 'file' && !rule.cache && typeof rule.concerns === 'function';
}

/**
 * Statements that shape transaction units (rules/lib/tx-units.ts): BEGIN/COMMIT, SET (isolation),
 * routine bodies and DO blocks. Transaction-aware rules are concerned with all of them.
 */
export function shapesTransactions(stmt: Statement): boolean {
  const ast = stmt.ast as Record<string, unknown> | undefined;
  return !!ast && !!(ast.TransactionStmt || ast.VariableSetStmt || ast.CreateFunctionStmt || ast.DoStmt);
}

const OPENS = new Set(['TRANS_STMT_BEGIN', 'TRANS_STMT_START']);
const CLOSES = new Set(['TRANS_STMT_COMMIT', 'TRANS_STMT_ROLLBACK', 'TRANS_STMT_PREPARE']);
/** Per file version (its `id`, or the file when it has none): which statements are in a BEGIN ... COMMIT block. */
const insideBlocks = new WeakMap<object, Uint8Array>();

function transactionKind(s: Statement): string | undefined {
  return (s.ast as { TransactionStmt?: { kind?: string } } | undefined)?.TransactionStmt?.kind;
}

/**
 * Whether the statement is a step of a transaction unit: in a body, in a runner-wrapped file or
 * in a BEGIN ... COMMIT block (its BEGIN and COMMIT included). A statement of the version before
 * an edit is looked up by its index in this one: edits that keep their concerns reused keep the
 * number of statements and every BEGIN and COMMIT (those shape transactions).
 */
export function inTransactionUnit(stmt: Statement, context: FileContext): boolean {
  if (stmt.container || context.fileInfo.runnerWrapsTransaction) return true;
  return transactionBlocks(context.file)[stmt.index] === 1;
}

function transactionBlocks(file: SqlFile): Uint8Array {
  let inside = insideBlocks.get(file.id ?? file);
  if (inside) return inside;
  // An edit that keeps the number of statements and replaces no transaction statement by another
  // (a keystroke in a query) keeps every block: the last version's answer, not a pass over 10,000
  // statements on each keystroke.
  const edit = file.edit;
  const before = edit && edit.added === edit.removed.length ? insideBlocks.get(edit.from) : undefined;
  if (before && edit && !edit.removed.some(transactionKind) && !file.statements.slice(edit.head, edit.head + edit.added).some(transactionKind)) inside = before;
  else {
    // One pass per file version, and only when an edited statement could matter.
    const blocks = new Uint8Array(file.statements.length);
    let open = 0;
    file.statements.forEach((s, i) => {
      const kind = transactionKind(s);
      if (kind && OPENS.has(kind)) open = 1;
      blocks[i] = open || (kind && CLOSES.has(kind) ? 1 : 0);
      if (kind && CLOSES.has(kind)) open = 0;
    });
    inside = blocks;
  }
  insideBlocks.set(file.id ?? file, inside);
  return inside;
}

function touches(rule: ConcernedRule, stmt: Statement, context: FileContext): boolean {
  try {
    if (rule.concerns(stmt, context)) return true;
    for (const inner of embeddedStatements(stmt)) if (rule.concerns(inner, context)) return true;
    return false;
  } catch {
    // Whatever failed here fails in the rule too, which reports it: run it.
    return true;
  }
}

/**
 * The rule's findings for `file` when it ran under `token` on the version this one was edited from
 * and the edit touched nothing it is concerned with; undefined when it has to run.
 */
export function reuseUnconcerned(token: FileRuleToken, rule: ConcernedRule, context: FileContext, file: SqlFile): Finding[] | undefined {
  const kept = store.get(token)?.get(rule.meta.id);
  const edit = file.edit;
  if (!kept || !edit || kept.fileId !== edit.from || edit.added !== edit.removed.length) return undefined;
  if (rule.citesLines && kept.lineCount !== file.lines.lineCount) return undefined;
  const statements = file.statements;
  // The statement before the edit is the same object in both versions; the text after it (its `;`) may have changed.
  const before = edit.head > 0 ? statements[edit.head - 1] : undefined;
  if (before && gapEdited(edit, statements) && touches(rule, before, context)) return undefined;
  for (const s of edit.removed) if (touches(rule, s, context)) return undefined;
  for (let i = edit.head; i < edit.head + edit.added; i++) if (touches(rule, statements[i], context)) return undefined;
  // Old offsets up to the end of the statement before the edit stay; from the first statement after it they move by delta.
  const keepUpTo = before ? before.segment.end : -1;
  const next = statements[edit.head + edit.added];
  const moveFrom = next ? next.segment.start - edit.delta : Infinity;
  const moved = moveFindings(kept.findings, keepUpTo, moveFrom, edit.delta);
  if (!moved) return undefined;
  store.get(token)!.set(rule.meta.id, { fileId: file.id!, lineCount: file.lines.lineCount, findings: moved });
  concernStats.reused++;
  return moved.slice();
}

/**
 * Whether the edit may have changed the text between the statement before it and the next one (what
 * a rule reading that statement reads besides its text). Not when the change begins past the start
 * of the first statement it replaced and the statement replacing it starts there too: typing inside
 * a query just below an ALTER TABLE then leaves the ALTER's rules alone (missing-lock-timeout ran
 * over every statement again on such keystrokes).
 */
function gapEdited(edit: StatementEdit, statements: readonly Statement[]): boolean {
  const old = edit.removed[0];
  const now = statements[edit.head];
  return !old || !now || edit.changedFrom <= old.segment.start || now.segment.start !== old.segment.start;
}

/** Keeps what the rule reported for this version; not when a fix creates files (named after the folder's other files). */
export function keepConcerned(token: FileRuleToken, rule: ConcernedRule, file: SqlFile, findings: readonly Finding[]): void {
  if (!file.id) return;
  let perRule = store.get(token);
  if (!perRule) store.set(token, (perRule = new Map()));
  if (findings.some((f) => f.fixes?.some((x) => x.newFiles?.length))) {
    perRule.delete(rule.meta.id);
    return;
  }
  perRule.set(rule.meta.id, { fileId: file.id, lineCount: file.lines.lineCount, findings: findings.slice() });
  concernStats.kept++;
}

/**
 * The findings at the new offsets; undefined when one of their offsets lies in the edited text. A
 * fix may insert at the edge of it (after a statement without its `;`, which the edit may have
 * typed), so fix offsets must lie strictly outside.
 */
function moveFindings(findings: readonly Finding[], keepUpTo: number, moveFrom: number, delta: number): Finding[] | undefined {
  const map = (offset: number): number => (offset <= keepUpTo ? offset : offset >= moveFrom ? offset + delta : NaN);
  const mapEdit = (offset: number): number => (offset === keepUpTo || offset === moveFrom ? NaN : map(offset));
  const out: Finding[] = new Array(findings.length);
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i];
    const start = map(f.span.start);
    const end = map(f.span.end);
    if (Number.isNaN(start) || Number.isNaN(end)) return undefined;
    let fixes: Fix[] | undefined;
    if (f.fixes) {
      fixes = [];
      for (const fix of f.fixes) {
        const edits = [];
        for (const e of fix.edits) {
          const s = mapEdit(e.start);
          const t = mapEdit(e.end);
          if (Number.isNaN(s) || Number.isNaN(t)) return undefined;
          edits.push({ start: s, end: t, newText: e.newText });
        }
        fixes.push({ ...fix, edits });
      }
    }
    out[i] = delta === 0 || (start === f.span.start && end === f.span.end && !movedFix(f.fixes, fixes)) ? f : { ...f, span: { start, end }, fixes };
  }
  return out;
}

function movedFix(a: readonly Fix[] | undefined, b: readonly Fix[] | undefined): boolean {
  if (!a || !b) return false;
  for (let i = 0; i < a.length; i++) for (let k = 0; k < a[i].edits.length; k++) if (a[i].edits[k].start !== b[i].edits[k].start || a[i].edits[k].end !== b[i].edits[k].end) return true;
  return false;
}
