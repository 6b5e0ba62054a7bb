import type { Plan, PlanNode } from '../plan-model';
import { createIndexFix, indexColumnsFor, sortColumns } from './index-fix';
import { tableBelow } from './types';

/** The most useful one-line fix for a node that is slow for no more specific reason. */
export function fixForNode(node: PlanNode, plan?: Plan): string {
  const filter = node.raw.Filter as string | undefined;
  if (node.indexName && !filter) {
    return `${node.indexName} already serves this lookup; the time is in how often it runs and how many rows it returns.`;
  }
  if (node.relationName) {
    const fix = createIndexFix(node.relationName, indexColumnsFor(filter), plan?.existingIndexes);
    if (fix) return fix;
  }
  if (node.nodeType === 'Sort' || node.nodeType === 'Incremental Sort') {
    const scan = tableBelow(node);
    const fix = scan?.relationName && createIndexFix(scan.relationName, [
      ...indexColumnsFor(scan.raw.Filter as string | undefined),
      ...sortColumns(node.raw['Sort Key']),
    ], plan?.existingIndexes);
    if (fix) return fix;
  }
  if (node.nodeType === 'Bitmap Index Scan' && node.indexName) {
    return `${node.indexName} already serves this lookup; the time is in how many rows it matches.`;
  }
  if (node.nodeType === 'Gather' || node.nodeType === 'Gather Merge') {
    return 'Worker start-up and row transfer dominate: make the scans below cheaper (an index), or SET max_parallel_workers_per_gather = 0 for this short query.';
  }
  if (node.relationName) return `Read fewer rows from ${node.relationName}: add a selective WHERE condition or LIMIT.`;
  return `Look at what feeds this ${node.nodeType}: it is where the time goes.`;
}
