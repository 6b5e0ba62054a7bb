import { defineRule, type FileContext } from '../engine/rule';
import type { Fix, Span, TextEdit } from '../engine/types';
import type { SchemaModel } from '../model/schema';
import { rangeVarKey } from '../model/schema-builder';
import { qualifiedNameEnd, tokenAt } from '../model/tokens-util';
import type { Statement } from '../sql/document';
import { physicalColumns, rangesOf } from './lib/query-scope';
import { embeddedStatements } from '../sql/plpgsql';
import { quoteIdent, workspaceSchema } from './lib/schema-workspace';

interface Star {
  columnRef: any;
  span: Span;
  /** The columns it stands for, when the workspace model knows them in order. */
  expansion?: string[];
}

/** The `*` / `t.*` items of a SELECT list, through UNION/INTERSECT/EXCEPT arms. */
function starsOf(stmt: Statement, select: any, schema: SchemaModel, out: Star[] = [], depth = 0): Star[] {
  if (!select || depth > 50) return out;
  if (select.op && select.op !== 'SETOP_NONE') {
    starsOf(stmt, select.larg, schema, out, depth + 1);
    starsOf(stmt, select.rarg, schema, out, depth + 1);
    return out;
  }
  for (const t of select.targetList ?? []) {
    const ref = t?.ResTarget?.val?.ColumnRef;
    const fields: any[] = ref?.fields ?? [];
    if (!fields[fields.length - 1]?.A_Star) continue;
    const tokens = stmt.tokens();
    const first = tokenAt(tokens, stmt.at(ref.location));
    const last = qualifiedNameEnd(tokens, first);
    if (!tokens[first] || !tokens[last]) continue;
    out.push({ columnRef: ref, span: { start: tokens[first].start, end: tokens[last].end }, expansion: expand(select, fields, schema) });
  }
  return out;
}

function expand(select: any, fields: any[], schema: SchemaModel): string[] | undefined {
  const qualifier = fields.length >= 2 ? fields[fields.length - 2]?.String?.sval : undefined;
  const from: any[] = select.fromClause ?? [];
  const ranges = rangesOf(select, schema);
  if (!qualifier) {
    // Only a single plain table: with joins `*` also repeats join columns and needs qualifiers.
    if (from.length !== 1 || !from[0]?.RangeVar || ranges.length !== 1) return undefined;
    return physicalColumns(ranges[0].table)?.map(quoteIdent);
  }
  const matches = ranges.filter((r) => (r.alias ?? r.name) === qualifier);
  if (matches.length !== 1) return undefined;
  return physicalColumns(matches[0].table)?.map((c) => `${quoteIdent(qualifier)}.${quoteIdent(c)}`);
}

function starEdit(s: Star): TextEdit | undefined {
  return s.expansion ? { start: s.span.start, end: s.span.end, newText: s.expansion.join(', ') } : undefined;
}

function fromNames(select: any, schema: SchemaModel): string {
  const names = [...new Set(rangesOf(select?.larg ?? select, schema).map((r) => r.name))];
  return names.length ? names.join(', ') : 'its source';
}

export default defineRule({
  meta: {
    id: 'implicit-columns',
    category: 'integrity',
    severity: 'warning',
    description: 'INSERT without a column list, and SELECT * in views, routines and INSERT ... SELECT (a hint in application queries).',
    rationale:
      'Without a column list, INSERT fills columns by position, and `SELECT *` means "whatever columns the table has today". Column order is not part of anyone\'s code review: a column added in the middle by a table rebuild, an environment where migrations ran in another order, or an archive table created slightly differently moves values into the wrong columns whenever the types line up, so a fee lands in the amount column and the books stop balancing without a single error. In a view, PostgreSQL expands `*` once, at CREATE VIEW: columns added later never show up, and every column it expanded to can no longer be dropped or retyped (ALTER TABLE fails on the dependency) until the view is recreated. In a routine, `RETURN QUERY SELECT *` stops matching the declared result type as soon as a column is added ("structure of query does not match function result type"), an outage caused by a harmless migration. In application queries `SELECT *` is a hint: it reads and ships every column, including wide jsonb and text added later, rules out index-only scans, and breaks code that maps results by position. `SELECT * INTO` a row variable, `FOR r IN SELECT *` loops and `SELECT *` from the very table a function `RETURNS SETOF` are not reported: they take the row\'s shape. The fix lists the columns when the workspace model knows the table\'s columns in order: for INSERT the first n columns, exactly what the positional form writes today (check them), for `*` the columns it expands to now.',
    messages: {
      insertNoColumns:
        'INSERT INTO {{table}} has no column list: values go into columns by position, so once a column of {{table}} is added, dropped or ordered differently in some environment, amounts land in the wrong columns whenever the types line up, or the deploy fails. List the columns: INSERT INTO {{table}} (col, ...).',
      insertSelectStar:
        'INSERT INTO {{table}} ... SELECT * copies {{source}} by column position: adding a column to either table breaks the statement or, when the types line up, moves values into the wrong columns (a fee into an amount). List the columns on both sides.',
      viewStar:
        '`*` in view {{view}} is expanded once, when the view is created: columns added to {{source}} later never appear, and every column it expanded to can no longer be dropped or retyped until the view is recreated. List the columns the view exposes.',
      routineStar:
        '`SELECT *` from {{source}} in {{routine}}: its result follows the columns {{source}} has at run time, so adding a column breaks callers expecting fixed columns (RETURN QUERY fails with "structure of query does not match function result type"). List the columns.',
      queryStar:
        '`SELECT *` from {{source}} reads and sends every column, including ones added later (wide jsonb or text), rules out index-only scans, and breaks code that maps results by position when a column is added. List the columns the code uses.',
    },
    fix: 'quickfix',
    languages: ['sql'],
    examples: {
      incorrect: [
        { code: "INSERT INTO payments VALUES (1, 'EUR', 1250);" },
        { code: 'CREATE VIEW settled_payments AS\n  SELECT * FROM payments WHERE settled_at IS NOT NULL;' },
        { code: 'INSERT INTO payments_archive SELECT * FROM payments WHERE created_at < $1;' },
      ],
      correct: [
        { code: "INSERT INTO payments (id, currency, amount_minor) VALUES (1, 'EUR', 1250);" },
        { code: 'CREATE VIEW settled_payments AS\n  SELECT id, currency, amount_minor, settled_at FROM payments WHERE settled_at IS NOT NULL;' },
        { code: 'INSERT INTO payments_archive (id, currency, amount_minor)\n  SELECT id, currency, amount_minor FROM payments WHERE created_at < $1;' },
      ],
    },
  },
  scope: 'file',
  stateless: true,
  // Each statement is judged on its own against the schema: its findings are cached per statement.
  cache: 'statement',
  create(context) {
    return {
      statement(stmt) {
        const schema = workspaceSchema(context);
        for (const s of [stmt, ...embeddedStatements(stmt)]) if (s.ast) check(context, schema, s);
      },
    };
  },
});

function check(context: FileContext, schema: SchemaModel, stmt: Statement): void {
  const index = stmt.nodes();
  for (const ref of index.get('InsertStmt') ?? []) checkInsert(context, schema, stmt, ref.node);
  const ast = stmt.ast as any;
  if (ast?.ViewStmt || ast?.CreateTableAsStmt?.objtype === 'OBJECT_MATVIEW') {
    const query = ast.ViewStmt?.query?.SelectStmt ?? ast.CreateTableAsStmt?.query?.SelectStmt;
    const view = ast.ViewStmt?.view ?? ast.CreateTableAsStmt?.into?.rel;
    for (const s of starsOf(stmt, query, schema)) reportStar(context, s, 'viewStar', { view: rangeVarKey(view), source: fromNames(query, schema) });
    return;
  }
  const fn = ast?.CreateFunctionStmt;
  if (fn?.sql_body) {
    // BEGIN ATOMIC / RETURN bodies of SQL functions are parsed with the CREATE FUNCTION itself.
    const name = String(fn.funcname?.[fn.funcname.length - 1]?.String?.sval ?? 'the function');
    for (const list of fn.sql_body.List?.items ?? []) {
      for (const item of list?.List?.items ?? []) if (item?.SelectStmt) checkRoutineSelect(context, schema, stmt, item.SelectStmt, name, fn);
    }
    return;
  }
  const select = ast?.SelectStmt;
  if (!select || select.intoClause) return;
  if (stmt.container) {
    if (stmt.container.into?.length) return;
    const owner = context.file.statements[stmt.container.ownerStatementIndex]?.ast as any;
    checkRoutineSelect(context, schema, stmt, select, stmt.container.name, owner?.CreateFunctionStmt);
    return;
  }
  for (const s of starsOf(stmt, select, schema)) reportStar(context, s, 'queryStar', { source: fromNames(select, schema) }, 'hint');
}

/** `RETURNS SETOF payments` / `RETURNS payments`: the row type of a table, which `*` over that table always matches. */
function returnedRowType(fn: any): string | undefined {
  const names: any[] = fn?.returnType?.names ?? [];
  return fn?.returnType?.pct_type ? undefined : names[names.length - 1]?.String?.sval;
}

function checkRoutineSelect(context: FileContext, schema: SchemaModel, stmt: Statement, select: any, routine: string, fn: any): void {
  const rowType = returnedRowType(fn);
  const ranges = rangesOf(select, schema);
  for (const s of starsOf(stmt, select, schema)) {
    const fields: any[] = s.columnRef.fields ?? [];
    const qualifier = fields.length >= 2 ? fields[fields.length - 2]?.String?.sval : undefined;
    const source = qualifier ? ranges.filter((r) => (r.alias ?? r.name) === qualifier) : ranges;
    if (rowType && source.length === 1 && (qualifier || (select.fromClause?.length === 1 && select.fromClause[0]?.RangeVar)) && source[0].name === rowType) continue;
    reportStar(context, s, 'routineStar', { routine, source: fromNames(select, schema) });
  }
}

function reportStar(context: FileContext, s: Star, messageId: string, data: Record<string, string>, severity?: 'hint'): void {
  const edit = starEdit(s);
  const fixes: Fix[] | undefined = edit ? [{ title: `List the columns: ${edit.newText}`, edits: [edit], preferred: true }] : undefined;
  context.report({ messageId, span: s.span, data, fixes, severity });
}

function checkInsert(context: FileContext, schema: SchemaModel, stmt: Statement, insert: any): void {
  const select = insert?.selectStmt?.SelectStmt;
  if (!select) return; // DEFAULT VALUES
  const table = rangeVarKey(insert.relation);
  const stars = select.valuesLists ? [] : starsOf(stmt, select, schema);
  if (!insert.cols?.length) {
    const tokens = stmt.tokens();
    const first = tokenAt(tokens, stmt.at(insert.relation?.location));
    let last = qualifiedNameEnd(tokens, first);
    // The clause: from INSERT to the table name.
    let insertAt = first;
    while (insertAt > 0 && tokens[insertAt].keyword !== 'insert') insertAt--;
    const span = tokens[insertAt] && tokens[last] ? { start: tokens[insertAt].start, end: tokens[last].end } : stmt.firstLine();
    if (tokens[last + 1]?.keyword === 'as' && tokens[last + 2]) last += 2;
    const width = insertWidth(select, stars);
    const columns = width !== undefined ? physicalColumns(schema.table(table))?.slice(0, width) : undefined;
    const fixes: Fix[] | undefined =
      columns && columns.length === width && tokens[last]
        ? [{ title: `List the columns of ${table} the values go to today`, edits: [{ start: tokens[last].end, end: tokens[last].end, newText: ` (${columns.map(quoteIdent).join(', ')})` }], preferred: true }]
        : undefined;
    context.report({ messageId: 'insertNoColumns', span, data: { table }, fixes });
  }
  for (const s of stars) reportStar(context, s, 'insertSelectStar', { table, source: fromNames(select, schema) });
}

/** How many columns the INSERT writes: the VALUES row width, or the SELECT list with its stars expanded. */
function insertWidth(select: any, stars: Star[]): number | undefined {
  if (select.valuesLists) return select.valuesLists[0]?.List?.items?.length;
  if (select.op && select.op !== 'SETOP_NONE') return undefined;
  let width = 0;
  for (const t of select.targetList ?? []) {
    const ref = t?.ResTarget?.val?.ColumnRef;
    const star = ref && stars.find((s) => s.columnRef === ref);
    if (star) {
      if (!star.expansion) return undefined;
      width += star.expansion.length;
    } else width++;
  }
  return width || undefined;
}
