import { exclusiveShare, nodeLabel } from '../plan-model';
import { fixForNode } from './node-fix';
import { fmtPct, grade, type Insight } from './types';

const MIN_MS = 5;
const MIN_COST = 1000;

/** Nodes whose own work (children excluded) is 10/40/90 % of the statement. */
export const slowNode: Insight = (plan) => {
  // Splitting a statement that costs almost nothing into shares only produces noise.
  const trivial = plan.analyzed ? (plan.executionTime ?? 0) < MIN_MS : plan.root.totalCost < MIN_COST;
  if (trivial) return [];
  return plan.nodes.flatMap((node) => {
    const share = exclusiveShare(plan, node);
    const severity = grade(share, [0.1, 0.4, 0.9]);
    if (!severity || plan.nodes.length === 1) return [];
    const what = plan.analyzed ? 'time' : 'estimated cost';
    return [{
      id: 'slow-node',
      severity,
      share,
      nodeId: node.id,
      title: `${nodeLabel(node)} takes ${fmtPct(share)} of the ${what}`,
      detail: `This node's own work, without its inputs, is ${fmtPct(share)} of the statement's ${what}.`,
      fix: fixForNode(node, plan),
    }];
  });
};
