// The editor's view of a keystroke on a 10,000-statement file: didChange sent to the bundled
// server over stdio -> publishDiagnostics received, which includes the server's debounce (a file too
// small for a quick look waits 15 ms for the next key), the lint or the quick look, the conversion of
// the findings to LSP diagnostics and the JSON of those published both ways.
// Run after a build: node out/bench/keystroke-lsp.bench.js [path/to/server.js] [statements] [--vscode] [--cap N]
// (--cap: ledgerlint.maxDiagnosticsPerFile, 0 publishes every finding; default the setting's default)
// (--vscode: the client declares code action resolve support and code descriptions, as VS Code does:
// no fix text per diagnostic; and, as its Ledgerlint client does, tells the server which lines are on
// screen (around each edit) before the edit, so a file over ledgerlint.maxDiagnosticsPerFile
// publishes the findings there. The scroll's republish is not part of the edit's figures.)
// (--typing N: also bursts of 10 keystrokes N ms apart, not waiting for diagnostics, as a user types.)
// (--launch vscode-ipc|vscode-stdio: the server forked as VS Code's client starts it with that transport
// and the extension's node flags; default: spawned with --stdio, as Neovim or Helix do.)
// (--gc: bench/lib/gc-probe.ts preloaded into the server: how many keystrokes waited for a GC in the
// server, between the didChange's arrival and its publish, and for how long.)
// A big file's keystroke may be published twice: a quick look at the edited statements first
// (lsp/quick-look.ts), then the complete check once typing pauses. Both are timed: the first
// publish of the edit's version, and the server's "Linted" log line for the complete check.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver';
import { startServer, type ServerLaunch } from '../test/lib/lsp-client';
import { VSCODE_CODE_ACTIONS } from '../test/lsp/vscode-like-client';
import { generateSqlFile, percentile } from './lib/generate';
import { gcWindows } from './lib/gc-probe';

async function main(): Promise<void> {
  const bundle = path.resolve(process.argv[2] ?? path.join(__dirname, '../../dist/server.js'));
  const count = Number(process.argv[3] ?? 10_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlint-keystroke-'));
  const vscode = process.argv.includes('--vscode');
  const capAt = process.argv.indexOf('--cap');
  const typingAt = process.argv.indexOf('--typing');
  const typingGap = typingAt > 0 ? Number(process.argv[typingAt + 1]) : 0;
  const launchAt = process.argv.indexOf('--launch');
  const launch = (launchAt > 0 ? process.argv[launchAt + 1] : 'stdio') as ServerLaunch;
  if (!['stdio', 'vscode-ipc', 'vscode-stdio'].includes(launch)) throw new Error(`--launch ${launch}: stdio, vscode-ipc or vscode-stdio`);
  // The debug log says when each complete check is done.
  const settings = { logLevel: 'debug', ...(capAt > 0 ? { maxDiagnosticsPerFile: Number(process.argv[capAt + 1]) } : {}) };
  const vscodeCaps = { ...VSCODE_CODE_ACTIONS, publishDiagnostics: { codeDescriptionSupport: true, dataSupport: true, versionSupport: true, tagSupport: { valueSet: [1, 2] }, relatedInformation: true } };
  // Bytes are measured after each edit's figures: no stringify on the client while the server is timed.
  const gcOut = process.argv.includes('--gc') ? path.join(dir, 'gc-probe.log') : undefined;
  const client = await withGcProbe(gcOut, () => startServer(pathToFileURL(dir).href, settings, undefined, bundle, { launch, ...(vscode ? { textDocument: vscodeCaps } : {}) }));
  const { connection } = client;
  try {
    const uri = pathToFileURL(path.join(dir, 'bench.sql')).href;
    let text = generateSqlFile(count);
    let version = 1;
    let checked: Array<() => void> = [];
    let looks = 0;
    const lookMs: number[] = [];
    client.onLog((m) => {
      if (m.startsWith(`Looked at an edit of ${uri} `)) {
        looks++;
        lookMs.push(Number(/ in ([\d.]+) ms/.exec(m)?.[1]));
      }
      if (!m.startsWith(`Linted ${uri} `)) return;
      const waiting = checked;
      checked = [];
      for (const w of waiting) w();
    });
    const nextCheck = () => new Promise<number>((resolve) => checked.push(() => resolve(performance.now())));
    const published = (v: number) => client.diagnostics(uri, (_d, p) => p.version === v, 600_000);
    let t = performance.now();
    // A big file's first look (its first screenfuls) is published before the complete check: wait for
    // the latter (findings in the second half, or the notice of a capped file: a first look has neither).
    const half = text.split('\n').length / 2;
    const complete = (d: Diagnostic[]) => d.some((x) => x.range.start.line > half || (x.code === undefined && /not shown/.test(String(x.message))));
    let done = client.diagnostics(uri, (d, p) => p.version === version && complete(d), 600_000);
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sql', version, text } });
    const first = await done;
    const open = performance.now() - t;
    const bytes = Buffer.byteLength(JSON.stringify(first));
    // The same edits as lint.bench.ts: statements spread over the file, a space in, a character out.
    const starts = statementStarts(text);
    const times: number[] = [];
    const completes: number[] = [];
    const cpu: number[] = [];
    const sizes: number[] = [];
    const published_: number[] = [];
    for (let k = 0; k < 60; k++) {
      const at = starts[Math.floor((k / 60) * starts.length)] + 7;
      const insert = k % 2 === 0;
      const pos = positionAt(text, at);
      const end = insert ? pos : positionAt(text, at + 1);
      if (vscode) {
        const lines = { start: { line: Math.max(0, pos.line - 20), character: 0 }, end: { line: pos.line + 30, character: 0 } };
        await connection.sendNotification('ledgerlint/visibleRanges', { editors: [{ uri, ranges: [lines] }] });
        await new Promise((r) => setTimeout(r, 150));
      }
      text = text.slice(0, at) + (insert ? ' ' : '') + text.slice(at + (insert ? 0 : 1));
      version++;
      done = published(version);
      const check = nextCheck();
      t = performance.now();
      const c = serverCpuMs(client.process.pid);
      await connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range: { start: pos, end }, text: insert ? ' ' : '' }] });
      const diagnostics = await done;
      times.push(performance.now() - t);
      completes.push((await check) - t);
      cpu.push(serverCpuMs(client.process.pid) - c);
      sizes.push(Buffer.byteLength(JSON.stringify(diagnostics)));
      published_.push(diagnostics.length);
      // Like a user pausing between keystrokes: each edit is measured alone, not queued behind the last.
      await new Promise((r) => setTimeout(r, 20));
    }
    times.sort((a, b) => a - b);
    completes.sort((a, b) => a - b);
    cpu.sort((a, b) => a - b);
    sizes.sort((a, b) => a - b);
    console.log(
      `LSP ${count.toLocaleString('en')} statements, ${first.length.toLocaleString('en')} diagnostics published (${kb(bytes)} of diagnostics JSON): ` +
        `didOpen -> publishDiagnostics ${open.toFixed(0)} ms; didChange -> first publishDiagnostics median ${percentile(times, 0.5).toFixed(0)} ms, p95 ${percentile(times, 0.95).toFixed(0)} ms (wall); ` +
        `-> complete check published median ${percentile(completes, 0.5).toFixed(0)} ms, p95 ${percentile(completes, 0.95).toFixed(0)} ms; ` +
        `server CPU per edit median ${percentile(cpu, 0.5).toFixed(0)} ms, p95 ${percentile(cpu, 0.95).toFixed(0)} ms; ` +
        `${kb(percentile(sizes, 0.5))} of diagnostics JSON per edit's publish (median; max ${kb(sizes.at(-1)!)}), ${Math.max(...published_).toLocaleString('en')} diagnostics at most ` +
        `(${capAt > 0 ? `maxDiagnosticsPerFile ${settings.maxDiagnosticsPerFile}, ` : ''}${vscode ? 'VS Code-like client: fixes resolved from the server, visible ranges sent' : 'minimal client: fixes inline'}, launched ${launch}); load average ${fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
    );
    lookMs.sort((a, b) => a - b);
    console.log(`${looks} of the ${times.length} edits got a quick look first${looks ? `, which took the server median ${percentile(lookMs, 0.5).toFixed(1)} ms, p95 ${percentile(lookMs, 0.95).toFixed(1)} ms (wall, from its log)` : ''}`);
    if (typingGap > 0) {
      const before = looks;
      console.log(await typing(client, uri, text, version, typingGap, nextCheck), `(${looks - before} quick looks)`);
    }
    if (gcOut) console.log(gcSummary(gcOut));
  } finally {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Starts the server with bench/lib/gc-probe.js preloaded when `out` is given (the environment a child inherits). */
async function withGcProbe<T>(out: string | undefined, start: () => Promise<T>): Promise<T> {
  if (!out) return start();
  const saved = { NODE_OPTIONS: process.env.NODE_OPTIONS, LEDGERLINT_GC_PROBE_OUT: process.env.LEDGERLINT_GC_PROBE_OUT };
  process.env.NODE_OPTIONS = `${saved.NODE_OPTIONS ?? ''} --require ${path.join(__dirname, 'lib', 'gc-probe.js')}`;
  process.env.LEDGERLINT_GC_PROBE_OUT = out;
  try {
    return await start();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

function gcSummary(out: string): string {
  const { keystrokes, windows, gcInWindows } = gcWindows(out);
  if (!keystrokes) return 'gc probe: no keystroke was published';
  const gc = gcInWindows.length ? `, median ${percentile(gcInWindows, 0.5).toFixed(1)} ms, max ${gcInWindows.at(-1)!.toFixed(1)} ms` : '';
  return (
    `in the server, didChange's arrival -> its publish handed to the transport: median ${percentile(windows, 0.5).toFixed(1)} ms, p95 ${percentile(windows, 0.95).toFixed(1)} ms over ${keystrokes} keystrokes; ` +
    `${gcInWindows.length} of them (${Math.round((100 * gcInWindows.length) / keystrokes)}%) waited for a GC${gc}`
  );
}

/**
 * Bursts of keystrokes `gap` ms apart, not waiting for diagnostics: each keystroke's latency is
 * didChange -> the first publish of its version or a later one (a later keystroke's publish shows it too).
 */
async function typing(client: Awaited<ReturnType<typeof startServer>>, uri: string, text: string, version: number, gap: number, nextCheck: () => Promise<number>): Promise<string> {
  const sent = new Map<number, number>();
  const latencies: number[] = [];
  client.onPublish((p) => {
    if (p.uri !== uri || p.version === undefined) return;
    const now = performance.now();
    for (const [v, at] of sent) {
      if (v > p.version) continue;
      latencies.push(now - at);
      sent.delete(v);
    }
  });
  const starts = statementStarts(text);
  const completes: number[] = [];
  const c = serverCpuMs(client.process.pid);
  let keystrokes = 0;
  for (let burst = 0; burst < 6; burst++) {
    let at = starts[Math.floor(((burst + 0.5) / 6) * starts.length)] + 7;
    let last = 0;
    for (let k = 0; k < 10; k++) {
      const pos = positionAt(text, at);
      text = text.slice(0, at) + 'x' + text.slice(at);
      at++;
      version++;
      const check = nextCheck();
      last = performance.now();
      sent.set(version, last);
      await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range: { start: pos, end: pos }, text: 'x' }] });
      keystrokes++;
      if (k < 9) await new Promise((r) => setTimeout(r, gap));
      else completes.push((await check) - last);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  const cpu = serverCpuMs(client.process.pid) - c;
  latencies.sort((a, b) => a - b);
  completes.sort((a, b) => a - b);
  return (
    `typing ${keystrokes} keystrokes in bursts of 10, ${gap} ms apart: keystroke -> diagnostics median ${percentile(latencies, 0.5).toFixed(0)} ms, p95 ${percentile(latencies, 0.95).toFixed(0)} ms` +
    ` (${latencies.length} published); last keystroke of a burst -> complete check median ${percentile(completes, 0.5).toFixed(0)} ms, max ${completes.at(-1)!.toFixed(0)} ms; server CPU ${(cpu / keystrokes).toFixed(0)} ms per keystroke`
  );
}

function kb(bytes: number): string {
  return `${Math.round(bytes / 1024).toLocaleString('en')} KB`;
}

/** CPU time (user + system) of a process so far, from /proc (10 ms ticks); NaN elsewhere than Linux. */
function serverCpuMs(pid: number | undefined): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

/** Offsets where the statements of a generated file start (as the linter's segments do, after the blank line). */
function statementStarts(text: string): number[] {
  const out = [0];
  for (let i = text.indexOf(';\n\n'); i >= 0; i = text.indexOf(';\n\n', i + 1)) out.push(i + 1);
  return out;
}

function positionAt(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, character: offset - lineStart };
}

void main();
