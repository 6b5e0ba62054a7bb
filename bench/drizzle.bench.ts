// The Drizzle front-end on a generated 5,000-line schema: first diagnostic in a fresh process
// (TypeScript module load included), then re-check times after one-character edits, with the
// syntax tree reused (`ts.updateSourceFile`) and, for comparison, parsed from scratch. The re-check
// is also given in CPU time of this process, which a machine loaded by other work disturbs less.
// Then the same schema and keystrokes through the bundled language server over stdio, as an editor
// sees them: didOpen / didChange -> publishDiagnostics (debounce, TypeScript analysis, rules, JSON).
// Run: npm run bench drizzle (or node out/bench/drizzle.bench.js [--lsp-only] [--server dist/server.js] after a
// build; --server compares another build's server, e.g. a copy of the session-start dist/).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { startServer } from '../test/lib/lsp-client';
import { percentile } from './lib/generate';

/** A schema of `lines` lines: tables with money, time and reference columns and an extra config. */
export function generateDrizzleSchema(lines: number): string {
  const out = [
    "import { sql } from 'drizzle-orm';",
    "import { bigint, doublePrecision, index, integer, jsonb, numeric, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';",
    '',
  ];
  for (let i = 0; out.length < lines; i++) {
    const prev = i > 0 ? `ledger${i - 1}` : undefined;
    out.push(
      `export const ledger${i} = pgTable(`,
      `  'ledger_${i}',`,
      '  {',
      "    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),",
      prev ? `    parentId: bigint('parent_id', { mode: 'number' }).references(() => ${prev}.id),` : "    parentId: bigint('parent_id', { mode: 'number' }),",
      "    amount: numeric('amount', { precision: 19, scale: 4 }).notNull(),",
      `    fee: ${i % 7 === 0 ? "doublePrecision('fee')" : "numeric('fee', { precision: 19, scale: 4 })"},`,
      "    attempts: integer('attempts').notNull().default(0),",
      "    currency: text('currency').notNull(),",
      "    payload: jsonb('payload'),",
      `    postedAt: timestamp('posted_at'${i % 5 === 0 ? '' : ', { withTimezone: true }'}).notNull().defaultNow(),`,
      '  },',
      '  (t) => [',
      `    uniqueIndex('ledger_${i}_currency_key').on(t.currency, t.id),`,
      `    index('ledger_${i}_posted_idx').on(t.postedAt).where(sql\`\${t.amount} > 0\`),`,
      '  ],',
      ');',
      '',
    );
  }
  return out.join('\n');
}

const ANCHOR = "    currency: text('currency')";

/** Where the keystrokes go: inside a column declaration of tables spread over the file. */
function editOffsets(text: string): number[] {
  const out: number[] = [];
  for (let i = text.indexOf(ANCHOR); i >= 0; i = text.indexOf(ANCHOR, i + 1)) out.push(i + 4);
  return out;
}

function positionAt(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

/** CPU time (user + system) of a process so far, from /proc (10 ms ticks); NaN elsewhere than Linux. */
function processCpuMs(pid: number | undefined): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

/** The schema in the bundled server: open, then 40 one-character edits, each awaited before the next. */
async function overLsp(text: string): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'll-drizzle-bench-'));
  const uri = pathToFileURL(path.join(dir, 'schema.ts')).href;
  const at = process.argv.indexOf('--server');
  const bundle = at > 0 ? path.resolve(process.argv[at + 1]) : undefined;
  const spawned = performance.now();
  const client = await startServer(pathToFileURL(dir).href, {}, undefined, bundle);
  try {
    let version = 1;
    const published = (v: number) => client.diagnostics(uri, (_d, p) => p.version === v, 300_000);
    let done = published(version);
    const opened = performance.now();
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version, text } });
    const first = await done;
    const openMs = performance.now() - opened;
    const startMs = performance.now() - spawned;
    const positions = editOffsets(text);
    let current = text;
    const wall: number[] = [];
    const cpu: number[] = [];
    for (let k = 0; k < 40; k++) {
      const at = positions[Math.floor((k / 40) * positions.length)];
      const insert = k % 2 === 0;
      const start = positionAt(current, at);
      const end = insert ? start : { line: start.line, character: start.character + 1 };
      current = insert ? current.slice(0, at) + ' ' + current.slice(at) : current.slice(0, at) + current.slice(at + 1);
      version++;
      done = published(version);
      const t = performance.now();
      const c = processCpuMs(client.process.pid);
      await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range: { start, end }, text: insert ? ' ' : '' }] });
      await done;
      wall.push(performance.now() - t);
      cpu.push(processCpuMs(client.process.pid) - c);
      // A user pausing between keystrokes: each edit is measured alone, not queued behind the last.
      await new Promise((r) => setTimeout(r, 20));
    }
    wall.sort((a, b) => a - b);
    cpu.sort((a, b) => a - b);
    console.log(
      `LSP (${bundle ?? 'dist/server.js'} over stdio): ${first.length.toLocaleString('en')} diagnostics; spawn -> first publish ${startMs.toFixed(0)} ms (didOpen -> publish ${openMs.toFixed(0)} ms); ` +
        `didChange -> publishDiagnostics median ${percentile(wall, 0.5).toFixed(0)} ms, p95 ${percentile(wall, 0.95).toFixed(0)} ms wall (n=${wall.length}, includes the debounce); ` +
        `server CPU per edit median ${percentile(cpu, 0.5).toFixed(0)} ms, p95 ${percentile(cpu, 0.95).toFixed(0)} ms`,
    );
  } finally {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const text = generateDrizzleSchema(5000);
  if (process.argv.includes('--lsp-only')) return overLsp(text);
  const lineCount = text.split('\n').length;
  const t0 = performance.now();
  // Loaded here, not at the top, so the first figure includes loading TypeScript (as after a server start).
  const { initParser } = require('../server/src/sql/parser') as typeof import('../server/src/sql/parser');
  await initParser();
  const tParser = performance.now();
  const { lintTypeScriptDocument } = require('../server/src/drizzle/project') as typeof import('../server/src/drizzle/project');
  const { lintTypeScriptFile } = require('../server/src/drizzle/lint') as typeof import('../server/src/drizzle/lint');
  const { resolveConfig } = require('../server/src/engine/config') as typeof import('../server/src/engine/config');
  const { RULES } = require('../server/src/rules') as typeof import('../server/src/rules');
  const { WorkspaceModel } = require('../server/src/model/workspace-model') as typeof import('../server/src/model/workspace-model');
  const tLoad = performance.now();
  const config = resolveConfig();
  // As in the language server: the document's tables join the workspace model, and schema-wide
  // rules (unindexed-foreign-key, no-primary-key, ...) read it back.
  const model = new WorkspaceModel();
  const first = lintTypeScriptDocument('file:///bench/schema.ts', text, { config, model });
  const tFirst = performance.now();
  console.log(`schema: ${lineCount} lines, ${first.analysis.tables.length} tables, ${first.findings.length} findings`);
  console.log(`first diagnostic: ${(tFirst - t0).toFixed(0)} ms after start (SQL parser ${(tParser - t0).toFixed(0)} ms, TypeScript + rules load ${(tLoad - tParser).toFixed(0)} ms, first lint ${(tFirst - tLoad).toFixed(0)} ms)`);

  // Keystrokes spread over the file: insert a space, then delete it, inside column declarations.
  const incremental: number[] = [];
  const incrementalCpu: number[] = [];
  const full: number[] = [];
  let current = text;
  const positions = editOffsets(current);
  for (let k = 0; k < 60; k++) {
    const at = positions[Math.floor((k / 60) * positions.length)];
    current = k % 2 === 0 ? current.slice(0, at) + ' ' + current.slice(at) : current.slice(0, at) + current.slice(at + 1);
    const s = performance.now();
    const cpu = process.cpuUsage();
    lintTypeScriptDocument('file:///bench/schema.ts', current, { config, model });
    const used = process.cpuUsage(cpu);
    incremental.push(performance.now() - s);
    incrementalCpu.push((used.user + used.system) / 1000);
    const f = performance.now();
    lintTypeScriptFile('fresh.ts', current, { config, rules: RULES, schema: model.schema() });
    full.push(performance.now() - f);
  }
  incremental.sort((a, b) => a - b);
  incrementalCpu.sort((a, b) => a - b);
  full.sort((a, b) => a - b);
  const fmt = (xs: number[]) => `median ${percentile(xs, 0.5).toFixed(1)} ms, p95 ${percentile(xs, 0.95).toFixed(1)} ms`;
  console.log(`re-check after an edit (tree reused): ${fmt(incremental)} wall; CPU ${fmt(incrementalCpu)}`);
  console.log(`re-check after an edit (fresh parse): ${fmt(full)}`);
  // Shared CI machines vary a lot: a fixed loop shows how loaded this one was while measuring.
  const c = performance.now();
  let x = 0;
  for (let i = 0; i < 1e8; i++) x += i;
  console.log(`calibration: 1e8-iteration loop ${(performance.now() - c).toFixed(0)} ms (${x > 0 ? 'about 70-100 ms on an idle core' : ''})`);
  await overLsp(text);
}

if (require.main === module) main().catch((err) => {
  console.error(err);
  process.exit(1);
});
