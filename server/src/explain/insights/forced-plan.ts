import { nodeLabel } from '../plan-model';
import type { Finding, Insight } from './types';

const DISABLED_COST = 1e10;

/** Plans bent by `enable_* = off` settings or disabled node types: fine for a test, costly in production. */
export const forcedPlan: Insight = (plan) => {
  const findings: Finding[] = [];
  const switches = Object.entries(plan.settings).filter(([name, value]) => name.startsWith('enable_') && value === 'off');
  const disabled = plan.nodes.filter((n) => n.disabled || (plan.nodes.length > 0 && n.totalCost >= DISABLED_COST && !n.children.some((c) => c.totalCost >= DISABLED_COST)));
  if (switches.length || disabled.length) {
    const node = disabled[0];
    findings.push({
      id: 'forced-plan',
      severity: 'warning',
      // Nothing to measure: the planner was overruled, so the whole plan is in question.
      share: switches.length ? 1 : 0.5,
      nodeId: node?.id,
      title: switches.length
        ? `Plan forced by ${switches.map(([n, v]) => `${n}=${v}`).join(', ')}`
        : `${nodeLabel(node)} was chosen although its node type is disabled`,
      detail: 'A plan that only exists because a planner method is switched off hides the real plan production will use.',
      fix: switches.length ? `RESET ${switches[0][0]}; -- and remove it from the role or session defaults` : 'Find where enable_* is switched off (ALTER ROLE/DATABASE ... SET) and RESET it.',
    });
  }
  return findings;
};
