// LEDGERLINT_DEBUG_TIMING=1 prints how long each phase of a run took (CPU and wall, since the
// previous phase) to stderr, for measuring the CLI without a profiler's overhead.
const on = process.env.LEDGERLINT_DEBUG_TIMING === '1';
let lastWall = 0;
let lastCpu = 0;

/** Marks the end of phase `name`; the first phase also counts node's own start-up. */
export function phase(name: string): void {
  if (!on) return;
  const wall = performance.now();
  const u = process.cpuUsage();
  const cpu = (u.user + u.system) / 1000;
  process.stderr.write(`ledgerlint: ${name.padEnd(12)} ${(wall - lastWall).toFixed(1).padStart(7)} ms wall ${(cpu - lastCpu).toFixed(1).padStart(7)} ms CPU\n`);
  lastWall = wall;
  lastCpu = cpu;
}
