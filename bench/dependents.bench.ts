// What re-checking the open dependents of an edited migration costs. An edit re-checks every open
// file touching the same tables, earlier migrations included (their workspace-wide findings are
// judged against the final schema), so with many files open one keystroke can cost many checks.
// 2,000 generated migrations are indexed, 0, 50 and 200 of them are open beside the edited one
// (spread over the repository), and DDL edits are made to the middle migration:
//   one at a time: each edit waits until the server is quiet; the edited file's publish latency,
//     how many other files re-published, when the last did, and the server's CPU for it all;
//   typing: edits 120 ms (--gap) apart without waiting; each edit's publish latency, which includes waiting
//     behind the dependents' re-checks of the edit before (they are scheduled 50 ms after it).
// Run after a build: node out/bench/dependents.bench.js [files] [--bundle dist/server.js] [--open 0,50,200] [--gap 120]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { SERVER_BUNDLE } from '../test/lib/lsp-client';
import { percentile } from './lib/generate';
import { generateMigrationsRepo } from './lib/migrations-repo';
import { probedServer } from './lib/probed-server';

const EDITS = 12;
/** Milliseconds between typed edits: --gap N (default 120). */
let TYPING_GAP_MS = 120;
const QUIET_MS = 600;

/** The server process's CPU time so far (user + system), from /proc: 10 ms ticks. */
function serverCpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const stats = (xs: number[]) => `median ${percentile(sorted(xs), 0.5).toFixed(0)}, max ${Math.max(...xs).toFixed(0)}`;

async function run(files: number, open: number, bundle: string): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'll-dependents-'));
  try {
    generateMigrationsRepo(root, files);
    const paths = fs.readdirSync(path.join(root, 'drizzle')).sort().map((f) => path.join(root, 'drizzle', f));
    const server = await probedServer(pathToFileURL(root).href, bundle);
    const { client } = server;
    try {
      await server.logged('Indexed ');
      const edited = paths[Math.floor(paths.length / 2)];
      const uri = pathToFileURL(edited).href;
      const others = Array.from({ length: open }, (_, k) => paths[Math.floor((k * paths.length) / open)]).filter((p) => p !== edited);
      let lastPublish = performance.now();
      let otherPublishes = 0;
      client.onPublish((p) => {
        lastPublish = performance.now();
        if (p.uri !== uri) otherPublishes++;
      });
      for (const file of [edited, ...others]) {
        const u = pathToFileURL(file).href;
        const published = client.diagnostics(u, () => true, 300_000);
        await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: u, languageId: 'sql', version: 1, text: fs.readFileSync(file, 'utf8') } });
        await published;
      }
      const quiet = async () => {
        while (performance.now() - lastPublish < QUIET_MS) await sleep(50);
      };
      await quiet();
      const text = fs.readFileSync(edited, 'utf8');
      const table = /(?:CREATE TABLE|ALTER TABLE|ON) (t_\d+)/.exec(text)?.[1] ?? 't_1';
      const pid = client.process.pid!;
      let version = 1;
      // A column added to t_0 (the table most files reference) or to the file's own table.
      const edit = (v: number) => `${text}ALTER TABLE ${v % 2 ? 't_0' : table} ADD COLUMN edit_${v} int;\n`;
      const send = (v: number) => client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: v }, contentChanges: [{ text: edit(v) }] });

      const latency: number[] = [];
      const rechecked: number[] = [];
      const lastDependent: number[] = [];
      const cpu: number[] = [];
      for (let k = 0; k < EDITS; k++) {
        const v = ++version;
        const c0 = serverCpuMs(pid);
        const before = otherPublishes;
        const t0 = performance.now();
        const done = client.diagnostics(uri, (_d, p) => p.version === v, 300_000);
        await send(v);
        await done;
        latency.push(performance.now() - t0);
        await quiet();
        rechecked.push(otherPublishes - before);
        lastDependent.push(otherPublishes > before ? lastPublish - t0 : 0);
        cpu.push(serverCpuMs(pid) - c0);
      }
      console.log(
        `${files} migrations, ${others.length} others open: one edit at a time: publish ${stats(latency)} ms; ` +
          `re-checked others ${stats(rechecked)}, the last after ${stats(lastDependent)} ms; server CPU ${stats(cpu)} ms`,
      );

      const typed: number[] = [];
      const sentAt = new Map<number, number>();
      const arrived = new Map<number, number>();
      client.onPublish((p) => {
        if (p.uri === uri && p.version !== undefined && sentAt.has(p.version)) arrived.set(p.version, performance.now());
      });
      const c0 = serverCpuMs(pid);
      const first = version + 1;
      for (let k = 0; k < EDITS; k++) {
        const v = ++version;
        sentAt.set(v, performance.now());
        await send(v);
        await sleep(TYPING_GAP_MS);
      }
      // The last edit's publish may already be in (the gap is longer than a check).
      while (!arrived.has(version)) await sleep(20);
      await quiet();
      for (let v = first; v <= version; v++) if (arrived.has(v)) typed.push(arrived.get(v)! - sentAt.get(v)!);
      console.log(
        `  typing (${EDITS} edits ${TYPING_GAP_MS} ms apart): ${typed.length} published, latency ${stats(typed)} ms, p95 ${percentile(sorted(typed), 0.95).toFixed(0)}; ` +
          `server CPU ${(serverCpuMs(pid) - c0).toFixed(0)} ms in all (load average ${os.loadavg()[0].toFixed(1)})`,
      );
    } finally {
      await server.dispose();
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const b = args.indexOf('--bundle');
  const bundle = b >= 0 ? path.resolve(args.splice(b, 2)[1]) : SERVER_BUNDLE;
  const g = args.indexOf('--gap');
  if (g >= 0) TYPING_GAP_MS = Number(args.splice(g, 2)[1]) || TYPING_GAP_MS;
  const o = args.indexOf('--open');
  const opens = o >= 0 ? args.splice(o, 2)[1].split(',').map(Number) : [0, 50, 200];
  const files = Number(args.find((a) => !a.startsWith('--'))) || 2_000;
  for (const open of opens) await run(files, open, bundle);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
