// A Drizzle schema file's tables as a workspace-model contribution (`WorkspaceModel.setContribution`):
// they join the SQL migrations' tables, with TypeScript source ranges.
import type { TableModel } from '../model/schema';
import type { Span } from '../engine/types';
import { tableKey, emptyTable, type MutableSchema } from '../model/schema-builder';
import type { ContributionFn } from '../model/workspace-model';
import type { ContributionShape } from '../model/kept-contribution';
import { sameShape, shapeOf } from './file-rule-reuse';
import { checkColumns } from './check-columns';
import type { DrizzleTable } from './schema-types';
import type { DrizzleEnum } from './enums';
import { columnTypeTouchKey, enumTouchKey } from '../model/replay-enum';
import { guessedTargetTables } from '../model/guessed-references';

export function drizzleContribution(tables: readonly DrizzleTable[], enums: Iterable<DrizzleEnum> = []): ContributionFn {
  // The model replays a contribution on every rebuild: an iterator (a Map's values()) would be empty the second time.
  const enumList = [...enums];
  const apply: ContributionFn = (schema: MutableSchema, out, ref) => {
    for (const e of enumList) {
      const key = tableKey(e.name, e.schema);
      // The migrations' version stays reachable: enum checks compare the pgEnum array with it.
      const before = schema.enums.get(key);
      const migrated = before?.front === 'drizzle' ? before.migrated : before;
      schema.setEnum(key, { name: e.name, schema: e.schema, values: e.values.map((v) => ({ label: v.label, source: ref(v.span) })), created: ref(e.span), front: 'drizzle', migrated });
      out.touched.add(enumTouchKey(key));
    }
    tables.forEach((t, i) => {
      const key = tableKey(t.name, t.schema);
      const model = emptyTable(t.name, t.schema);
      model.created = ref(t.span);
      model.nameSpan = ref(t.nameSpan);
      for (const c of t.columns) {
        model.columns.set(c.dbName, { name: c.dbName, type: c.type, notNull: c.notNull, defaultExpr: c.defaultExpr, identity: c.identity, generated: c.generated, source: ref(c.span) });
        // A pgEnum column: the enum's file lists the columns using it (enum-pitfalls).
        const typeKey = columnTypeTouchKey(c.type);
        if (typeKey) out.touched.add(typeKey);
        if (c.primaryKey) model.primaryKey = { columns: [c.dbName], source: ref(c.span) };
        // id-column-without-fk's REFERENCES suggestion depends on whether these tables exist.
        else for (const name of guessedTargetTables(c.dbName)) out.touched.add(tableKey(name));
        if (c.unique) model.uniques.push({ columns: [c.dbName], source: ref(c.span) });
      }
      if (t.primaryKey) model.primaryKey = { columns: t.primaryKey.columns, source: ref(t.primaryKey.span) };
      for (const u of t.uniques) model.uniques.push({ name: u.name, columns: u.columns, source: ref(u.span) });
      for (const f of t.foreignKeys) {
        model.foreignKeys.push({ columns: f.columns, refTable: f.refTable, refColumns: f.refColumns, onDelete: f.onDelete, onDeleteExplicit: f.onDeleteExplicit, validated: true, source: ref(f.span) });
        if (f.refTable) out.touched.add(tableKey(f.refTable));
      }
      for (const x of t.indexes) {
        model.indexes.push({ name: x.name, table: t.name, columns: x.columns, method: x.method, unique: x.unique, where: x.where, concurrently: x.concurrently, source: ref(x.span) });
        // As for CREATE UNIQUE INDEX in SQL: a unique index enforces uniqueness like a constraint.
        if (x.unique) model.uniques.push({ name: x.name, columns: x.columns, where: x.where, source: ref(x.span) });
      }
      for (const c of t.checks) model.checks.push({ name: c.name, expr: c.expr, columns: checkColumns(c.expr, t), validated: true, source: ref(c.span) });
      // Where a policy is written goes in its source ref only, which a kept schema moves (model/kept-contribution.ts).
      for (const { span, ...policy } of t.policies) model.policies.push({ ...policy, source: ref(span) });
      model.rlsEnabled = t.rlsEnabled;
      const migrated = schema.tables.get(key);
      if (migrated) keepMigrationObjects(model, migrated);
      schema.setTable(key, model);
      out.newTables.set(key, i);
      out.touched.add(key);
    });
  };
  apply.shape = new DrizzleShape(tables, enumList);
  return apply;
}

/**
 * What the contribution declares, compared when the model considers keeping its schema through a
 * keystroke (model/kept-contribution.ts): the file shape the rules' reuse compares (file-rule-reuse.ts).
 */
class DrizzleShape implements ContributionShape {
  constructor(
    readonly tables: readonly DrizzleTable[],
    readonly enums: readonly DrizzleEnum[],
  ) {}

  sameAs(last: ContributionShape): boolean {
    return last instanceof DrizzleShape && sameShape(shapeOf(last.tables, last.enums), shapeOf(this.tables, this.enums));
  }

  spans(): Span[] {
    return contributionSpans(this.tables, this.enums);
  }
}

/**
 * The spans the contribution above passes to `ref`, in the same order: a keystroke that leaves the
 * file's shape as it was moves the refs of the last replay to these (model/kept-contribution.ts).
 */
export function contributionSpans(tables: readonly DrizzleTable[], enums: Iterable<DrizzleEnum> = []): Span[] {
  const out: Span[] = [];
  for (const e of enums) {
    for (const v of e.values) out.push(v.span);
    out.push(e.span);
  }
  for (const t of tables) {
    out.push(t.span, t.nameSpan);
    for (const c of t.columns) {
      out.push(c.span);
      if (c.primaryKey) out.push(c.span);
      if (c.unique) out.push(c.span);
    }
    if (t.primaryKey) out.push(t.primaryKey.span);
    for (const u of t.uniques) out.push(u.span);
    for (const f of t.foreignKeys) out.push(f.span);
    for (const x of t.indexes) {
      out.push(x.span);
      if (x.unique) out.push(x.span);
    }
    for (const c of t.checks) out.push(c.span);
    for (const p of t.policies) out.push(p.span);
  }
  return out;
}

const sameColumns = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((c, i) => c === b[i]);

/**
 * A table the SQL migrations also create (drizzle-kit generates them from the schema, and teams add
 * hand-written ones): the pgTable describes the columns and what Drizzle can express, and what only
 * the migrations declare still holds in the database: indexes built CONCURRENTLY in a custom
 * migration, RLS enabled or forced in SQL, triggers, grants, extra constraints and columns.
 */
function keepMigrationObjects(model: TableModel, migrated: TableModel): void {
  for (const [name, c] of migrated.columns) if (!model.columns.has(name)) model.columns.set(name, c);
  model.primaryKey ??= migrated.primaryKey;
  for (const u of migrated.uniques) if (!model.uniques.some((x) => (u.name && x.name === u.name) || sameColumns(x.columns, u.columns))) model.uniques.push(u);
  for (const i of migrated.indexes) if (!model.indexes.some((x) => (i.name && x.name === i.name) || (sameColumns(x.columns, i.columns) && x.where === i.where && x.method === i.method))) model.indexes.push(i);
  for (const f of migrated.foreignKeys) if (!model.foreignKeys.some((x) => sameColumns(x.columns, f.columns) && x.refTable === f.refTable)) model.foreignKeys.push(f);
  for (const c of migrated.checks) if (!c.name || !model.checks.some((x) => x.name === c.name)) model.checks.push(c);
  for (const p of migrated.policies) if (!model.policies.some((x) => x.name === p.name)) model.policies.push(p);
  model.triggers.push(...migrated.triggers);
  model.grants.push(...migrated.grants);
  model.rlsEnabled ||= migrated.rlsEnabled;
  model.rlsForced ||= migrated.rlsForced;
  model.partitionBy ??= migrated.partitionBy;
  model.partitionOf ??= migrated.partitionOf;
}
