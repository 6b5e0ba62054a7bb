/**
 * CTE scans that throw most of the CTE away. Since PostgreSQL 12 a CTE used once is inlined, so a CTE Scan
 * means `AS MATERIALIZED`, several uses, or a data-modifying/volatile body: the whole result is computed
 * (and spilled to disk when large), then filtered without any index, because the filter cannot reach the
 * table inside.
 */
import type { Plan, PlanNode } from '../plan-model';
import { createIndexFix, filterColumns, findExistingIndex } from './index-fix';
import { fmtInt, fmtPct, inclusiveShare, tableBelow, type Finding, type Insight } from './types';

function waste(plan: Plan, scan: PlanNode, body: PlanNode | undefined): { removed: number; read: number } | undefined {
  if (scan.nodeType !== 'CTE Scan' || typeof scan.raw.Filter !== 'string') return undefined;
  if (plan.analyzed) {
    const removed = scan.rowsRemovedByFilter ?? 0;
    return { removed, read: removed + (scan.actualRows ?? 0) };
  }
  if (!body) return undefined;
  const read = body.planRows * Math.max(1, scan.loops ?? 1);
  return { removed: Math.max(0, read - scan.planRows), read };
}

function fixFor(plan: Plan, cte: string, uses: number, filter: string, table: string | undefined): string {
  const columns = filterColumns(filter);
  const keys = columns.hasOr ? [] : [...columns.equality, ...columns.range.slice(0, 1)];
  const index = table && keys.length ? findExistingIndex(table, keys, plan.existingIndexes) : undefined;
  const then = !table || !keys.length ? ''
    : index ? `, where ${index.name} on ${table} can find the rows`
      : `, then ${createIndexFix(table, keys, plan.existingIndexes)}`;
  if (uses === 1) {
    return `Write WITH ${cte} AS NOT MATERIALIZED (or drop MATERIALIZED) so ${filter} is applied inside it${table ? ` to ${table}` : ''}${then}`;
  }
  return `Move ${filter} into WITH ${cte}${table ? ` (it reads ${table})` : ''}, or use a subquery in each of its ${uses} uses so the filter reaches the table${then}`;
}

/** The CTE Scan throws most of its rows away (its spill, if any, is reported with it, not on its own). */
export function cteScanWastes(plan: Plan, scan: PlanNode): boolean {
  const info = waste(plan, scan, plan.nodes.find((n) => n.subplanName === `CTE ${scan.cteName}`));
  return !!info && info.removed >= 1000 && info.removed >= 0.5 * info.read;
}

export const cteScan: Insight = (plan) => {
  const findings: Finding[] = [];
  for (const scan of plan.nodes) {
    if (scan.nodeType !== 'CTE Scan' || !scan.cteName || typeof scan.raw.Filter !== 'string') continue;
    const filter = scan.raw.Filter;
    const body = plan.nodes.find((n) => n.subplanName === `CTE ${scan.cteName}`);
    const info = waste(plan, scan, body);
    if (!info || !cteScanWastes(plan, scan)) continue;
    const uses = plan.nodes.filter((n) => n.nodeType === 'CTE Scan' && n.cteName === scan.cteName).length;
    const table = body ? tableBelow(body)?.relationName : undefined;
    const spilled = scan.raw.Storage === 'Disk' ? ` It also wrote ${fmtInt(Number(scan.raw['Maximum Storage'] ?? 0))} kB of the CTE to disk.` : '';
    const loops = (scan.loops ?? 1) > 1 ? ` over ${fmtInt(scan.loops ?? 1)} loops` : '';
    findings.push({
      id: 'cte-scan-filters-rows',
      severity: info.removed / info.read >= 0.9 ? 'warning' : 'info',
      share: inclusiveShare(plan, scan),
      nodeId: scan.id,
      // Inlining the CTE is what saves the body's work too.
      relatedNodeIds: body ? [body.id] : undefined,
      title: `CTE Scan on ${scan.cteName} discards ${fmtInt(info.removed)} of ${fmtInt(info.read)} rows (${fmtPct(info.removed / Math.max(1, info.read))})${loops} with ${filter}`,
      detail: `The CTE is materialized${uses > 1 ? ` (used ${uses} times)` : ''}: all its rows are computed${table ? ` from ${table}` : ''} first, then filtered without an index.${spilled}`,
      fix: fixFor(plan, scan.cteName, uses, filter, table),
    });
  }
  return findings;
};
