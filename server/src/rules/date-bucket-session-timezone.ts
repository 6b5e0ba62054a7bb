import { defineRule } from '../engine/rule';
import type { Report, Span, TextEdit } from '../engine/types';
import { financialWord, wordsOf } from '../engine/vocabulary';
import type { Statement } from '../sql/document';
import { embeddedStatements } from '../sql/plpgsql';
import { funcName, nodeSpan, relName } from './lib/ast';
import { whereText } from './lib/flow-context';
import { reportKeptBySchemaReads } from './lib/schema-reads';
import { workspaceSchema } from './lib/schema-workspace';

interface Bucket {
  /** `date_trunc('day', created_at)`, `created_at::date`, `extract(...)`, for messages. */
  kind: 'date_trunc' | 'cast' | 'extract';
  node: any;
  column: any;
}

/** Session-time-zone-dependent day/month/hour bucketing of a single column. */
function bucketOf(n: any): Bucket | undefined {
  const call = n?.FuncCall;
  if (call) {
    const name = funcName(call);
    const args: any[] = call.args ?? [];
    if (name === 'date_trunc' && args.length === 2 && args[1]?.ColumnRef) return { kind: 'date_trunc', node: n, column: args[1] };
    if ((name === 'extract' || name === 'date_part') && args.length === 2 && args[1]?.ColumnRef) {
      const field = String(args[0]?.A_Const?.sval?.sval ?? '').toLowerCase();
      if (field !== 'epoch') return { kind: 'extract', node: n, column: args[1] };
    }
  }
  const cast = n?.TypeCast;
  const target = cast?.typeName?.names?.map((x: any) => x?.String?.sval).pop();
  if (cast?.arg?.ColumnRef && target === 'date') return { kind: 'cast', node: n, column: cast.arg };
  return undefined;
}

const BUCKET_FUNCS = new Set(['date_trunc', 'extract', 'date_part']);

/** Whether the statement holds any node bucketOf could match: most queries hold none, whatever the schema. */
function mayBucket(stmt: Statement): boolean {
  const index = stmt.nodes();
  if (index.has('TypeCast')) return true;
  return (index.get('FuncCall') ?? []).some((ref) => BUCKET_FUNCS.has(funcName(ref.node)));
}

function collect(node: any, out: Bucket[], depth = 0): void {
  if (!node || typeof node !== 'object' || depth > 80) return;
  if (Array.isArray(node)) return node.forEach((x) => collect(x, out, depth + 1));
  if (node.SubLink || node.SelectStmt) return; // nested SELECTs are visited on their own
  const b = bucketOf(node);
  if (b) {
    out.push(b);
    return;
  }
  for (const v of Object.values(node)) collect(v, out, depth + 1);
}

/** The qualified column as written (`p.created_at`): one location covers the dotted name. */
function columnSpan(stmt: Statement, column: any): Span {
  const span = nodeSpan(stmt, column);
  const tokens = stmt.tokens();
  let i = tokens.findIndex((t) => t.start === span.start);
  while (i >= 0 && tokens[i + 1]?.text === '.' && tokens[i + 2]) {
    span.end = tokens[i + 2].end;
    i += 2;
  }
  return span;
}

export default defineRule({
  meta: {
    id: 'date-bucket-session-timezone',
    category: 'time',
    severity: 'warning',
    description: 'Day, month or hour buckets of a timestamptz column of a financial table (`date_trunc` with two arguments, `::date`, `extract`) in WHERE or GROUP BY, which depend on the session time zone.',
    rationale:
      'A timestamptz is an instant; turning it into a day needs a time zone, and these expressions silently use the session\'s `TimeZone` setting. The same daily settlement report run from a server in UTC and from a laptop in America/New_York puts a payment made at 23:30 New York time on different days, so totals for "June 30" differ between environments and stop matching the bank\'s statement. Name the zone the business closes its books in: `date_trunc(\'day\', created_at, \'Europe/Paris\')` (PostgreSQL 12+) or `(created_at AT TIME ZONE \'Europe/Paris\')::date`.',
    messages: {
      sessionZone:
        '{{expr}}{{where}} buckets `{{column}}` of {{table}} by day/month/hour in the session time zone ({{why}}): the same report run from servers or clients with different TimeZone settings assigns payments near midnight to different days, so totals stop matching the bank\'s statements. Name the zone: {{suggestion}}.',
    },
    fix: 'quickfix',
    languages: ['sql'],
    examples: {
      incorrect: [{ code: "SELECT date_trunc('day', created_at) AS day, sum(amount_minor) FROM payments GROUP BY date_trunc('day', created_at);" }],
      correct: [{ code: "SELECT date_trunc('day', created_at, 'UTC') AS day, sum(amount_minor) FROM payments GROUP BY 1;" }],
    },
  },
  scope: 'file',
  // Each query is judged against the schema alone: cached per statement.
  cache: 'statement',
  stateless: true,
  create(context) {
    const check = (stmt: Statement, report: (r: Report) => void) => {
      if (!stmt.ast) return;
      const text = context.file.text;
      const vocab = context.vocabulary;
      for (const ref of stmt.nodes().get('SelectStmt') ?? []) {
        const select = ref.node as any;
        const tables = new Map<string, string>(); // alias or name -> table
        for (const f of select.fromClause ?? []) {
          const rv = f?.RangeVar;
          if (!rv) continue;
          tables.set(String(rv.alias?.aliasname ?? rv.relname), relName(rv));
          tables.set(String(rv.relname), relName(rv));
        }
        const found: Bucket[] = [];
        collect(select.whereClause, found);
        collect(select.groupClause, found);
        for (const b of found) {
          const fields: string[] = (b.column.ColumnRef.fields ?? []).map((x: any) => x?.String?.sval).filter(Boolean);
          const column = fields[fields.length - 1];
          if (!column) continue;
          const qualifier = fields.length > 1 ? fields[fields.length - 2] : undefined;
          const schema = workspaceSchema(context);
          const candidates = qualifier ? [tables.get(qualifier)].filter(Boolean) as string[] : [...new Set(tables.values())];
          const known = candidates.find((t) => schema.table(t)?.columns.has(column));
          const table = known ?? candidates.find((t) => financialWord(t, vocab));
          if (!table || !financialWord(table, vocab)) continue;
          const type = known ? schema.table(known)!.columns.get(column)!.type.name : undefined;
          let why: string;
          if (type === 'timestamptz') why = 'it is timestamptz';
          else if (type === undefined && ['at', 'ts', 'time'].includes(wordsOf(column).slice(-1)[0] ?? '')) why = `\`${column}\` looks like a timestamptz`;
          else continue;
          const exprSpan = nodeSpan(stmt, b.node);
          const col = columnSpan(stmt, b.column);
          const colText = text.slice(col.start, col.end);
          let edits: TextEdit[];
          let suggestion: string;
          if (b.kind === 'date_trunc') {
            if (text[exprSpan.end - 1] !== ')') continue;
            edits = [{ start: exprSpan.end - 1, end: exprSpan.end - 1, newText: ", 'UTC'" }];
            suggestion = `date_trunc(..., ${colText}, 'Europe/Paris') (PostgreSQL 12+)`;
          } else if (b.kind === 'cast') {
            edits = [
              { start: col.start, end: col.start, newText: '(' },
              { start: col.end, end: col.end, newText: " AT TIME ZONE 'UTC')" },
            ];
            suggestion = `(${colText} AT TIME ZONE 'Europe/Paris')::date`;
          } else {
            edits = [{ start: col.end, end: col.end, newText: " AT TIME ZONE 'UTC'" }];
            suggestion = `extract(... FROM ${colText} AT TIME ZONE 'Europe/Paris')`;
          }
          report({
            messageId: 'sessionZone',
            span: exprSpan,
            data: { expr: text.slice(exprSpan.start, exprSpan.end).replace(/\s+/g, ' '), where: whereText(stmt), column, table, why, suggestion },
            fixes: [{ title: "Bucket in UTC (replace 'UTC' with the zone your books close in)", edits, preferred: true }],
          });
        }
      }
    };

    return {
      statement(stmt) {
        // A DDL edit re-runs cached rules on every statement: a query whose tables kept their shape
        // reports as before (schema-reads.ts). Bodies' statements are kept on their own entries.
        const schema = workspaceSchema(context);
        for (const s of [stmt, ...embeddedStatements(stmt)]) {
          if (s.ast && s.nodes().has('SelectStmt') && mayBucket(s)) reportKeptBySchemaReads(context, s, 'date-bucket-session-timezone', schema, [context.vocabulary], (report) => check(s, report));
        }
      },
    };
  },
});
