// Preloaded into the language server (NODE_OPTIONS=--require) by keystroke-lsp.bench --gc, never
// shipped: appends to $LEDGERLINT_GC_PROBE_OUT a line per GC pause, per didChange that arrives and per
// publish the server hands to its transport, on the server's clock, so the bench can tell which
// keystrokes waited for a collection and for how long (a bench outside the process sees only totals).
import * as fs from 'node:fs';
import { constants, PerformanceObserver } from 'node:perf_hooks';

const out = process.env.LEDGERLINT_GC_PROBE_OUT;
// NODE_OPTIONS reaches every node the server starts too: only the server itself is probed.
if (out && /server(-main)?\.js$/.test(process.argv[1] ?? '')) {
  const fd = fs.openSync(out, 'a');
  const line = (s: string) => fs.writeSync(fd, s + '\n');
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = (e as unknown as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR ? 'minor' : 'major';
      line(`gc ${kind} ${e.startTime.toFixed(2)} ${e.duration.toFixed(2)}`);
    }
  }).observe({ entryTypes: ['gc'] });
  // The raw input, before the connection reads it: arrival, not the start of its handling.
  process.stdin.on('data', (chunk: Buffer) => {
    if (chunk.includes('"textDocument/didChange"')) line(`change ${performance.now().toFixed(2)}`);
  });
  process.on('message', (m: { method?: string }) => {
    if (m?.method === 'textDocument/didChange') line(`change ${performance.now().toFixed(2)}`);
  });
  const isPublish = (chunk: unknown) => (Buffer.isBuffer(chunk) || typeof chunk === 'string') && chunk.includes('"textDocument/publishDiagnostics"');
  const write = process.stdout.write.bind(process.stdout) as (...args: unknown[]) => boolean;
  (process.stdout as { write: unknown }).write = (chunk: unknown, ...rest: unknown[]) => {
    if (isPublish(chunk)) line(`publish ${performance.now().toFixed(2)}`);
    return write(chunk, ...rest);
  };
  const send = process.send?.bind(process) as ((...args: unknown[]) => boolean) | undefined;
  if (send) {
    process.send = ((msg: { method?: string }, ...rest: unknown[]) => {
      const sent = send(msg, ...rest);
      if (msg?.method === 'textDocument/publishDiagnostics') line(`publish ${performance.now().toFixed(2)}`);
      return sent;
    }) as typeof process.send;
  }
}

export interface GcWindows {
  keystrokes: number;
  /** didChange's arrival -> the next publish handed to the transport (ms), sorted. */
  windows: number[];
  /** GC time inside each window that had any (ms), sorted. */
  gcInWindows: number[];
}

/** The keystroke windows of a probe's output (didChanges without a publish within 1 s are left out). */
export function gcWindows(file: string): GcWindows {
  const gcs: Array<{ at: number; ms: number }> = [];
  const changes: number[] = [];
  const publishes: number[] = [];
  for (const l of fs.readFileSync(file, 'utf8').split('\n')) {
    const f = l.split(' ');
    if (f[0] === 'gc') gcs.push({ at: Number(f[2]), ms: Number(f[3]) });
    else if (f[0] === 'change') changes.push(Number(f[1]));
    else if (f[0] === 'publish') publishes.push(Number(f[1]));
  }
  const windows: number[] = [];
  const gcInWindows: number[] = [];
  for (const c of changes) {
    const p = publishes.find((t) => t > c);
    if (p === undefined || p - c > 1000) continue;
    windows.push(p - c);
    const ms = gcs.filter((g) => g.at >= c && g.at < p).reduce((s, g) => s + g.ms, 0);
    if (ms > 0) gcInWindows.push(ms);
  }
  return { keystrokes: windows.length, windows: windows.sort((a, b) => a - b), gcInWindows: gcInWindows.sort((a, b) => a - b) };
}
