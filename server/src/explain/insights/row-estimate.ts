import { nodeLabel, type Plan, type PlanNode } from '../plan-model';
import { createStatisticsFix, filterColumns } from './index-fix';
import { fmtInt, grade, inclusiveShare, type Insight } from './types';

/** How far the estimate is from reality for one loop (always >= 1, in either direction). */
export function estimateFactor(node: PlanNode): number | undefined {
  if (node.actualRows === undefined || !node.loops) return undefined;
  const actual = Math.max(1, node.actualRows / node.loops);
  const planned = Math.max(1, node.planRows);
  return Math.max(actual / planned, planned / actual);
}

const OFF = 10;

/**
 * Row estimates off by 10x/100x/1000x, reported once at the deepest node where the error starts:
 * an error below propagates to every parent, and only the origin can be fixed.
 */
export const rowEstimate: Insight = (plan) => {
  if (!plan.analyzed) return [];
  // Below a Limit, nodes stop early by design: fewer rows than estimated is not an estimate error there.
  const stoppedEarly = (n: PlanNode) => (n.actualRows ?? 0) / (n.loops || 1) < n.planRows && hasLimitAbove(plan, n);
  const off = (n: PlanNode) => (estimateFactor(n) ?? 1) >= OFF && !stoppedEarly(n) && (n.loops ?? 0) > 0;
  const origins = plan.nodes.filter((n) => off(n) && !n.children.some((c) => off(c) || hasOffDescendant(c, off)));
  return origins.flatMap((node) => {
    const factor = estimateFactor(node) ?? 1;
    const severity = grade(factor, [10, 100, 1000]);
    if (!severity) return [];
    // The damage is done where the wrong number chooses a plan: the parent join or aggregate.
    const parent = node.parentId !== undefined ? plan.nodes[node.parentId] : undefined;
    const share = inclusiveShare(plan, parent ?? node);
    const actual = (node.actualRows ?? 0) / (node.loops || 1);
    const under = actual > node.planRows;
    const filter = (node.raw.Filter as string | undefined) ?? (node.raw['Index Cond'] as string | undefined) ?? (node.raw['Recheck Cond'] as string | undefined);
    const { equality, range } = filterColumns(filter);
    const columns = [...equality, ...range];
    const table = node.relationName;
    const fix = table && columns.length >= 2
      ? createStatisticsFix(table, columns)
      : table
        ? `ANALYZE ${table};${columns.length ? ` ALTER TABLE ${table} ALTER COLUMN ${columns[0]} SET STATISTICS 1000;` : ''}`
        : 'Fix the estimate at the scans below this node (ANALYZE the tables, CREATE STATISTICS for correlated columns).';
    const why = columns.length >= 2
      ? ` The planner multiplies the selectivities of ${columns.join(', ')} as if they were independent.`
      : '';
    return [{
      id: 'row-estimate-off',
      severity,
      share,
      nodeId: node.id,
      title: `${nodeLabel(node)}: estimated ${fmtInt(node.planRows)} rows, got ${fmtInt(actual)} (${fmtInt(factor)}x ${under ? 'under' : 'over'})`,
      detail: `Every node above this one plans with the wrong row count, which picks nested loops or hash sizes that cost time.${why}`,
      fix,
    }];
  });
};

function hasOffDescendant(node: PlanNode, off: (n: PlanNode) => boolean): boolean {
  return node.children.some((c) => off(c) || hasOffDescendant(c, off));
}

/** A Limit above that got all the rows it wanted, and so stopped the nodes below it early. */
function hasLimitAbove(plan: Plan, node: PlanNode): boolean {
  for (let id = node.parentId; id !== undefined; id = plan.nodes[id].parentId) {
    const limit = plan.nodes[id];
    // A Limit that returned fewer rows than planned drained its input: the counts below are complete.
    if (limit.nodeType === 'Limit') return (limit.actualRows ?? 0) / (limit.loops || 1) >= limit.planRows;
  }
  return false;
}
