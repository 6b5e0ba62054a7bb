import { fmtInt, fmtPct, grade, type Finding, type Insight } from './types';

/** JIT compilation and planning time that dwarf the execution itself. */
export const overheads: Insight = (plan) => {
  const findings: Finding[] = [];
  const execution = plan.executionTime ?? 0;
  if (plan.jit && plan.analyzed && execution > 0) {
    const share = Math.min(1, plan.jit.totalTime / execution);
    const severity = grade(share, [0.1, 0.3, 0.6]);
    if (severity) {
      findings.push({
        id: 'jit-share',
        severity,
        share,
        title: `JIT compilation took ${fmtPct(share)} of the execution (${plan.jit.totalTime.toFixed(1)} ms)`,
        detail: `Compiling ${plan.jit.functions} functions costs more than it saves for a statement this short; it happens because the estimated cost is above jit_above_cost.`,
        fix: "SET jit = off; -- or raise jit_above_cost for this role: ALTER ROLE app SET jit_above_cost = 1000000;",
      });
    }
  }
  if (plan.planningTime !== undefined && plan.analyzed && plan.planningTime >= 1) {
    const share = plan.planningTime / (plan.planningTime + execution);
    const severity = grade(share, [0.3, 0.6, 0.9]);
    if (severity) {
      findings.push({
        id: 'planning-time-share',
        severity: severity === 'error' ? 'warning' : severity,
        share,
        title: `Planning took ${plan.planningTime.toFixed(1)} ms, ${fmtPct(share)} of the total`,
        detail: `The statement runs in ${execution.toFixed(1)} ms but is planned every time; many joins or partitions make planning expensive.`,
        fix: 'Use a prepared statement (named query in the driver) so the plan is reused across calls.',
      });
    }
  }
  return findings;
};

/** Parallel plans that got fewer workers than planned, so they ran slower than the plan assumed. */
export const workers: Insight = (plan) =>
  plan.nodes.flatMap((node) => {
    const planned = Number(node.raw['Workers Planned'] ?? 0);
    const launched = node.raw['Workers Launched'];
    if (typeof launched !== 'number' || launched >= planned) return [];
    return [{
      id: 'workers-not-launched',
      severity: launched === 0 ? 'warning' : 'info',
      share: plan.total > 0 ? Math.min(1, (node.totalTime ?? 0) / plan.total) * ((planned - launched) / (planned + 1)) : 0,
      nodeId: node.id,
      title: `${node.nodeType} launched ${launched} of ${planned} parallel workers`,
      detail: 'All worker slots were busy; the statement ran with less parallelism than planned.',
      fix: `Raise max_parallel_workers (and max_worker_processes) above ${fmtInt(planned)} times the number of concurrent parallel queries.`,
    }];
  });

/** Triggers and foreign-key checks (RI_ConstraintTrigger) that take a large part of a write. */
export const triggers: Insight = (plan) => {
  const total = plan.executionTime ?? 0;
  if (!plan.analyzed || total <= 0) return [];
  return plan.triggers.flatMap((trigger) => {
    const share = Math.min(1, trigger.time / total);
    const severity = grade(share, [0.1, 0.4, 0.9]);
    if (!severity) return [];
    const fk = /^RI_ConstraintTrigger/.test(trigger.name) || /_fkey$/.test(trigger.name);
    return [{
      id: fk ? 'slow-fk-check' : 'slow-trigger',
      severity,
      share,
      title: `${fk ? 'Foreign key check' : 'Trigger'} ${trigger.name}${trigger.relation ? ` on ${trigger.relation}` : ''} took ${fmtPct(share)} (${fmtInt(trigger.calls)} calls)`,
      detail: fk
        ? 'Each deleted or updated key looks up the referencing rows; without an index on the referencing column that is a scan per row.'
        : 'The trigger runs once per row and its work is part of every write.',
      fix: fk
        ? `CREATE INDEX CONCURRENTLY on the referencing column of ${trigger.name}${trigger.relation ? ` (table ${trigger.relation})` : ''};`
        : `Review ${trigger.name}: make it statement-level or move the work out of the write path.`,
    }];
  });
};
