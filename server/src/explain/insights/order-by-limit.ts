/**
 * "Wrong index for ORDER BY + LIMIT", in its two shapes:
 * - the planner walks an index in ORDER BY order and filters row after row, betting that matching rows
 *   come early; when they are rare or sit at the other end, it reads the whole index (a classic incident:
 *   fast in the demo, 100 ms+ in production);
 * - an index finds the rows, then all of them are sorted to keep the first few, where an index with the
 *   equality columns followed by the ORDER BY columns would return them in order and stop.
 */
import { nodeLabel, type Plan, type PlanNode } from '../plan-model';
import { createIndexFix, filterColumns, sortColumns } from './index-fix';
import { fmtInt, fmtPct, inclusiveShare, type Finding, type Insight } from './types';

/** Nodes a Limit's rows pass through unchanged in order. */
const PASS_THROUGH = new Set(['Gather Merge', 'Result', 'Subquery Scan']);

function limitAbove(plan: Plan, node: PlanNode): PlanNode | undefined {
  for (let id = node.parentId; id !== undefined; id = plan.nodes[id].parentId) {
    const above = plan.nodes[id];
    if (above.nodeType === 'Limit') return above;
    if (!PASS_THROUGH.has(above.nodeType)) return undefined;
  }
  return undefined;
}

/** An index scan feeding a Limit directly, with a Filter: the index is read for its order. */
export function walksIndexForOrder(plan: Plan, node: PlanNode): boolean {
  return (node.nodeType === 'Index Scan' || node.nodeType === 'Index Only Scan')
    && !!node.relationName && !!node.indexName && typeof node.raw.Filter === 'string' && !!limitAbove(plan, node);
}

/** The scanned index's key columns after those pinned by `=` in the Index Cond: the order it delivers. */
function orderColumns(plan: Plan, node: PlanNode): string[] | undefined {
  const index = plan.existingIndexes?.find((i) => i.name === node.indexName && i.table === node.relationName);
  if (!index) return undefined;
  const pinned = new Set(filterColumns(node.raw['Index Cond'] as string | undefined).equality);
  return index.columns.filter((c) => !pinned.has(c.replace(/\s.*$/, '').replace(/"/g, '')));
}

function indexWalkFinding(plan: Plan, node: PlanNode, limit: PlanNode): Finding | undefined {
  const filter = node.raw.Filter as string;
  const table = node.relationName!;
  let removed: number;
  let read: number;
  if (plan.analyzed) {
    removed = node.rowsRemovedByFilter ?? 0;
    read = removed + (node.actualRows ?? 0);
    // The same bar as index-scan-filters-rows, which leaves these scans to this insight.
    if (removed < 1000 || removed < 0.5 * read) return undefined;
  } else {
    // Estimated: flag only a bet on rare rows (the filter keeps <= 1 % of the table).
    const tableRows = plan.tableRows?.[table];
    if (!tableRows || node.planRows > 0.01 * tableRows) return undefined;
    read = tableRows;
    removed = tableRows - node.planRows;
  }
  const equality = [
    ...filterColumns(node.raw['Index Cond'] as string | undefined).equality,
    ...filterColumns(filter).equality,
  ];
  const order = orderColumns(plan, node);
  let fix: string | undefined;
  if (order?.length && equality.length) fix = createIndexFix(table, [...equality, ...order], plan.existingIndexes);
  else if (order?.length && !/\$\d/.test(filter)) {
    fix = `CREATE INDEX CONCURRENTLY ${table}_${order.map((c) => c.replace(/\s.*$/, '')).join('_')}_partial_idx ON ${table} (${order.join(', ')}) WHERE ${filter};`;
  }
  const direction = node.raw['Scan Direction'] === 'Backward' ? ' backwards' : '';
  return {
    id: 'order-by-limit-wrong-index',
    severity: !plan.analyzed || removed < 0.9 * read ? 'info' : removed >= 100_000 ? 'error' : 'warning',
    share: inclusiveShare(plan, limit),
    nodeId: node.id,
    title: plan.analyzed
      ? `${nodeLabel(node)} walks the index${direction} for the ORDER BY and discards ${fmtInt(removed)} rows (${fmtPct(removed / Math.max(1, read))}) to return ${fmtInt(node.actualRows ?? 0)}`
      : `${nodeLabel(node)} walks the index for the ORDER BY + LIMIT and bets that ${filter} matches early`,
    detail: `${node.indexName} gives the order but not the rows: every row is fetched and checked against ${filter}. `
      + 'When matching rows are rare or all at the far end of the order, the LIMIT never stops early and the whole index is read.',
    fix: fix ?? `Create an index on ${table} with the equality columns of ${filter} first, then the columns of ${node.indexName}.`,
  };
}

/** Index lookup, then a Sort of everything it found, to keep a few rows. */
function sortAfterIndexFinding(plan: Plan, limit: PlanNode, sort: PlanNode): Finding | undefined {
  const input = sort.children[0];
  if (!input?.relationName || !/^(Index Scan|Index Only Scan|Bitmap Heap Scan)$/.test(input.nodeType)) return undefined;
  const sorted = plan.analyzed ? input.actualRows ?? 0 : input.planRows;
  const kept = plan.analyzed ? limit.actualRows ?? 0 : limit.planRows;
  if (sorted < 1000 || sorted < 20 * Math.max(1, kept)) return undefined;
  const cond = (input.raw['Index Cond'] as string | undefined) ?? (input.raw['Recheck Cond'] as string | undefined);
  const found = filterColumns(cond);
  const filtered = filterColumns(input.raw.Filter as string | undefined);
  // Only `=` keeps index order within the matched rows; a range or OR in front of the sort key breaks it.
  if (!found.equality.length || found.range.length || found.hasOr || filtered.hasOr || filtered.range.length) return undefined;
  const keys = sortColumns(sort.raw['Sort Key']);
  if (!keys.length) return undefined;
  const fix = createIndexFix(input.relationName, [...found.equality, ...filtered.equality, ...keys], plan.existingIndexes);
  if (!fix) return undefined;
  return {
    id: 'order-by-limit-sorts-all',
    severity: sorted >= 10_000 ? 'warning' : 'info',
    share: inclusiveShare(plan, limit),
    nodeId: sort.id,
    title: `Sort orders all ${fmtInt(sorted)} rows found by ${nodeLabel(input)} to keep ${fmtInt(kept)}`,
    detail: `The index finds the rows by ${cond} but not in ${keys.join(', ')} order, so every match is read and sorted before the LIMIT; the cost grows with the matches, not with the page size.`,
    fix,
  };
}

export const orderByLimit: Insight = (plan) => {
  const findings: Finding[] = [];
  for (const node of plan.nodes) {
    if (walksIndexForOrder(plan, node)) {
      const finding = indexWalkFinding(plan, node, limitAbove(plan, node)!);
      if (finding) findings.push(finding);
    }
    if (node.nodeType === 'Sort' && node.parentId !== undefined && plan.nodes[node.parentId].nodeType === 'Limit') {
      const finding = sortAfterIndexFinding(plan, plan.nodes[node.parentId], node);
      if (finding) findings.push(finding);
    }
  }
  return findings;
};
