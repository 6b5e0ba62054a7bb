// Schema-wide rules (`cache: 'file'` / `'statement'`) on a Drizzle file, kept across keystrokes.
// Such a rule reports only on what the file declares and reads only the schema, the declarations
// and the configuration. So while the other files are unchanged (schema-generations.ts) and this
// file's tables and enums are the same apart from where they are written, each table's findings
// are those of the last run moved with the table; only tables whose text changed are checked
// again, by visiting their declarations alone and keeping what lands inside them. A keystroke in
// one pgTable then costs that table, not the 300 others; a change to what a table declares (a
// type, a name, a key) makes every rule run on the whole file as before.
import type { SchemaModel } from '../model/schema';
import { othersGeneration } from '../model/schema-generations';
import { shiftFinding } from '../engine/relative-findings';
import type { RuleDefinition } from '../engine/rule';
import type { Finding, Span } from '../engine/types';
import type { TsAnalysis } from './analysis';
import type { DrizzleColumn, DrizzleTable } from './schema-types';
import type { DrizzleEnum } from './enums';
import { tableOrigin } from './table-cache';
import { changedTablesView } from './changed-tables-view';

/** What a table is checked by: from the start of its first line (fixes copy that indentation) to its end. */
interface Extent {
  start: number;
  end: number;
}

interface Run {
  key: string;
  generation: number;
  /** The file's tables and enums without their positions. */
  shape: FileShape;
  text: string;
  extents: Extent[];
  /** Rule id -> its findings per table (index in `extents`); absent when they could not be tied to tables. */
  perRule: Map<string, Finding[][]>;
}

const runs = new WeakMap<TsAnalysis, Run>();

/** For tests only: skip the shape comparison, to show the randomised comparison catches a wrong reuse. */
export const fileRuleReuseTesting = { ignoreShape: false };

/** How often a rule's findings were reused for the unchanged tables, or the rule ran on the whole file: for tests and benches. */
export const fileRuleReuseStats = { reused: 0, whole: 0 };

/** Rules whose findings the engine may keep between runs (engine/rule.ts, FileRule.cache). */
export const reusableRule = (rule: RuleDefinition) => rule.scope === 'file' && (rule.cache === 'file' || rule.cache === 'statement');

// What a table declares, without where: the fields the workspace model and the declarations read.
// A field added to DrizzleTable must be added here (test/drizzle/file-rule-reuse.test.ts checks).
const columnShape = (c: DrizzleColumn) => [c.key, c.dbName, c.type, c.builder, c.mode, c.tsType, c.customJsNumber, c.notNull, c.primaryKey, c.unique, c.defaultExpr, c.identity, c.generated];
const fkShape = (f: DrizzleTable['foreignKeys'][number]) => [f.table, f.columns, f.refTable, f.refColumns, f.onDelete, f.onDeleteExplicit];

function fullShape(t: DrizzleTable): string {
  const rest = [
    t.varName, t.name, t.schema, t.rlsEnabled, t.extra?.form, t.extra?.param,
    t.foreignKeys.map(fkShape),
    t.indexes.map((i) => [i.name, i.columns, i.unique, i.method, i.where, i.concurrently]),
    t.primaryKey?.columns,
    t.uniques.map((u) => [u.name, u.columns]),
    t.checks.map((c) => [c.name, c.expr]),
    t.policies.map((p) => [p.name, p.command, p.using, p.withCheck]),
  ];
  return JSON.stringify(t.columns.map(columnShape)) + JSON.stringify(rest);
}

/**
 * What the file's tables let others resolve: variable, name and column keys of each. A table copied
 * from a cached extraction (same text, same meaning of every name in it: table-cache.ts) differs
 * from last time only through these (a `references(() => other.key)`, an index `on(t.key)`).
 */
export function directoryOf(tables: readonly DrizzleTable[]): string {
  return tables.map((t) => `${t.varName ?? ''}\u0000${directoryEntry(t)}`).join('\u0001');
}

/** Per cached extraction: its name and column keys (the variable is outside the pgTable call, so not part of it). */
const entries = new WeakMap<object, string>();

function directoryEntry(t: DrizzleTable): string {
  const parts = tableOrigin(t)?.parts;
  let entry = parts && entries.get(parts);
  if (entry === undefined) {
    entry = `${t.schema ?? ''}.${t.name}\u0000${t.columns.map((c) => `${c.key}=${c.dbName}`).join(',')}`;
    if (parts) entries.set(parts, entry);
  }
  return entry;
}

/** Per cached extraction: its table's shape under one directory. */
const shapes = new WeakMap<object, { directory: string; shape: string }>();

export function tableShape(t: DrizzleTable, directory: string): string {
  const parts = tableOrigin(t)?.parts;
  const hit = parts && shapes.get(parts);
  if (hit && hit.directory === directory) return hit.shape;
  const shape = fullShape(t);
  if (parts) shapes.set(parts, { directory, shape });
  return shape;
}

export interface FileShape {
  directory: string;
  enums: string;
  tables: string[];
}

/** Per list of tables: its shape, with the enums it was made with. */
const shapes_ = new WeakMap<readonly DrizzleTable[], FileShape>();

/**
 * The tables and enums without their positions: made once per list of tables (the model's
 * contribution and the rules' plan both ask for the same analysis' tables).
 */
export function shapeOf(tables: readonly DrizzleTable[], enumDecls: Iterable<DrizzleEnum>): FileShape {
  const enums = JSON.stringify([...enumDecls].map((e) => [e.local, e.name, e.schema, e.values.map((v) => v.label)]));
  let shape = shapes_.get(tables);
  if (!shape || shape.enums !== enums) {
    const directory = directoryOf(tables);
    shapes_.set(tables, (shape = { directory, enums, tables: tables.map((t) => tableShape(t, directory)) }));
  }
  return shape;
}

const fileShape = (analysis: TsAnalysis): FileShape => shapeOf(analysis.tables, analysis.scope.enumDecls.values());

export const sameShape = (a: FileShape, b: FileShape) => a.directory === b.directory && a.enums === b.enums && a.tables.length === b.tables.length && a.tables.every((s, i) => s === b.tables[i]);

function extentsOf(analysis: TsAnalysis): Extent[] {
  const text = analysis.text;
  return analysis.tables.map((t) => ({ start: text.lastIndexOf('\n', t.span.start - 1) + 1, end: t.span.end }));
}

const inside = (e: Extent, s: Span) => s.start >= e.start && s.end <= e.end;

/** The index of the one table holding the finding and every edit of its fixes; -1 if none does. */
function tableOf(extents: readonly Extent[], f: Finding): number {
  // Extents are in file order and do not overlap: a binary search by the finding's start.
  let lo = 0;
  let hi = extents.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (f.span.start < extents[mid].start) hi = mid - 1;
    else if (f.span.start > extents[mid].end) lo = mid + 1;
    else {
      const e = extents[mid];
      const fits = inside(e, f.span) && (f.fixes ?? []).every((x) => !x.newFiles?.length && x.edits.every((ed) => inside(e, ed)));
      return fits ? mid : -1;
    }
  }
  return -1;
}

/** A lint's plan for the file rules: which tables to visit, and how to finish each rule's findings. */
export interface FileRuleReuse {
  /** Indexes of the tables to check again, when some rules may run on them alone. */
  changed?: readonly number[];
  /** Whether `rule` may run on `changed` only (its findings for the other tables are then reused). */
  partial(rule: RuleDefinition): boolean;
  /**
   * What a rule run on `changed` only is given: the schema with those tables declared in the file
   * `path` (changed-tables-view.ts), so rules report on them alone. Undefined: run on the whole file.
   */
  view(): { schema: SchemaModel; path: string } | undefined;
  /**
   * The rule's findings after a run on `changed` only: the reused ones moved, plus those found in
   * the changed tables; undefined when one of these lies outside its table (run it on the whole file).
   */
  finishPartial(rule: RuleDefinition, found: readonly Finding[]): Finding[] | undefined;
  /** Keeps what a run on the whole file found, per table, when each finding lies within one. */
  finishWhole(rule: RuleDefinition, found: readonly Finding[], failed: boolean): void;
  /** Records the run for the next version of the file. */
  done(): void;
}

export function planFileRules(analysis: TsAnalysis, previous: TsAnalysis | undefined, schema: SchemaModel, key: string): FileRuleReuse {
  const generation = othersGeneration(schema, analysis.path);
  const shape = generation === undefined ? undefined : fileShape(analysis);
  const extents = extentsOf(analysis);
  const last = previous && previous.path === analysis.path ? runs.get(previous) : undefined;
  const run: Run | undefined = generation === undefined || !shape ? undefined : { key, generation, shape, text: analysis.text, extents, perRule: new Map() };
  let changed: number[] | undefined;
  // Rules tell tables apart by name: with two pgTables of one name, visiting one alone could change what is reported on it.
  const uniqueNames = new Set(analysis.tables.map((t) => t.name)).size === analysis.tables.length;
  if (run && last && uniqueNames && last.key === key && last.generation === generation && (sameShape(last.shape, run.shape) || fileRuleReuseTesting.ignoreShape) && last.extents.length === extents.length) {
    changed = [];
    extents.forEach((e, i) => {
      const o = last.extents[i];
      if (e.end - e.start !== o.end - o.start || analysis.text.slice(e.start, e.end) !== last.text.slice(o.start, o.end)) changed!.push(i);
    });
  }
  const isChanged = new Set(changed);
  let view: { schema: SchemaModel; path: string } | undefined | null = null;
  return {
    changed,
    partial: (rule) => !!changed && reusableRule(rule) && !!last?.perRule.has(rule.meta.id),
    view() {
      if (view !== null) return view;
      const path = `${analysis.path}#changed-tables`;
      const names = new Set(changed?.map((i) => analysis.tables[i].name));
      const moved = changed && changedTablesView(schema, analysis.path, names, path);
      return (view = moved ? { schema: moved, path } : undefined);
    },
    finishPartial(rule, found) {
      const groups: Finding[][] = extents.map(() => []);
      last!.perRule.get(rule.meta.id)!.forEach((list, i) => {
        if (isChanged.has(i)) return;
        const d = extents[i].start - last!.extents[i].start;
        groups[i] = d === 0 ? list : list.map((f) => shiftFinding(f, d));
      });
      for (const f of found) {
        const i = tableOf(extents, f);
        // Findings on the other tables are dropped: they were made without those tables' declarations.
        if (i >= 0 && isChanged.has(i)) groups[i].push(f);
        else if (i < 0) return undefined;
      }
      fileRuleReuseStats.reused++;
      run?.perRule.set(rule.meta.id, groups);
      return groups.flat();
    },
    finishWhole(rule, found, failed) {
      fileRuleReuseStats.whole++;
      if (!run || failed || !reusableRule(rule)) return;
      const groups: Finding[][] = extents.map(() => []);
      for (const f of found) {
        const i = tableOf(extents, f);
        if (i < 0) return;
        groups[i].push(f);
      }
      run.perRule.set(rule.meta.id, groups);
    },
    done() {
      if (run) runs.set(analysis, run);
    },
  };
}
