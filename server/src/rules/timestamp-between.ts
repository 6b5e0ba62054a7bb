import { defineRule } from '../engine/rule';
import { wordsOf } from '../engine/vocabulary';
import type { Statement } from '../sql/document';
import type { NodeRef } from '../sql/node-index';
import { embeddedStatements } from '../sql/plpgsql';
import type { SqlStatement } from '../sql/statement';
import { nameSpanAt } from '../sql/sql-decls';
import { tokenIndexAt } from '../sql/tokens';
import { columnRefName, nodeSpan } from './lib/ast';
import { declaredColumnType, fileColumnTypes, type FileColumnTypes } from './lib/between-column-type';
import { dateLiteral, isLiteralOrParam, nextDay } from './lib/between-date-literal';

const BETWEEN_KINDS = new Set(['AEXPR_BETWEEN', 'AEXPR_NOT_BETWEEN', 'AEXPR_BETWEEN_SYM', 'AEXPR_NOT_BETWEEN_SYM']);
/** Last word parts that name a point in time: `created_at`, `settled_ts`, `event_time`, `createdAt`. */
const TIMESTAMP_SUFFIX = new Set(['at', 'ts', 'time', 'timestamp']);
/** Last word parts that name a calendar day: BETWEEN two dates is right for a `date` column. */
const DATE_SUFFIX = new Set(['date', 'day']);

/** `p.settled_at` as written: nodeSpan stops after `p`, since a ColumnRef has one location. */
function columnSpan(stmt: SqlStatement, columnRef: any): { start: number; end: number } {
  return nameSpanAt(stmt.tokens(), stmt.at(columnRef?.ColumnRef?.location ?? 0));
}

/** nodeSpan, extended over a trailing qualified name (`... AND a.closed_at` ends after `a` otherwise). */
function exprSpan(stmt: SqlStatement, node: unknown): { start: number; end: number } {
  const span = nodeSpan(stmt, node);
  const tokens = stmt.tokens();
  let i = tokenIndexAt(tokens, span.end);
  while (tokens[i]?.text === '.' && tokens[i].start === span.end && tokens[i + 1]) {
    span.end = tokens[i + 1].end;
    i += 2;
  }
  return span;
}

function looksLikeTimestamp(column: string): boolean {
  const words = wordsOf(column);
  if (words.length === 1) return words[0] === 'ts' || words[0] === 'timestamp';
  return TIMESTAMP_SUFFIX.has(words[words.length - 1]);
}

function looksLikeDate(column: string): boolean {
  const words = wordsOf(column);
  return words.length > 0 && DATE_SUFFIX.has(words[words.length - 1]);
}

/** Whether `a >= x AND a < y` can replace the node without parentheses (same grouping under AND/OR). */
function needsParens(ref: NodeRef): boolean {
  const parent = ref.parent;
  if (!parent) return true;
  if (parent.type === 'BoolExpr') return parent.node.boolop !== 'AND_EXPR' && parent.node.boolop !== 'OR_EXPR';
  return !(ref.key === 'whereClause' || ref.key === 'havingClause' || ref.key === 'quals');
}

function halfOpenFix(ref: NodeRef, stmt: SqlStatement, text: string, span: { start: number; end: number }) {
  const [lower, upper] = ref.node.rexpr?.List?.items ?? [];
  const upperDate = dateLiteral(upper);
  if (ref.node.kind !== 'AEXPR_BETWEEN' || !upperDate || !isLiteralOrParam(lower)) return undefined;
  const tokens = stmt.tokens();
  const dateToken = tokens[tokenIndexAt(tokens, stmt.at(upperDate.constNode.A_Const.location ?? 0))];
  const lowerSpan = nodeSpan(stmt, lower);
  const column = columnSpan(stmt, ref.node.lexpr);
  if (!dateToken || dateToken.kind !== 'string' || dateToken.end > span.end || lowerSpan.end > dateToken.start) return undefined;
  const next = nextDay(upperDate);
  const colText = text.slice(column.start, column.end);
  const upperSpan = nodeSpan(stmt, upper);
  const upperText = text.slice(upperSpan.start, dateToken.start) + `'${next}'` + text.slice(dateToken.end, upperSpan.end);
  let newText = `${colText} >= ${text.slice(lowerSpan.start, lowerSpan.end)} AND ${colText} < ${upperText}`;
  if (needsParens(ref)) newText = `(${newText})`;
  return { title: `Use a half-open range (< '${next}')`, edits: [{ start: span.start, end: span.end, newText }], preferred: true };
}

export default defineRule({
  meta: {
    id: 'timestamp-between',
    category: 'time',
    severity: 'warning',
    description: 'BETWEEN on a timestamp, whose inclusive upper bound is a single instant, misses most of the last day of the range.',
    rationale:
      "`created_at BETWEEN '2024-06-01' AND '2024-06-30'` stops at 2024-06-30 00:00:00: a payment at 15:00 on the 30th is missing from the June report (verified on PostgreSQL), and a row at exactly midnight falls into two adjacent ranges. Statements, settlements and reconciliations then disagree by a day of money. Use a half-open range: `created_at >= '2024-06-01' AND created_at < '2024-07-01'`.",
    messages: {
      between:
        "{{column}} {{op}} ...{{why}}: on a timestamp the upper bound is one instant ({{upper}}), so rows later on the last day (a payment at 15:00) are missed, and rows exactly on a boundary are counted in two adjacent periods. Use a half-open range: {{column}} >= <start> AND {{column}} < <start of the next day/period>.",
    },
    fix: 'quickfix',
    languages: ['sql'],
    examples: {
      incorrect: [{ code: "SELECT sum(amount) FROM payments WHERE created_at BETWEEN '2024-06-01' AND '2024-06-30';" }],
      correct: [{ code: "SELECT sum(amount) FROM payments WHERE created_at >= '2024-06-01' AND created_at < '2024-07-01';" }],
    },
  },
  // File scope: a column's declared type (CREATE TABLE in this file, or the workspace schema) beats
  // its name, so `paid timestamptz` is caught and a `date` column with date bounds is left alone.
  scope: 'file',
  // Reads only its statement, the file's CREATE TABLEs and the schema: cached per statement.
  cache: 'statement',
  stateless: true,
  create(context) {
    // The file's declared column types, worked out on first need in each file (reset by startFile).
    let fileTypes: FileColumnTypes | undefined;
    const check = (ref: NodeRef, stmt: Statement) => {
      if (!BETWEEN_KINDS.has(ref.node.kind)) return;
      const column = columnRefName(ref.node.lexpr);
      if (!column) return;
      const [lower, upper] = ref.node.rexpr?.List?.items ?? [];
      fileTypes ??= fileColumnTypes(context.file);
      const declared = declaredColumnType(ref, ref.node.lexpr?.ColumnRef, fileTypes, context.schema);
      const byType = declared === 'timestamp' || declared === 'timestamptz';
      const dateBounds = !!(dateLiteral(lower) || dateLiteral(upper));
      const byName = looksLikeTimestamp(column);
      if (declared !== undefined && !byType) return;
      if (!byType && !byName && !(dateBounds && !looksLikeDate(column))) return;
      const span = exprSpan(stmt, ref.node);
      const text = context.file.text;
      const colSpan = columnSpan(stmt, ref.node.lexpr);
      const upperSpan = upper ? exprSpan(stmt, upper) : undefined;
      context.report({
        messageId: 'between',
        span,
        data: {
          column: text.slice(colSpan.start, colSpan.end),
          op: String(ref.node.name?.[0]?.String?.sval ?? 'BETWEEN'),
          upper: upperSpan ? text.slice(upperSpan.start, upperSpan.end) : 'the upper bound',
          why: byType ? ` (\`${column}\` is declared ${declared})` : byName ? ` (\`${column}\` looks like a timestamp column)` : ' with date bounds',
        },
        fixes: ((f) => (f ? [f] : undefined))(halfOpenFix(ref, stmt, text, span)),
      });
    };
    return {
      startFile: () => void (fileTypes = undefined),
      // File-scoped rules only get top-level statements: PL/pgSQL bodies are walked here.
      statement(stmt) {
        for (const s of [stmt, ...embeddedStatements(stmt)]) {
          if (!s.ast) continue;
          for (const ref of s.nodes().get('A_Expr') ?? []) check(ref, s);
        }
      },
    };
  },
});
