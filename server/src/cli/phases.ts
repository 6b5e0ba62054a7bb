// LEDGERLINT_DEBUG_TIMING=1 prints how long each phase of a run took (CPU and wall, since the
// previous phase) to stderr, from the process's start to its exit, for measuring the CLI without a
// profiler's overhead.
const on = process.env.LEDGERLINT_DEBUG_TIMING === '1';
let lastWall = 0;
let lastCpu = 0;
let started = false;

/**
 * dist/cli.js (launch.ts) marks when it starts loading the CLI bundle: a global, because the
 * launcher and the bundle each hold their own copy of this module.
 */
const LAUNCH_MARK = Symbol.for('ledgerlint.launchMark');
type Mark = { wall: number; cpu: number };

function now(): Mark {
  const u = process.cpuUsage();
  return { wall: performance.now(), cpu: (u.user + u.system) / 1000 };
}

function print(name: string, at: Mark): void {
  process.stderr.write(`ledgerlint: ${name.padEnd(12)} ${(at.wall - lastWall).toFixed(1).padStart(7)} ms wall ${(at.cpu - lastCpu).toFixed(1).padStart(7)} ms CPU\n`);
  lastWall = at.wall;
  lastCpu = at.cpu;
}

/** Called by the launcher just before it loads the bundle. */
export function markLaunch(): void {
  if (on) (globalThis as Record<symbol, Mark | undefined>)[LAUNCH_MARK] = now();
}

/**
 * Marks the end of phase `name`. The first phase starts at the process's start (performance.now()
 * counts from it): split into node's own start-up and loading the bundle when the launcher marked
 * the moment between them. The time after the last phase (exit handlers: writing the code cache,
 * tearing down) is printed as `exit`, with the total.
 */
export function phase(name: string): void {
  if (!on) return;
  if (!started) {
    started = true;
    const launch = (globalThis as Record<symbol, Mark | undefined>)[LAUNCH_MARK];
    if (launch) {
      print('node start', launch);
      name = name === 'start-up' ? 'bundle load' : name;
    }
    process.once('exit', () => {
      // One mark for both: the total is what the phases add up to, however long printing takes.
      const end = now();
      print('exit', end);
      process.stderr.write(`ledgerlint: ${'total'.padEnd(12)} ${end.wall.toFixed(1).padStart(7)} ms wall ${end.cpu.toFixed(1).padStart(7)} ms CPU\n`);
    });
  }
  print(name, now());
}
