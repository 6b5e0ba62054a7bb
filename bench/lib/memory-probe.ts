// Preloaded into a spawned language server (NODE_OPTIONS=--require) by the memory benches, never
// shipped: on SIGUSR2 it collects garbage twice and appends one JSON line of memory figures to
// $LEDGERLINT_PROBE_OUT, so a bench reads the server's heap after GC, not only its RSS (which also
// counts garbage not yet collected and pages V8 keeps). With $LEDGERLINT_PROBE_SNAPSHOT set, each
// sample also writes a heap snapshot next to the output file.
import * as fs from 'node:fs';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/**
 * RSS of libpg-query's WebAssembly memory. `process.memoryUsage().external` counts its whole 128 MB
 * reservation, but only the pages the parser touched are resident: V8 maps the Memory read-write
 * right below a guard region of several GB, so the mapping ending where that region starts is it.
 */
export function wasmResidentMb(pid: number | 'self' = 'self'): number {
  const maps: Array<{ start: number; end: number; perm: string; rss: number }> = [];
  for (const line of fs.readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const m = /^([0-9a-f]+)-([0-9a-f]+) (\S+)/.exec(line);
    if (m) maps.push({ start: parseInt(m[1], 16), end: parseInt(m[2], 16), perm: m[3], rss: 0 });
    const r = /^Rss:\s+(\d+) kB/.exec(line);
    if (r && maps.length) maps[maps.length - 1].rss = Number(r[1]) / 1024;
  }
  let rss = 0;
  for (const guard of maps) {
    if (guard.perm !== '---p' || guard.end - guard.start < 4e9) continue;
    for (const m of maps) if (m.end === guard.start && m.perm.startsWith('rw')) rss += m.rss;
  }
  return rss;
}

export interface MemorySample {
  rssMb: number;
  heapAfterGcMb: number;
  heapTotalMb: number;
  externalMb: number;
  arrayBuffersMb: number;
  wasmResidentMb: number;
  /** RSS split by the kernel: anonymous pages (heaps, malloc) and file pages (node, mapped code). */
  rssAnonMb: number;
  rssFileMb: number;
  /** Committed size of V8's young generation, which RSS counts whether it holds garbage or not. */
  newSpaceMb: number;
  /**
   * The most memory V8 ever had from malloc (compiler zones, mostly): the C allocator keeps what
   * was freed resident, so a peak shows up in RSS long after it.
   */
  peakMallocedMb: number;
  /** RSS a second after the sample's GCs (written by the SIGUSR2 handler), when V8 has returned the pages they freed. */
  rssSettledMb?: number;
  /** The bundles the process has loaded through the code cache (cli/code-cache.ts), by file name: is the TypeScript compiler in? */
  bundles: string[];
}

export function sampleMemory(): MemorySample {
  gc();
  gc();
  const m = process.memoryUsage();
  const mb = (b: number) => Math.round((b / 1048576) * 10) / 10;
  const status = fs.readFileSync('/proc/self/status', 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN) * 1024;
  const loaded = (globalThis as Record<symbol, Map<string, string> | undefined>)[Symbol.for('ledgerlint.bundleIdentities')];
  const newSpace = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? NaN;
  return {
    rssAnonMb: mb(kb('RssAnon')),
    rssFileMb: mb(kb('RssFile')),
    newSpaceMb: mb(newSpace),
    peakMallocedMb: mb(v8.getHeapStatistics().peak_malloced_memory),
    bundles: [...(loaded?.keys() ?? [])].map((b) => b.split(/[\\/]/).pop()!),
    rssMb: mb(m.rss), heapAfterGcMb: mb(m.heapUsed), heapTotalMb: mb(m.heapTotal), externalMb: mb(m.external), arrayBuffersMb: mb(m.arrayBuffers), wasmResidentMb: Math.round(wasmResidentMb() * 10) / 10 };
}

const out = process.env.LEDGERLINT_PROBE_OUT;
if (out) {
  let n = 0;
  process.on('SIGUSR2', () => {
    const sample = sampleMemory();
    // RegExp's last-match state would keep the whole /proc/self/smaps text alive (a few hundred KB)
    // into the next sample and any snapshot: a trivial match replaces it.
    /a/.exec('a');
    if (process.env.LEDGERLINT_PROBE_SNAPSHOT) v8.writeHeapSnapshot(`${out}.${++n}.heapsnapshot`);
    // V8 gives the pages a GC freed back to the system from a background thread, so RSS read right
    // after the GC still counts some of them: a second reading, a second later, is what the idle server keeps.
    setTimeout(() => {
      sample.rssSettledMb = Math.round((process.memoryUsage.rss() / 1048576) * 10) / 10;
      fs.appendFileSync(out, JSON.stringify(sample) + '\n');
    }, 1000);
  });
}
