import { nodeLabel, type Plan, type PlanNode } from '../plan-model';
import { cteScanWastes } from './cte-scan';
import { createIndexFix, indexColumnsFor, sortColumns } from './index-fix';
import { fmtInt, inclusiveShare, tableBelow, type Finding, type Insight } from './types';

const BLOCK_KB = 8;

/** A `SET work_mem` big enough for the spilled data, rounded up to a power of two megabytes. */
export function workMemFix(kilobytes: number, what: string): string {
  const mb = Math.max(4, 2 ** Math.ceil(Math.log2(Math.max(1, (kilobytes * 2) / 1024))));
  return `SET LOCAL work_mem = '${mb}MB'; -- before this ${what} only, in its transaction`;
}

function sortFix(plan: Plan, node: PlanNode, spilledKb: number): string {
  const scan = tableBelow(node);
  const keys = sortColumns(node.raw['Sort Key']);
  if (scan?.relationName && keys.length) {
    const fix = createIndexFix(scan.relationName, [...indexColumnsFor(scan.raw.Filter as string | undefined), ...keys], plan.existingIndexes);
    if (fix) return fix;
  }
  return workMemFix(spilledKb, 'query');
}

/** Sorts and hashes that did not fit in work_mem, and any other node writing temp files. */
export const spills: Insight = (plan) => {
  const findings: Finding[] = [];
  for (const node of plan.nodes) {
    const tempKb = node.buffers.tempWritten * BLOCK_KB;
    const share = inclusiveShare(plan, node);
    if (node.nodeType === 'Sort' && (node.raw['Sort Space Type'] === 'Disk' || /external/.test(String(node.raw['Sort Method'] ?? '')))) {
      const kb = Number(node.raw['Sort Space Used'] ?? tempKb);
      findings.push({
        id: 'sort-spilled-to-disk',
        severity: 'warning',
        share,
        nodeId: node.id,
        title: `Sort spilled ${fmtInt(kb)} kB to disk (${String(node.raw['Sort Method'])})`,
        detail: `Sorting by ${sortColumns(node.raw['Sort Key']).join(', ') || 'its key'} did not fit in work_mem, so it wrote temporary files and merged them.`,
        fix: sortFix(plan, node, kb),
      });
    } else if (node.nodeType === 'Hash' && Number(node.raw['Hash Batches'] ?? 1) > 1) {
      const batches = Number(node.raw['Hash Batches']);
      const kb = Number(node.raw['Peak Memory Usage'] ?? 0) * batches;
      const parent = node.parentId !== undefined ? plan.nodes[node.parentId] : node;
      findings.push({
        id: 'hash-batches',
        severity: 'warning',
        share: inclusiveShare(plan, parent),
        nodeId: node.id,
        title: `Hash built in ${batches} batches (did not fit in work_mem)`,
        detail: `The hash table for ${tableBelow(node)?.relationName ?? 'the inner side'} was split into ${batches} batches written to temporary files.`,
        fix: workMemFix(kb, 'hash join'),
      });
    } else if (tempKb > 0 && node.nodeType !== 'Hash Join' && !node.children.some((c) => c.buffers.tempWritten > 0) && !cteScanWastes(plan, node)) {
      findings.push({
        id: 'temp-blocks-written',
        severity: 'info',
        share,
        nodeId: node.id,
        title: `${nodeLabel(node)} wrote ${fmtInt(tempKb)} kB of temporary files`,
        detail: 'Temporary files mean the node ran out of work_mem; the disk round trip is what makes it slow.',
        fix: workMemFix(tempKb, node.nodeType),
      });
    }
  }
  return findings;
};
