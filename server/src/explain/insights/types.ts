import type { Plan, PlanNode } from '../plan-model';

export type Severity = 'info' | 'warning' | 'error';

export interface Finding {
  /** Kebab-case family id, e.g. `seq-scan-discards-rows`. */
  id: string;
  severity: Severity;
  /** The part of the statement's time (or cost, when there is no timing) at stake, 0..1. */
  share: number;
  /** The plan node the finding is about (`PlanNode.id`). */
  nodeId?: number;
  /** Other nodes whose work this finding explains (a CTE's body), so no generic slow-node finding repeats them. */
  relatedNodeIds?: number[];
  title: string;
  detail: string;
  /** One line: usually the index or statistics to create, naming the table and columns. */
  fix: string;
}

/** One family of findings; pure, plan in, findings out. */
export type Insight = (plan: Plan) => Finding[];

/** Severity from thresholds: below `info` nothing, then info / warning / error. */
export function grade(value: number, [info, warning, error]: [number, number, number]): Severity | undefined {
  if (value >= error) return 'error';
  if (value >= warning) return 'warning';
  if (value >= info) return 'info';
  return undefined;
}

/** Inclusive time of the node when analyzed, else its cost, as a share of the statement. */
export function inclusiveShare(plan: Plan, node: PlanNode): number {
  if (plan.total <= 0) return 0;
  const part = plan.analyzed ? node.totalTime ?? 0 : node.totalCost;
  return Math.max(0, Math.min(1, part / plan.total));
}

export const fmtInt = (n: number): string => Math.round(n).toLocaleString('en-US');
export const fmtPct = (share: number): string => `${Math.round(share * 100)}%`;

/** The table a node reads, walking down single-child nodes (Sort over a scan, Hash over a scan). */
export function tableBelow(node: PlanNode): PlanNode | undefined {
  let current: PlanNode | undefined = node;
  while (current) {
    if (current.relationName) return current;
    const real: PlanNode[] = current.children.filter((c) => c.parentRelationship !== 'InitPlan' && c.parentRelationship !== 'SubPlan');
    current = real.length === 1 ? real[0] : undefined;
  }
  return undefined;
}
