/**
 * The registry of plan insights and their ranking: by share of time (or cost) at stake, so the hover
 * leads with what costs the most.
 */
import type { Plan } from '../plan-model';
import { cteScan } from './cte-scan';
import { forcedPlan } from './forced-plan';
import { heapAccess } from './heap-access';
import { nestedLoop } from './nested-loop';
import { largeOffset } from './offset';
import { orderByLimit } from './order-by-limit';
import { overheads, triggers, workers } from './overheads';
import { rowEstimate } from './row-estimate';
import { scanFilters } from './scan-filters';
import { slowNode } from './slow-node';
import { spills } from './spills';
import type { Finding, Insight } from './types';

export type { Finding, Severity } from './types';

export const INSIGHTS: Record<string, Insight> = {
  slowNode, rowEstimate, scanFilters, orderByLimit, cteScan, spills, nestedLoop, largeOffset, heapAccess, overheads, workers, triggers, forcedPlan,
};

const SEVERITY_RANK = { error: 3, warning: 2, info: 1 } as const;

/**
 * All findings, most money at stake first. Call after `ensureParserLoaded()` (fixes parse filter texts). A slow-node finding is dropped when a specific one explains the same node.
 */
export function analysePlan(plan: Plan): Finding[] {
  const all: Finding[] = [];
  for (const insight of Object.values(INSIGHTS)) {
    try {
      all.push(...insight(plan));
    } catch {
      // One family failing on an unusual plan must not take the hover down.
    }
  }
  // Generic "slow node" findings only add to specific ones when they point somewhere else.
  const specific = all.filter((f) => f.id !== 'slow-node');
  const covered = new Set<number>();
  for (const f of specific) {
    for (const root of [...(f.nodeId === undefined ? [] : [f.nodeId]), ...(f.relatedNodeIds ?? [])]) {
      for (const id of subtreeIds(plan, root)) covered.add(id);
    }
  }
  const kept = all.filter((f) => f.id !== 'slow-node' || (f.nodeId !== undefined && !covered.has(f.nodeId) && (specific.length === 0 || f.share >= 0.4)));
  // Findings about one node stay together, ranked by the largest share among them, so run-to-run timing
  // noise between two views of the same node (estimate vs. filter) cannot reorder the hover.
  const groupShare = new Map<number, number>();
  for (const f of kept) if (f.nodeId !== undefined) groupShare.set(f.nodeId, Math.max(groupShare.get(f.nodeId) ?? 0, f.share));
  const keyShare = (f: Finding) => (f.nodeId !== undefined ? groupShare.get(f.nodeId) ?? f.share : f.share);
  return kept.sort((a, b) =>
    bucket(keyShare(b)) - bucket(keyShare(a)) ||
    (a.nodeId ?? -1) - (b.nodeId ?? -1) ||
    SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
    b.share - a.share ||
    a.id.localeCompare(b.id));
}

function subtreeIds(plan: Plan, id: number): number[] {
  const node = plan.nodes[id];
  if (!node) return [];
  return [id, ...node.children.flatMap((c) => subtreeIds(plan, c.id))];
}

/**
 * Shares are compared in 5 % steps: two findings at 99 % and 100 % are equally urgent, and timing noise
 * between runs must not reorder them; severity decides within a step.
 */
function bucket(share: number): number {
  return Math.round(share * 20);
}
