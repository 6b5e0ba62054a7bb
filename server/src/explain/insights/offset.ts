import { sortColumns } from './index-fix';
import { fmtInt, inclusiveShare, tableBelow, type Insight } from './types';

/**
 * OFFSET is not printed in the plan; a Limit that returned far fewer rows than its input produced
 * skipped the rest, and every skipped row was read, sorted and thrown away.
 */
export const largeOffset: Insight = (plan) => {
  if (!plan.analyzed) return [];
  return plan.nodes.flatMap((node) => {
    const child = node.children[0];
    if (node.nodeType !== 'Limit' || !child || child.actualRows === undefined || node.actualRows === undefined) return [];
    const skipped = child.actualRows - node.actualRows;
    if (skipped < 1000 || child.actualRows < 10 * Math.max(1, node.actualRows)) return [];
    const sort = child.nodeType === 'Sort' ? child : undefined;
    const keys = sort ? sortColumns(sort.raw['Sort Key']) : [];
    const table = tableBelow(child)?.relationName ?? 'the table';
    const bare = keys.map((k) => k.replace(/\s.*$/, ''));
    // Keyset pagination continues after the last row seen: "after" means smaller for a descending order.
    const after = keys.length && keys.every((k) => /\sDESC/i.test(k)) ? '<' : '>';
    return [{
      id: 'large-offset',
      severity: skipped >= 100_000 ? 'error' : 'warning',
      share: inclusiveShare(plan, node),
      nodeId: node.id,
      title: `OFFSET skips about ${fmtInt(skipped)} rows to return ${fmtInt(node.actualRows)}`,
      detail: 'Every page reads all the rows before it, so deep pages get slower the further users scroll.',
      fix: bare.length
        ? `Paginate by key: WHERE (${bare.join(', ')}) ${after} ($last_${bare.join(', $last_')}) ORDER BY ${keys.join(', ')} LIMIT n, instead of OFFSET on ${table}.`
        : `Paginate by key (WHERE id > $last_id ORDER BY id LIMIT n) instead of OFFSET on ${table}.`,
    }];
  });
};
