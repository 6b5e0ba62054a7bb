import { nodeLabel } from '../plan-model';
import { workMemFix } from './spills';
import { fmtInt, fmtPct, inclusiveShare, type Finding, type Insight } from './types';

/** Index-only scans that still visit the heap, and bitmaps that degraded to whole pages. */
export const heapAccess: Insight = (plan) => {
  const findings: Finding[] = [];
  for (const node of plan.nodes) {
    if (node.nodeType === 'Index Only Scan' && node.heapFetches !== undefined && node.relationName) {
      const rows = Math.max(1, node.actualRows ?? 0);
      const fraction = node.heapFetches / rows;
      if (node.heapFetches >= 100 && fraction >= 0.1) {
        findings.push({
          id: 'index-only-heap-fetches',
          severity: fraction >= 0.5 ? 'warning' : 'info',
          share: inclusiveShare(plan, node),
          nodeId: node.id,
          title: `${nodeLabel(node)} went to the table for ${fmtInt(node.heapFetches)} rows (${fmtPct(Math.min(1, fraction))})`,
          detail: `The visibility map of ${node.relationName} is out of date, so the "index-only" scan reads table pages anyway.`,
          fix: `VACUUM (ANALYZE) ${node.relationName}; -- and check autovacuum keeps up on it`,
        });
      }
    }
    if (node.nodeType === 'Bitmap Heap Scan' && (node.lossyHeapBlocks ?? 0) > 0) {
      const lossy = node.lossyHeapBlocks ?? 0;
      const total = lossy + (node.exactHeapBlocks ?? 0);
      findings.push({
        id: 'lossy-bitmap',
        severity: lossy / total >= 0.5 ? 'warning' : 'info',
        share: inclusiveShare(plan, node),
        nodeId: node.id,
        title: `Bitmap on ${node.relationName ?? 'the table'} went lossy for ${fmtInt(lossy)} of ${fmtInt(total)} pages`,
        detail: `The bitmap did not fit in work_mem, so every row on those pages is rechecked (${fmtInt(node.rowsRemovedByIndexRecheck ?? 0)} rows removed by recheck).`,
        fix: workMemFix((total * 64) / 1024 + 1024, 'bitmap scan'),
      });
    }
  }
  return findings;
};
