import { nodeLabel, type PlanNode } from '../plan-model';
import { createIndexFix, indexColumnsFor, sortColumns } from './index-fix';
import { walksIndexForOrder } from './order-by-limit';
import { fmtInt, fmtPct, grade, inclusiveShare, type Finding, type Insight } from './types';
import type { Plan } from '../plan-model';

/** Rows read and thrown away by a Filter, as a fraction of the rows the node read (per whole run). */
function discarded(plan: Plan, node: PlanNode): { fraction: number; removed: number; read: number } | undefined {
  if (!node.raw.Filter) return undefined;
  if (plan.analyzed) {
    const removed = node.rowsRemovedByFilter ?? 0;
    const read = removed + (node.actualRows ?? 0);
    return read > 0 ? { fraction: removed / read, removed, read } : undefined;
  }
  // Without ANALYZE, compare the estimate with the table's size from pg_class.
  const tableRows = node.relationName ? plan.tableRows?.[node.relationName] : undefined;
  if (!tableRows || node.nodeType !== 'Seq Scan') return undefined;
  return { fraction: Math.max(0, 1 - node.planRows / tableRows), removed: tableRows - node.planRows, read: tableRows };
}

/** Seq scans that discard 50/90 % of the rows they read, and index scans that still filter most rows. */
export const scanFilters: Insight = (plan) => {
  const findings: Finding[] = [];
  for (const node of plan.nodes) {
    if (!node.relationName) continue;
    const info = discarded(plan, node);
    if (!info) continue;
    const filter = node.raw.Filter as string;
    if (node.nodeType === 'Seq Scan' || node.nodeType === 'Parallel Seq Scan') {
      const severity = grade(info.fraction, [0.5, 0.9, 0.99]);
      if (!severity) continue;
      findings.push({
        id: 'seq-scan-discards-rows',
        severity: severity === 'info' ? 'info' : 'warning',
        share: inclusiveShare(plan, node),
        nodeId: node.id,
        title: `Seq Scan on ${node.relationName} reads ${fmtInt(info.read)} rows and discards ${fmtPct(info.fraction)}`,
        detail: `Filter ${filter} keeps ${fmtInt(info.read - info.removed)} rows; every run reads the whole table, and the cost grows with it.`,
        fix: createIndexFix(node.relationName, indexColumnsFor(filter, sortKeysAbove(plan, node)), plan.existingIndexes) ?? orFix(filter, node.relationName),
      });
    } else if (/Index|Bitmap Heap/.test(node.nodeType) && plan.analyzed) {
      // An index walked for a LIMIT's order is order-by-limit's finding, with a fix that keeps the order.
      if (info.fraction < 0.5 || info.removed < 100 || walksIndexForOrder(plan, node)) continue;
      const cond = (node.raw['Index Cond'] as string | undefined) ?? (node.raw['Recheck Cond'] as string | undefined);
      const columns = [...indexColumnsFor(cond), ...indexColumnsFor(filter)];
      findings.push({
        id: 'index-scan-filters-rows',
        severity: info.fraction >= 0.9 ? 'warning' : 'info',
        share: inclusiveShare(plan, node),
        nodeId: node.id,
        title: `${nodeLabel(node)} fetches ${fmtInt(info.read)} rows, then discards ${fmtPct(info.fraction)} with a Filter`,
        detail: `The index finds rows by ${cond ?? 'its condition'} but ${filter} is checked on each fetched row.`,
        fix: createIndexFix(node.relationName, columns, plan.existingIndexes) ?? `Extend the index with the columns of ${filter}.`,
      });
    }
  }
  return findings;
};

function orFix(filter: string, table: string): string {
  if (/\$\d+ IS NULL\) OR/i.test(filter)) {
    return `Build the query without the "$n IS NULL OR ..." branches (one query per filter combination), so ${table} can use an index.`;
  }
  return `Rewrite the OR in ${filter} as a UNION of indexed lookups on ${table}, or index each branch's column.`;
}

/** The keys of a Sort directly above the scan (through Gather Merge): an index can deliver that order too. */
function sortKeysAbove(plan: Plan, node: PlanNode): string[] {
  for (let id = node.parentId; id !== undefined; id = plan.nodes[id].parentId) {
    const above = plan.nodes[id];
    if (above.nodeType === 'Sort') return sortColumns(above.raw['Sort Key']);
    if (above.nodeType !== 'Gather Merge' && above.nodeType !== 'Gather') return [];
  }
  return [];
}
