// LEDGERLINT_DEBUG_TIMING=1 also times each rule (its create and every visitor call, wall time)
// and prints the heaviest to stderr at the end of the run: the engine's dispatch stays free of
// timers, the rules handed to the project are wrapped instead.
import type { RuleDefinition, Visitors } from '../engine/rule';

export const ruleTimingOn = process.env.LEDGERLINT_DEBUG_TIMING === '1';

const spent = new Map<string, { ms: number; calls: number }>();

function timed<F extends (...args: any[]) => unknown>(id: string, fn: F): F {
  return function (this: unknown, ...args: unknown[]) {
    const t0 = performance.now();
    try {
      return fn.apply(this, args);
    } finally {
      const s = spent.get(id) ?? { ms: 0, calls: 0 };
      s.ms += performance.now() - t0;
      s.calls++;
      spent.set(id, s);
    }
  } as F;
}

/** `rules` with every create and visitor timed under the rule's id (create is counted as a call too). */
export function timedRules(rules: readonly RuleDefinition[]): RuleDefinition[] {
  return rules.map((rule) => {
    const id = rule.meta.id;
    const create = (ctx: never) => {
      const visitors = (rule.create as (c: never) => Visitors)(ctx) as Record<string, unknown>;
      const wrapped: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(visitors)) wrapped[k] = typeof v === 'function' ? timed(id, v as (...a: unknown[]) => unknown) : v;
      return wrapped as Visitors;
    };
    return { ...rule, create: timed(id, create) } as RuleDefinition;
  });
}

/** The `n` rules that took longest, one line each, to stderr. */
export function printRuleTimes(n = 15): void {
  if (!ruleTimingOn || spent.size === 0) return;
  const total = [...spent.values()].reduce((t, s) => t + s.ms, 0);
  process.stderr.write(`ledgerlint: rules        ${total.toFixed(1).padStart(7)} ms wall in all (timer overhead included)\n`);
  for (const [id, s] of [...spent].sort((a, b) => b[1].ms - a[1].ms).slice(0, n)) {
    process.stderr.write(`ledgerlint:   ${id.padEnd(36)} ${s.ms.toFixed(1).padStart(7)} ms ${String(s.calls).padStart(8)} calls\n`);
  }
}
