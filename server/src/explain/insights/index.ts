/**
 * The registry of plan insights and their ranking: by share of time (or cost) at stake, so the hover
 * leads with what costs the most.
 */
import type { Plan } from '../plan-model';
import { forcedPlan } from './forced-plan';
import { heapAccess } from './heap-access';
import { nestedLoop } from './nested-loop';
import { largeOffset } from './offset';
import { overheads, triggers, workers } from './overheads';
import { rowEstimate } from './row-estimate';
import { scanFilters } from './scan-filters';
import { slowNode } from './slow-node';
import { spills } from './spills';
import type { Finding, Insight } from './types';

export type { Finding, Severity } from './types';

export const INSIGHTS: Record<string, Insight> = {
  slowNode, rowEstimate, scanFilters, spills, nestedLoop, largeOffset, heapAccess, overheads, workers, triggers, forcedPlan,
};

const SEVERITY_RANK = { error: 3, warning: 2, info: 1 } as const;

/** All findings, most money at stake first. A slow-node finding is dropped when a specific one explains the same node. */
export function analysePlan(plan: Plan): Finding[] {
  const all: Finding[] = [];
  for (const insight of Object.values(INSIGHTS)) {
    try {
      all.push(...insight(plan));
    } catch {
      // One family failing on an unusual plan must not take the hover down.
    }
  }
  const explained = new Set(all.filter((f) => f.id !== 'slow-node' && f.nodeId !== undefined).map((f) => f.nodeId));
  return all
    .filter((f) => f.id !== 'slow-node' || !explained.has(f.nodeId))
    .sort((a, b) => b.share - a.share || SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || (a.nodeId ?? -1) - (b.nodeId ?? -1) || a.id.localeCompare(b.id));
}
