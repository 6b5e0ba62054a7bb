// Per-statement work that depends on the schema only through the tables the statement names
// (and their partitioned parents). A DDL edit rebuilds the whole schema object, but most queries
// do not read the table it changed: their work is kept while those tables have the same shape.
import type { Report, Span } from '../../engine/types';
import type { SchemaModel, TableModel } from '../../model/schema';
import { LayeredMap, MutableSchema } from '../../model/schema-builder';
import { rangeVarNames } from '../../model/range-var-names';
import { lookupTable } from '../../model/same-table';
import type { Statement } from '../../sql/document';
import { memosOn } from './statement-memo';

/** Distinct table shapes seen in this process, numbered: a key lists numbers, not whole shapes. */
const shapeIds = new Map<string, number>();
/** Per schema object: table key -> shape number (0: no such table). */
const perSchema = new WeakMap<SchemaModel, Map<string, number>>();
/**
 * Per table object: its shape number. A DDL edit builds a new schema, but the tables it did not
 * change are the same objects in it (checkpoints, forks), and a table is not changed once rules
 * read it: its shape is not serialised again.
 */
const perTable = new WeakMap<TableModel, number>();

/** Everything a rule may read from a table except where it was declared (spans move with every keystroke). */
function shapeOf(t: TableModel): string {
  return JSON.stringify({ ...t, columns: [...t.columns.values()], created: t.created ? [t.created.file, t.created.order] : undefined, nameSpan: undefined }, (key, value) =>
    key === 'source' ? [value?.file, value?.order] : value,
  );
}

/**
 * `schema.table(key)`, answering undefined at once when no table has that bare name: a file names
 * many tables the schema lacks, and in a forked schema each such miss scans the fork's own tables.
 */
function tableOf(schema: SchemaModel, key: string) {
  if (schema.tables.has(key)) return schema.table(key);
  // A fork with few tables of its own (the CLI's per-file schema) answers misses from a bare-name
  // index shared with its parent plus a pass over those few; listing every table name of each
  // file's fork here was 23% of a 5,000-file CLI run. A fork holding a big file's tables scans
  // them on each miss: lookupTable's bare-name set is cheaper there.
  if (schema instanceof MutableSchema && schema.tables instanceof LayeredMap && schema.tables.layers().local.size <= 64) return schema.table(key);
  return lookupTable(schema, key);
}

function shapeId(schema: SchemaModel, key: string): number {
  let ids = perSchema.get(schema);
  if (!ids) perSchema.set(schema, (ids = new Map()));
  let id = ids.get(key);
  if (id === undefined) {
    const t = tableOf(schema, key);
    if (!t) id = 0;
    else {
      id = perTable.get(t);
      if (id === undefined) {
        const shape = shapeOf(t);
        id = shapeIds.get(shape);
        if (id === undefined) shapeIds.set(shape, (id = shapeIds.size + 1));
        perTable.set(t, id);
      }
    }
    ids.set(key, id);
  }
  return id;
}

/** The last tablesReadKey per statement text: several rules ask for the same statement and schema. */
const lastKey = new WeakMap<object, { schema: SchemaModel; key: string }>();

/** The shapes of the tables `stmt` names, with their partitioned parents, as one string. */
export function tablesReadKey(stmt: Statement, schema: SchemaModel): string {
  const entry = stmt.entry as object | undefined;
  const last = entry && lastKey.get(entry);
  if (last && last.schema === schema) return last.key;
  const key = readKey(stmt, schema);
  if (entry) lastKey.set(entry, { schema, key });
  return key;
}

function readKey(stmt: Statement, schema: SchemaModel): string {
  const parts: string[] = [];
  for (const name of rangeVarNames(stmt).keys) {
    let key: string | undefined = name;
    for (let depth = 0; key && depth < 9; depth++) {
      parts.push(`${key}=${shapeId(schema, key)}`);
      key = tableOf(schema, key)?.partitionOf;
    }
  }
  return parts.join(',');
}

interface Kept {
  schema: SchemaModel;
  reads: string;
  others: readonly unknown[];
  base: number;
  value: unknown;
}

const kept = new WeakMap<object, Map<string, Kept>>();

/** How often memoBySchemaReads was asked since the process started: for tests. */
export const schemaReadsStats = { asked: 0 };

/**
 * `compute(stmt)` kept per statement text (like memoOnStatement) and reused while the schema is
 * the same object, or a new one in which the tables the statement names have the same shape;
 * `others` (compared by identity) are anything else it reads, such as the vocabulary. What
 * `compute` returns must not hold on to table models: look tables up again in the current schema.
 */
export function memoBySchemaReads<T>(stmt: Statement, name: string, schema: SchemaModel, others: readonly unknown[], compute: (stmt: Statement) => T, shift: (value: T, delta: number) => T): T {
  schemaReadsStats.asked++;
  const entry = stmt.entry as object | undefined;
  if (!entry) return compute(stmt);
  const perEntry = memosOn(kept, entry);
  const base = stmt.segment.start;
  const hit = perEntry.get(name);
  const sameOthers = !!hit && hit.others.length === others.length && hit.others.every((o, i) => o === others[i]);
  if (hit && sameOthers && hit.schema !== schema) {
    const reads = tablesReadKey(stmt, schema);
    if (reads === hit.reads) hit.schema = schema;
  }
  if (!hit || !sameOthers || hit.schema !== schema) {
    const value = compute(stmt);
    perEntry.set(name, { schema, reads: tablesReadKey(stmt, schema), others, base, value });
    return value;
  }
  return hit.base === base ? (hit.value as T) : shift(hit.value as T, base - hit.base);
}

function shiftReports(reports: readonly Report[], delta: number): Report[] {
  const move = (s: Span): Span => ({ start: s.start + delta, end: s.end + delta });
  return reports.map((r) => ({ ...r, span: move(r.span), fixes: r.fixes?.map((f) => ({ ...f, edits: f.edits.map((e) => ({ ...e, ...move(e) })) })) }));
}

/**
 * Runs `check(report)` for one statement and reports what it reported, or what it reported last
 * time (moved with the statement) while memoBySchemaReads would reuse it. For checks whose
 * reports lie within the statement and whose fixes create no files.
 */
export function reportKeptBySchemaReads(context: { report(r: Report): void }, stmt: Statement, name: string, schema: SchemaModel, others: readonly unknown[], check: (report: (r: Report) => void) => void): void {
  const reports = memoBySchemaReads(
    stmt,
    name,
    schema,
    others,
    () => {
      const out: Report[] = [];
      check((r) => out.push(r));
      return out;
    },
    shiftReports,
  );
  for (const r of reports) context.report(r);
}
