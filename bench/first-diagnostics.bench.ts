// Start-to-first-diagnostics of the bundled language server on a generated file, as a user opening
// a big dump sees it: spawn dist/server.js --stdio, initialize, open, wait for the first
// publishDiagnostics. Also prints the server's CPU time (user + system, from /proc) and its peak RSS
// (VmHWM), since wall time on a shared machine includes waiting for a core.
// Run: node out/bench/first-diagnostics.bench.js [statements ...] [--bundle path/to/server.js]
import * as fs from 'node:fs';
import { startServer, SERVER_BUNDLE } from '../test/lib/lsp-client';
import { generateSqlFile } from './lib/generate';

function procStats(pid: number): { cpuMs: number; peakMb: number } {
  // /proc/<pid>/stat fields 14 and 15 are utime and stime in clock ticks (100 per second on Linux).
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpuMs = (Number(fields[11]) + Number(fields[12])) * 10;
  const hwm = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return { cpuMs, peakMb: hwm ? Number(hwm[1]) / 1024 : NaN };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const b = args.indexOf('--bundle');
  const bundle = b >= 0 ? args.splice(b, 2)[1] : SERVER_BUNDLE;
  const counts = args.map(Number).filter((n) => n > 0);
  for (const count of counts.length ? counts : [20_000]) {
    const text = generateSqlFile(count);
    const started = performance.now();
    const client = await startServer(null, {}, undefined, bundle);
    try {
      const uri = 'file:///bench/first-diagnostics.sql';
      const diagnostics = client.diagnostics(uri, () => true, 300_000);
      await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sql', version: 1, text } });
      const diags = await diagnostics;
      const wall = performance.now() - started;
      const { cpuMs, peakMb } = procStats(client.process.pid!);
      const load = fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
      console.log(
        `first diagnostics, ${count.toLocaleString('en')} statements (${(text.length / 1e6).toFixed(1)} M chars): ` +
          `${wall.toFixed(0)} ms wall from spawn, server CPU ${cpuMs.toFixed(0)} ms, server peak RSS ${peakMb.toFixed(0)} MB, ` +
          `${diags.length.toLocaleString('en')} diagnostics; load average ${load}`,
      );
    } finally {
      await client.stop();
    }
  }
}

void main();
