import { createIndexFix, createStatisticsFix, filterColumns, indexColumnsFor } from './index-fix';
import { fmtInt, inclusiveShare, tableBelow, type Finding, type Insight } from './types';

const MANY_LOOPS = 1000;

/** Nested loops that run their inner side thousands of times, and join filters that waste rows. */
export const nestedLoop: Insight = (plan) => {
  const findings: Finding[] = [];
  for (const node of plan.nodes) {
    if (node.nodeType !== 'Nested Loop') continue;
    const [outer, inner] = node.children.filter((c) => c.parentRelationship === 'Outer' || c.parentRelationship === 'Inner');
    if (!outer || !inner) continue;
    const loops = plan.analyzed ? inner.loops ?? 0 : outer.planRows;
    const share = inclusiveShare(plan, node);
    const innerScan = tableBelow(inner);
    const outerScan = tableBelow(outer);
    if (loops >= MANY_LOOPS) {
      const outerFilter = outerScan?.raw.Filter as string | undefined;
      const outerCols = filterColumns(outerFilter);
      const underestimated = plan.analyzed && (outer.actualRows ?? 0) >= 10 * Math.max(1, outer.planRows);
      let fix: string | undefined;
      if (underestimated && outerScan?.relationName && outerCols.equality.length + outerCols.range.length >= 2) {
        fix = createStatisticsFix(outerScan.relationName, [...outerCols.equality, ...outerCols.range]);
      } else if (innerScan?.relationName && !innerScan.indexName) {
        fix = createIndexFix(innerScan.relationName, indexColumnsFor((node.raw['Join Filter'] as string | undefined) ?? (innerScan.raw.Filter as string | undefined)), plan.existingIndexes);
      }
      findings.push({
        id: 'nested-loop-many-loops',
        severity: loops >= 100 * MANY_LOOPS ? 'error' : 'warning',
        share,
        nodeId: node.id,
        title: `Nested Loop runs its inner ${innerScan?.relationName ? `scan of ${innerScan.relationName}` : 'side'} ${fmtInt(loops)} times`,
        detail: underestimated
          ? `The planner expected ${fmtInt(outer.planRows)} outer rows and got ${fmtInt(outer.actualRows ?? 0)}; a hash join would read ${innerScan?.relationName ?? 'the inner table'} once.`
          : `Each outer row from ${outerScan?.relationName ?? 'the outer side'} repeats the inner lookup; thousands of repeats add up.`,
        fix: fix ?? (outerScan?.relationName
          ? `ANALYZE ${outerScan.relationName}; -- so the planner sees how many rows the outer side returns`
          : 'Return fewer outer rows, or join with a set-based query instead of a per-row lookup.'),
      });
    }
    const wasted = node.rowsRemovedByJoinFilter ?? 0;
    if (plan.analyzed && wasted >= 10_000 && wasted > 10 * Math.max(1, node.actualRows ?? 0)) {
      findings.push({
        id: 'join-filter-waste',
        severity: 'warning',
        share,
        nodeId: node.id,
        title: `Join Filter discards ${fmtInt(wasted)} row pairs`,
        detail: `The join condition ${String(node.raw['Join Filter'])} is checked on every pair instead of being used to look rows up.`,
        fix: (innerScan?.relationName && createIndexFix(innerScan.relationName, indexColumnsFor(node.raw['Join Filter'] as string), plan.existingIndexes)) ||
          'Rewrite the condition as an equality the planner can use for a hash or index lookup.',
      });
    }
  }
  return findings;
};
