// Memory of the bundled language server as a user works, measured inside the server process by a
// preloaded probe (bench/lib/memory-probe.ts): RSS, heap after two full GCs, and the resident part
// of the parser's WebAssembly memory, so retained objects are told apart from garbage and from pages
// V8 or the WebAssembly Memory keep.
//   workspace [files] [--findings 10]: index a repository of 2,000 migrations, open 1, 50, 200 of
//     them, close all; --findings: the same migrations with ~10x the findings (migrations-repo.ts);
//     --extra-rules-off: the rules of those extra findings off (the statements' cost without them).
//   findings [statements]: a file with 1x, 2x, 4x the statements (and findings), then 50 edits.
//   old-edit [files]: index 2,000 migrations, open the middle one, make 12 DDL edits to it (each
//     waits for its publish): the server's CPU per edit (from /proc), then its memory.
// Run: node out/bench/server-memory.bench.js workspace|findings [n] [--once] [--bundle dist/server.js] [--snapshot] [--node-args '--max-semi-space-size=4']
// (--once: findings at 1x only; --snapshot: a heap snapshot per sample, kept in the printed folder)
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { RULES } from '../server/src/rules';
import { SERVER_BUNDLE } from '../test/lib/lsp-client';
import { generateSqlFile } from './lib/generate';
import type { MemorySample } from './lib/memory-probe';
import { probedServer } from './lib/probed-server';
import { generateMigrationsRepo } from './lib/migrations-repo';

const FILE_RULES = new Set(RULES.filter((r) => r.scope === 'file').map((r) => r.meta.id));

const fmt = (s: MemorySample) => `RSS ${s.rssMb.toFixed(0)} MB${s.rssSettledMb === undefined ? '' : ` (${s.rssSettledMb.toFixed(0)} a second later)`} (anon ${s.rssAnonMb.toFixed(0)}, file ${s.rssFileMb.toFixed(0)}), heap after GC ${s.heapAfterGcMb.toFixed(0)} MB (committed ${s.heapTotalMb.toFixed(0)}, young ${s.newSpaceMb.toFixed(0)}), WebAssembly resident ${s.wasmResidentMb.toFixed(0)} MB, arrayBuffers ${s.arrayBuffersMb.toFixed(0)} MB, V8 peak malloc ${s.peakMallocedMb?.toFixed(0)} MB${s.bundles?.includes('cli-typescript.js') ? ', TypeScript loaded' : ''}`;

async function workspace(files: number, bundle: string, snapshot: boolean, nodeArgs: string[], findingsTimes = 1): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'll-memory-ws-'));
  try {
    generateMigrationsRepo(root, files, findingsTimes);
    // The same statements without their findings: what the extra statements cost apart from the findings.
    if (process.argv.includes('--extra-rules-off')) fs.writeFileSync(path.join(root, 'ledgerlint.json'), JSON.stringify({ rules: { 'unbounded-update-delete': 'off', 'backfill-in-schema-migration': 'off' } }));
    const paths = fs.readdirSync(path.join(root, 'drizzle')).sort().map((f) => path.join(root, 'drizzle', f));
    const server = await probedServer(pathToFileURL(root).href, bundle, snapshot, {}, nodeArgs);
    const { client } = server;
    try {
      // The first sample must see the whole workspace replayed: open files only once it is indexed.
      await server.logged('Indexed ');
      const opened: string[] = [];
      let diagnostics = 0;
      for (const batch of [1, 50, 200]) {
        while (opened.length < batch) {
          const file = paths[Math.floor((opened.length * paths.length) / 200) % paths.length];
          const uri = pathToFileURL(file).href;
          const published = client.diagnostics(uri, () => true, 300_000);
          await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sql', version: 1, text: fs.readFileSync(file, 'utf8') } });
          diagnostics += (await published).length;
          opened.push(uri);
        }
        console.log(`${files} migrations, ${batch} open (${diagnostics.toLocaleString('en')} diagnostics): ${fmt(await server.sample())}`);
      }
      // The probe answers a signal, not a message: it could sample before the server has read every
      // close. Each close clears the file's diagnostics; wait for all of them.
      const cleared = opened.map((uri) => client.diagnostics(uri, (d) => d.length === 0, 300_000));
      for (const uri of opened) await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
      await Promise.all(cleared);
      console.log(`${files} migrations, all closed: ${fmt(await server.sample())}`);
    } finally {
      await server.dispose();
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** The server process's CPU time so far (user + system), from /proc. */
function serverCpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

async function oldEdit(files: number, bundle: string, nodeArgs: string[]): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'll-memory-ws-'));
  try {
    generateMigrationsRepo(root, files);
    const paths = fs.readdirSync(path.join(root, 'drizzle')).sort().map((f) => path.join(root, 'drizzle', f));
    const server = await probedServer(pathToFileURL(root).href, bundle, false, {}, nodeArgs);
    const { client } = server;
    try {
      await server.logged('Indexed ');
      const file = paths[Math.floor(paths.length / 2)];
      const uri = pathToFileURL(file).href;
      const text = fs.readFileSync(file, 'utf8');
      const table = /(?:CREATE TABLE|ALTER TABLE|ON) (t_\d+)/.exec(text)?.[1] ?? 't_1';
      const first = client.diagnostics(uri, () => true, 300_000);
      await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sql', version: 1, text } });
      await first;
      const pid = client.process.pid!;
      const cpu: number[] = [];
      for (let v = 2; v < 14; v++) {
        const edited = `${text}ALTER TABLE ${v % 2 ? 't_0' : table} ADD COLUMN edit_${v} int;\n`;
        const c0 = serverCpuMs(pid);
        const done = client.diagnostics(uri, (_d, p) => p.version === v, 300_000);
        await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: v }, contentChanges: [{ text: edited }] });
        await done;
        // The publish comes before the dependents' re-check: let it finish.
        await new Promise((r) => setTimeout(r, 400));
        cpu.push(serverCpuMs(pid) - c0);
      }
      cpu.sort((a, b) => a - b);
      console.log(`${files} migrations, 12 DDL edits to migration ${paths.indexOf(file) + 1} (a column added to t_0 or ${table}): server CPU per edit median ${cpu[6].toFixed(0)} ms, min ${cpu[0].toFixed(0)}, max ${cpu[11].toFixed(0)} (10 ms ticks, 400 ms idle wait included)`);
      console.log(`  then: ${fmt(await server.sample())} (load average ${os.loadavg()[0].toFixed(1)})`);
    } finally {
      await server.dispose();
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

async function findings(statements: number, bundle: string, snapshot: boolean, once: boolean, nodeArgs: string[]): Promise<void> {
  for (const times of once ? [1] : [1, 2, 4]) {
    const count = statements * times;
    const server = await probedServer(null, bundle, snapshot, {}, nodeArgs);
    const { client } = server;
    try {
      const uri = `file:///bench/findings-${count}.sql`;
      let text = generateSqlFile(count);
      const complete = client.diagnostics(uri, (d) => d.some((x) => FILE_RULES.has(String(x.code))), 300_000);
      await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sql', version: 1, text } });
      const published = (await complete).length;
      const first = await server.sample();
      console.log(`${count.toLocaleString('en')} statements, ${published.toLocaleString('en')} diagnostics, after the check: ${fmt(first)} (${((first.heapAfterGcMb * 1024) / published).toFixed(1)} KB of heap per diagnostic)`);
      // Pairs of one-character edits spread over the file (a space typed, then deleted); each waits for its publish.
      let version = 1;
      for (let k = 0; k < 50; k++) {
        const line = Math.floor((((k >> 1) * 7919) % 25) * (count / 25));
        const at = nthLineStart(text, line) + 7;
        const insert = k % 2 === 0;
        text = insert ? text.slice(0, at) + ' ' + text.slice(at) : text.slice(0, at) + text.slice(at + 1);
        const pos = positionOf(text, at);
        const v = ++version;
        const done = client.diagnostics(uri, (_d, p) => p.version === v, 300_000);
        await client.connection.sendNotification('textDocument/didChange', {
          textDocument: { uri, version: v },
          contentChanges: [insert ? { range: { start: pos, end: pos }, text: ' ' } : { range: { start: pos, end: { line: pos.line, character: pos.character + 1 } }, text: '' }],
        });
        await done;
        if ((k + 1) % 25 === 0) console.log(`  after edit ${k + 1}: ${fmt(await server.sample())}`);
      }
    } finally {
      await server.dispose();
    }
  }
  console.log(`(load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')})`);
}

function nthLineStart(text: string, line: number): number {
  let at = 0;
  for (let i = 0; i < line && at !== -1; i++) at = text.indexOf('\n', at) + 1;
  return Math.max(0, at);
}

function positionOf(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, character: offset - start };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const b = args.indexOf('--bundle');
  const bundle = b >= 0 ? path.resolve(args.splice(b, 2)[1]) : SERVER_BUNDLE;
  const snapshot = args.includes('--snapshot');
  const a = args.indexOf('--node-args');
  const nodeArgs = a >= 0 ? args.splice(a, 2)[1].split(' ').filter(Boolean) : [];
  const [mode, n] = args.filter((a) => !a.startsWith('--'));
  if (mode === 'old-edit') await oldEdit(Number(n) > 0 ? Number(n) : 2_000, bundle, nodeArgs);
  else if (mode === 'findings') await findings(Number(n) > 0 ? Number(n) : 2_500, bundle, snapshot, args.includes('--once'), nodeArgs);
  else {
    const f = args.indexOf('--findings');
    await workspace(Number(n) > 0 ? Number(n) : 2_000, bundle, snapshot, nodeArgs, f >= 0 ? Number(args[f + 1]) : 1);
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
