// Start-to-diagnostics of the bundled language server on a generated file, as a user opening a big
// dump sees it: spawn dist/server.js --stdio, initialize, open, then time two publishes: the first
// (a big file's first screenfuls, statement-scoped rules only) and the complete one (the first that
// carries a file-scoped rule's finding or the notice of a file over ledgerlint.maxDiagnosticsPerFile:
// a first look has neither) and the bytes of both publishes' diagnostics JSON. Also prints the server's CPU time
// (user + system, from /proc) at each, and its peak RSS (VmHWM), since wall time on a shared machine
// includes waiting for a core.
// --vscode announces what VS Code does (code actions resolved, so fixes stay on the server; code
// descriptions shown): the publishes carry no fix text.
// Run: node out/bench/first-diagnostics.bench.js [statements ...] [--bundle path/to/server.js] [--vscode]
import * as fs from 'node:fs';
import { RULES } from '../server/src/rules';
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

const FILE_RULES = new Set(RULES.filter((r) => r.scope === 'file').map((r) => r.meta.id));

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const b = args.indexOf('--bundle');
  const bundle = b >= 0 ? args.splice(b, 2)[1] : SERVER_BUNDLE;
  const v = args.indexOf('--vscode');
  if (v >= 0) args.splice(v, 1);
  const textDocument = v >= 0 ? { codeAction: { resolveSupport: { properties: ['edit'] }, dataSupport: true }, publishDiagnostics: { codeDescriptionSupport: true, dataSupport: true, versionSupport: true } } : {};
  const counts = args.map(Number).filter((n) => n > 0);
  for (const count of counts.length ? counts : [20_000]) {
    const text = generateSqlFile(count);
    const started = performance.now();
    const client = await startServer(null, {}, undefined, bundle, { textDocument });
    try {
      const uri = 'file:///bench/first-diagnostics.sql';
      const pid = client.process.pid!;
      let first: { wall: number; cpuMs: number; count: number; diagnostics: unknown[] } | undefined;
      const complete = client.diagnostics(
        uri,
        (d) => {
          first ??= { wall: performance.now() - started, cpuMs: procStats(pid).cpuMs, count: d.length, diagnostics: d };
          return d.some((x) => FILE_RULES.has(String(x.code)) || (x.code === undefined && /not shown/.test(String(x.message))));
        },
        300_000,
      );
      await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sql', version: 1, text } });
      const diags = await complete;
      const wall = performance.now() - started;
      const { cpuMs, peakMb } = procStats(pid);
      const load = fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
      const n = (x: number) => x.toLocaleString('en');
      // Measured after the timings: a stringify on the client while the server is timed would add to its wall time.
      const kb = (d: unknown[]) => `${n(Math.round(Buffer.byteLength(JSON.stringify(d)) / 1024))} KB`;
      console.log(
        `${v >= 0 ? 'VS Code-like client, ' : ''}${n(count)} statements (${(text.length / 1e6).toFixed(1)} M chars), from spawn: ` +
          `first publish ${first!.wall.toFixed(0)} ms wall, server CPU ${first!.cpuMs.toFixed(0)} ms, ${n(first!.count)} diagnostics (${kb(first!.diagnostics)}); ` +
          `complete ${wall.toFixed(0)} ms wall, server CPU ${cpuMs.toFixed(0)} ms, ${n(diags.length)} diagnostics (${kb(diags)}); ` +
          `server peak RSS ${peakMb.toFixed(0)} MB; load average ${load}`,
      );
    } finally {
      await client.stop();
    }
  }
}

void main();
