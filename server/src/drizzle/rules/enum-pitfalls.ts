// enum-pitfalls on Drizzle: a pgEnum array compared with the enum the SQL migrations leave. Editing
// the array is how Drizzle users change an enum, and drizzle-kit turns the edit into SQL: an
// ADD VALUE (BEFORE the next label when the new one is not last) for a new label, and a full
// recreate of the type (columns to text and back) for a removed, renamed or reordered one.
import sqlRule from '../../rules/enum-pitfalls';
import type { Span } from '../../engine/types';
import type { EnumModel } from '../../model/schema';
import { tableKey } from '../../model/schema-builder';
import { defineDrizzleCheck, type DrizzleCheckContext } from '../check';
import type { DrizzleEnum, DrizzleEnumValue } from '../enums';
import { withTypeScript } from './shared';

const list = (labels: readonly string[]) => labels.map((l) => `'${l}'`).join(', ');

/** The enum as the SQL migrations declare it: the model's own, or the one a pgEnum replaced. */
function migratedEnum(context: DrizzleCheckContext, key: string): EnumModel | undefined {
  const e = context.schema?.enumType(key);
  const sql = e?.front === 'drizzle' ? e.migrated : e;
  // An enum only altered here (never created) has an unknown start: nothing to compare.
  return sql?.created ? sql : undefined;
}

/** Type name -> `table.column` of every column of the workspace and of this file, built once per check run. */
function columnsByType(context: DrizzleCheckContext): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (type: string, col: string) => {
    const list = out.get(type) ?? out.set(type, []).get(type)!;
    if (!list.includes(col)) list.push(col);
  };
  for (const t of context.schema?.tables.values() ?? []) for (const c of t.columns.values()) add(c.type.name.toLowerCase(), `${t.name}.${c.name}`);
  for (const t of context.analysis.tables) for (const c of t.columns) add(c.type.name.toLowerCase(), `${t.name}.${c.dbName}`);
  return out;
}

interface Diff {
  removed: string[];
  added: DrizzleEnumValue[];
  renamed: Array<{ old: string; now: DrizzleEnumValue }>;
  /** First label of the array whose place among the kept labels differs from the migrations. */
  reordered?: DrizzleEnumValue;
}

/**
 * Labels removed, added, renamed (a removed and an added label between the same kept neighbours)
 * and reordered, from the migrations' `old` labels to the array's `now`.
 */
export function diffEnum(old: readonly string[], now: readonly DrizzleEnumValue[]): Diff {
  const nowLabels = new Set(now.map((v) => v.label));
  const oldLabels = new Set(old);
  const keptOld = old.filter((l) => nowLabels.has(l));
  const keptNow = now.filter((v) => oldLabels.has(v.label));
  const firstMoved = keptNow.findIndex((v, i) => v.label !== keptOld[i]);
  const diff: Diff = { removed: [], added: [], renamed: [], reordered: firstMoved >= 0 ? keptNow[firstMoved] : undefined };
  // Walk the gaps between kept labels (in order, when not reordered): a gap that lost as many labels as it gained renamed them.
  const gaps = (labels: readonly string[]) => {
    const out: string[][] = [[]];
    for (const l of labels) if (oldLabels.has(l) && nowLabels.has(l)) out.push([]);
    else out[out.length - 1].push(l);
    return out;
  };
  const oldGaps = gaps(old);
  const nowGaps = gaps(now.map((v) => v.label));
  const byLabel = new Map(now.map((v) => [v.label, v]));
  oldGaps.forEach((lost, i) => {
    const gained = (nowGaps[i] ?? []).map((l) => byLabel.get(l)!);
    if (!diff.reordered && lost.length > 0 && lost.length === gained.length) {
      lost.forEach((l, k) => diff.renamed.push({ old: l, now: gained[k] }));
      return;
    }
    diff.removed.push(...lost);
    diff.added.push(...gained);
  });
  return diff;
}

/**
 * `.default('x')` on a column of the enum, in this file or in another Drizzle schema file of the
 * workspace (one importing the pgEnum): drizzle-kit generates one migration from the whole schema,
 * so the default lands in the same migration as the ADD VALUE.
 */
function defaultsTo(context: DrizzleCheckContext, key: string, label: string): string | undefined {
  const { analysis } = context;
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const literal = new RegExp(`\\.default\\(\\s*(['"\`])${escaped}\\1\\s*\\)`);
  for (const t of analysis.tables) {
    for (const c of t.columns) if (c.type.name === key && literal.test(analysis.text.slice(c.span.start, c.span.end))) return `${t.name}.${c.dbName}`;
  }
  const written = new RegExp(`^\\s*(['"\`])${escaped}\\1\\s*$`);
  for (const t of context.schema?.tables.values() ?? []) {
    for (const c of t.columns.values()) {
      if (c.type.name === key && c.source?.file !== analysis.path && /\.[mc]?tsx?$/.test(c.source?.file ?? '') && written.test(c.defaultExpr ?? '')) return `${t.name}.${c.name}`;
    }
  }
  return undefined;
}

function checkEnum(context: DrizzleCheckContext, d: DrizzleEnum, columnsOf: () => Map<string, string[]>): void {
  const key = tableKey(d.name, d.schema);
  const migrated = migratedEnum(context, key);
  if (!migrated) return;
  const old = migrated.values.map((v) => v.label);
  const diff = diffEnum(old, d.values);
  const type = d.schema ? `${d.schema}.${d.name}` : d.name;
  const cols = columnsOf().get(key.toLowerCase()) ?? [];
  const columns = cols.length ? cols.join(', ') : 'none yet';
  const declared = list(old);
  const report = (messageId: string, span: Span, severity: 'error' | 'warning' | 'info', data: Record<string, string>) =>
    context.report({ messageId, span, severity, data: { type, columns, declared, ...data } });
  for (const r of diff.renamed) report('tsRenamed', r.now.span, 'warning', { old: r.old, new: r.now.label });
  for (const value of diff.removed) report('tsRemoved', d.nameSpan, 'warning', { value });
  if (diff.reordered) report('tsReordered', diff.reordered.span, 'warning', { value: diff.reordered.label });
  // With a label removed, renamed or moved, drizzle-kit recreates the type with every label: no ADD VALUE, no 55P04.
  if (diff.removed.length || diff.renamed.length || diff.reordered) return;
  for (const v of diff.added) {
    const column = defaultsTo(context, key, v.label);
    if (column) {
      report('tsDefaultUse', v.span, 'error', { value: v.label, column });
      continue;
    }
    const next = d.values[d.values.indexOf(v) + 1];
    if (next) report('tsInserted', v.span, 'info', { value: v.label, next: next.label });
  }
}

export default defineDrizzleCheck({
  meta: withTypeScript(
    sqlRule.meta,
    {
      tsInserted:
        "'{{value}}' is new in pgEnum {{type}} (the migrations declare {{declared}}) and not last: drizzle-kit generates ALTER TYPE {{type}} ADD VALUE '{{value}}' BEFORE '{{next}}', so it sorts before '{{next}}' and ORDER BY or range comparisons on {{columns}} (such as < '{{next}}') now include it. drizzle-kit migrate runs all pending migrations in one transaction: one in the same run that writes '{{value}}', defaults to it or indexes it fails with \"unsafe use of new value\" (55P04). Deploy the ADD VALUE on its own first; for states that change often a text column with a CHECK avoids ALTER TYPE.",
      tsDefaultUse:
        "'{{value}}' is new in pgEnum {{type}} and {{column}} defaults to it: drizzle-kit generate writes the ADD VALUE and the default into one migration, and drizzle-kit migrate runs it in one transaction, so the deploy fails with \"unsafe use of new value\" (55P04). Generate and deploy the new value first, then the default in a second migration.",
      tsRemoved:
        "'{{value}}' is gone from pgEnum {{type}}, but the migrations declare it ({{declared}}): PostgreSQL cannot drop an enum value, so drizzle-kit recreates the type: every column using it ({{columns}}) is converted to text and back, each a full table rewrite under an ACCESS EXCLUSIVE lock that blocks reads and writes, and the cast back fails (22P02) while any row still holds '{{value}}'. Move those rows to another value in an earlier migration, or keep '{{value}}' in the array and stop writing it.",
      tsRenamed:
        "'{{new}}' takes the place of '{{old}}' in pgEnum {{type}}: drizzle-kit diffs enum labels, so it sees '{{old}}' removed and recreates the type: every column using it ({{columns}}) is rewritten under ACCESS EXCLUSIVE, and the cast back fails (22P02) on every row still holding '{{old}}'. For a rename, write ALTER TYPE {{type}} RENAME VALUE '{{old}}' TO '{{new}}' in a custom migration (drizzle-kit generate --custom), which keeps the rows, and deploy code that no longer writes '{{old}}' with it.",
      tsReordered:
        "pgEnum {{type}} puts '{{value}}' in another place than the migrations ({{declared}}): enum order is sort order, and PostgreSQL cannot reorder labels, so drizzle-kit recreates the type for it: every column using it ({{columns}}) is converted to text and back, each a full table rewrite under ACCESS EXCLUSIVE. Keep the migrations' order in the array unless the new sort order is worth the rewrite.",
    },
    {
      incorrect: [
        {
          language: 'typescript',
          code: "// The migrations declare CREATE TYPE payment_status AS ENUM ('pending', 'settled', 'refunded');\nimport { pgEnum } from 'drizzle-orm/pg-core';\nexport const paymentStatus = pgEnum('payment_status', ['pending', 'settled']);",
        },
      ],
      correct: [
        {
          language: 'typescript',
          code: "// The migrations declare CREATE TYPE payment_status AS ENUM ('pending', 'settled', 'refunded');\nimport { pgEnum } from 'drizzle-orm/pg-core';\nexport const paymentStatus = pgEnum('payment_status', ['pending', 'settled', 'refunded', 'chargeback']);",
        },
      ],
    },
  ),
  check(context) {
    let index: Map<string, string[]> | undefined;
    for (const d of context.analysis.scope.enumDecls.values()) checkEnum(context, d, () => (index ??= columnsByType(context)));
  },
});
