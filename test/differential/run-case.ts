// Runs a case (initial files + edit ops) against the bundled server as an editor would, and at each
// checkpoint compares what it published for every open file with a fresh server that opens the same
// buffers over the same disk. The workspace lives in a temp folder removed at the end; both servers
// are stopped in `finally`.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { SERVER_BUNDLE } from '../lib/lsp-client';
import { seededRandom } from '../lib/seeded-random';
import { compareWithCli } from './cli-compare';
import { diffDiagnostics, diffFixes, type Divergence } from './compare';
import type { Case, Op } from './edit-ops';
import { LspSession } from './lsp-session';

export interface CaseResult {
  divergences: Array<Divergence & { checkpoint: number; opIndex: number }>;
  edits: number;
  checkpoints: number;
}

export interface RunOptions {
  bundle?: string;
  /** Quick fixes compared per open file and checkpoint. */
  quickFixSample?: number;
  /** Stop at the first checkpoint that diverges (for minimising). */
  stopAtFirst?: boolean;
  /**
   * 'editor' (default): ops follow each other as fast as a typist, pausing only where an op says so
   * (the debounce merges the rest, as in an editor). 'settled': the server settles after every op,
   * so a replay does not depend on timing (for minimising).
   */
  pace?: 'editor' | 'settled';
  /**
   * Before each comparison, type a space at the end of every open document and delete it: each is
   * checked again through its caches, so what remains different is a wrong cache or model, not a
   * document nobody re-checked (which a plain run finds first and most often).
   */
  touchBeforeCompare?: boolean;
  /** Marks each divergence that a re-check of every open file removes as `stale` (not re-checked) rather than wrong. */
  classify?: boolean;
  /** Also compare the fresh server with `node cli.js check --format json` on a copy of the workspace holding the buffers. */
  cli?: boolean;
}

export async function runCase(c: Case, options: RunOptions = {}): Promise<CaseResult> {
  const bundle = options.bundle ?? SERVER_BUNDLE;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlint-diff-'));
  const uriOf = (p: string) => pathToFileURL(path.join(root, p)).href;
  for (const [p, text] of Object.entries(c.files)) write(root, p, text);
  const result: CaseResult = { divergences: [], edits: 0, checkpoints: 0 };
  let edited: LspSession | undefined;
  try {
    edited = await LspSession.start(pathToFileURL(root).href, bundle);
    // Edits start once the workspace is read, as a user's would a moment after opening the folder.
    await edited.indexed();
    for (let i = 0; i < c.ops.length; i++) {
      const op = c.ops[i];
      if (op.kind === 'checkpoint') {
        if (options.touchBeforeCompare) await touchAll(edited);
        let found = await compareWithFresh(root, edited, uriOf, bundle, options.quickFixSample ?? 2, c.seed + i);
        if (found.length && options.classify && !options.touchBeforeCompare) {
          // Gone once every open file is checked again: a file nobody re-checked, not a wrong cache.
          await touchAll(edited);
          const after = new Set((await compareWithFresh(root, edited, uriOf, bundle, options.quickFixSample ?? 2, c.seed + i)).map((d) => JSON.stringify(d)));
          found = found.map((d) => (after.has(JSON.stringify(d)) ? d : { ...d, stale: true }));
        }
        if (options.cli) found.push(...(await compareWithCli(root, edited, bundle)));
        result.checkpoints++;
        result.divergences.push(...found.map((d) => ({ ...d, checkpoint: result.checkpoints, opIndex: i })));
        if (found.length && options.stopAtFirst) break;
        continue;
      }
      await runOp(root, edited, uriOf, op);
      if (options.pace === 'settled') await edited.settle(120);
      if (op.kind !== 'open' && op.kind !== 'pause') result.edits++;
    }
    return result;
  } finally {
    await edited?.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

function write(root: string, p: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
  fs.writeFileSync(path.join(root, p), text);
}

/** Applies one op; an op that no longer applies (a minimised case dropped the open or the file it needs) is skipped. */
async function runOp(root: string, s: LspSession, uriOf: (p: string) => string, op: Exclude<Op, { kind: 'checkpoint' }>): Promise<void> {
  const isOpen = (p: string) => s.docs.has(uriOf(p));
  if ((op.kind === 'change' || op.kind === 'save' || op.kind === 'close') && !isOpen(op.path)) return;
  if (op.kind === 'open' && isOpen(op.path)) return;
  if ((op.kind === 'disk-write' || op.kind === 'disk-delete') && isOpen(op.path)) return;
  if (op.kind === 'disk-rename' && (isOpen(op.from) || isOpen(op.to) || !fs.existsSync(path.join(root, op.from)))) return;
  switch (op.kind) {
    case 'pause':
      await new Promise((resolve) => setTimeout(resolve, op.ms));
      return;
    case 'open':
      await s.open(uriOf(op.path), fs.existsSync(path.join(root, op.path)) ? fs.readFileSync(path.join(root, op.path), 'utf8') : '');
      return;
    case 'change':
      await s.change(uriOf(op.path), op.changes);
      if (op.wait) await s.checked(uriOf(op.path));
      return;
    case 'save':
      write(root, op.path, s.docs.get(uriOf(op.path))!.getText());
      await s.save(uriOf(op.path));
      await s.filesChanged([{ uri: uriOf(op.path), type: 2 }]);
      return;
    case 'close':
      await s.close(uriOf(op.path));
      return;
    case 'disk-write': {
      const existed = fs.existsSync(path.join(root, op.path));
      write(root, op.path, op.text);
      await s.filesChanged([{ uri: uriOf(op.path), type: existed ? 2 : 1 }]);
      return;
    }
    case 'disk-delete':
      fs.rmSync(path.join(root, op.path), { force: true });
      await s.filesChanged([{ uri: uriOf(op.path), type: 3 }]);
      return;
    case 'disk-rename':
      fs.renameSync(path.join(root, op.from), path.join(root, op.to));
      await s.filesChanged([
        { uri: uriOf(op.from), type: 3 },
        { uri: uriOf(op.to), type: 1 },
      ]);
      return;
  }
}

async function touchAll(s: LspSession): Promise<void> {
  await s.settle(300);
  for (const doc of [...s.docs.values()]) {
    const end = doc.positionAt(doc.getText().length);
    await s.change(doc.uri, [{ range: { start: end, end }, text: ' ' }]);
    await s.change(doc.uri, [{ range: { start: end, end: { line: end.line, character: end.character + 1 } }, text: '' }]);
    await s.checked(doc.uri);
  }
}

async function compareWithFresh(root: string, edited: LspSession, uriOf: (p: string) => string, bundle: string, sampleSize: number, seed: number): Promise<Divergence[]> {
  await edited.settle();
  const fresh = await LspSession.start(pathToFileURL(root).href, bundle);
  try {
    const rootUri = pathToFileURL(root).href + '/';
    const open = [...edited.docs.values()];
    for (const doc of open) await fresh.open(doc.uri, doc.getText());
    await fresh.settle(800, 30_000, await fresh.indexed());
    // A check still scheduled (a quiet period is no proof on a loaded machine) runs before fix-all answers.
    for (const s of [edited, fresh]) {
      for (const doc of open) await s.fixAll(doc.uri);
      await s.settle(200);
    }
    const random = seededRandom(seed);
    const sample = (ds: import('vscode-languageserver').Diagnostic[]) => [...ds].sort(() => random() - 0.5).slice(0, sampleSize);
    const out: Divergence[] = [];
    for (const doc of open) {
      const rel = doc.uri.slice(rootUri.length);
      out.push(...diffDiagnostics(rel, fresh.diagnostics(doc.uri), edited.diagnostics(doc.uri)));
      out.push(...(await diffFixes(rel, doc.uri, fresh, edited, sample)));
    }
    return out;
  } finally {
    await fresh.stop();
  }
}
