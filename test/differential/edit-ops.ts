// The edits a differential run makes, as data: a run is its seed's initial files and this list, so a
// divergence can be replayed and cut down to the few operations that cause it. The generator
// simulates the editor and the disk itself (it never asks the server), so the list is a pure
// function of the seed.
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { seededRandom } from '../lib/seeded-random';
import { CONFIG_POOL, CRLF_QUERY_POOL, DB_POOL, DDL_POOL, DRIZZLE_COLUMN_POOL, ENUM_COLUMN_POOL, ENUM_POOL, generateWorkspace, KEY_ONLY_COLUMN_POOL, QUERY_POOL, type Files, type Pick } from './workspace-gen';

export type Op =
  /** didChange on an open document; `wait`: wait for its check before the next op (a pause in typing). */
  | { kind: 'change'; path: string; changes: TextDocumentContentChangeEvent[]; wait?: boolean }
  /** Writes the buffer to disk, didSave, and the watched-file event the save causes. */
  | { kind: 'save'; path: string }
  | { kind: 'close'; path: string }
  /** didOpen with the text on disk. */
  | { kind: 'open'; path: string }
  /** A closed file written on disk (a generator, git checkout): created or changed. */
  | { kind: 'disk-write'; path: string; text: string }
  | { kind: 'disk-delete'; path: string }
  | { kind: 'disk-rename'; from: string; to: string }
  /** Compare with a fresh server here. */
  | { kind: 'checkpoint' }
  /** The user stops typing for a while (the server's idle-time work runs). */
  | { kind: 'pause'; ms: number };

export interface Case {
  seed: number;
  files: Files;
  ops: Op[];
}

/** What the generator knows: the disk and the open buffers (with undo stacks). */
interface SimState {
  disk: Map<string, string>;
  open: Map<string, TextDocument>;
  undo: Map<string, Array<{ range: { start: number; end: number }; text: string }>>;
}

const isLintable = (p: string) => p.endsWith('.sql') || p.endsWith('.ts');

export function generateCase(seed: number, edits: number, checkpoints = 1, extended = false, big = false): Case {
  const random = seededRandom(seed);
  const pick: Pick = (xs) => xs[Math.floor(random() * xs.length)];
  const files = generateWorkspace(pick, random, extended, big);
  const state: SimState = { disk: new Map(Object.entries(files)), open: new Map(), undo: new Map() };
  const ops: Op[] = [];
  const emit = (op: Op) => {
    apply(state, op);
    ops.push(op);
  };
  // Start with most files open, as after a restore of the editor's tabs.
  for (const p of Object.keys(files)) if (isLintable(p) && random() < 0.8) emit({ kind: 'open', path: p });
  const every = Math.max(1, Math.floor(edits / checkpoints));
  for (let i = 1; i <= edits; i++) {
    if (!(extended && random() < 0.15 && renameInPlace(state, emit, random, pick))) step(state, emit, random, pick);
    if (i % every === 0 || i === edits) emit({ kind: 'checkpoint' });
  }
  return { seed, files, ops };
}

function offsetRange(doc: TextDocument, start: number, end: number) {
  return { start: doc.positionAt(start), end: doc.positionAt(end) };
}

/** Line starts of a text, where whole statements are pasted or deleted (one statement per line). */
function lineStarts(text: string): number[] {
  const out = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) if (i + 1 <= text.length) out.push(i + 1);
  return out;
}

/** The file's own line end: a line typed into a CRLF file ends with CRLF. */
const eol = (text: string) => (text.includes('\r\n') ? '\r\n' : '\n');

function poolFor(path: string, text = ''): readonly string[] {
  if (path.endsWith('enums.ts')) return ENUM_POOL;
  if (path.endsWith('db.ts')) return DB_POOL;
  if (path.endsWith('drizzle.config.ts')) return CONFIG_POOL;
  if (path.endsWith('.ts')) return text.includes("from './enums'") ? [...DRIZZLE_COLUMN_POOL, ...ENUM_COLUMN_POOL, ...KEY_ONLY_COLUMN_POOL] : DRIZZLE_COLUMN_POOL;
  if (path.endsWith('crlf.sql')) return CRLF_QUERY_POOL;
  return path.startsWith('queries/') ? QUERY_POOL : DDL_POOL;
}

/** Where a new line goes: in a Drizzle file, before a table's closing `});`; in SQL, at any line start. */
function insertionPoint(doc: TextDocument, path: string, pick: Pick): number {
  const text = doc.getText();
  if (path.endsWith('.ts')) {
    const closes: number[] = [];
    for (let i = text.indexOf('\n});'); i !== -1; i = text.indexOf('\n});', i + 1)) closes.push(i + 1);
    if (closes.length) return pick(closes);
  }
  return pick(lineStarts(text));
}

/** Names a rename types over: tables, columns, an enum, and names no migration declares. */
const IDENTIFIERS = ['payments', 'accounts', 'wallets', 'amount', 'currency', 'merchant_id', 'account_id', 'status', 'payment_status', 'created_at', 'ledger_entries', 'refunds'];

/**
 * Retypes one identifier where it stands (select the word, type another one character by character):
 * the edits that change a table's or column's name inside DDL and queries, which per-table and
 * per-query reuse must notice. Returns false when the open files hold none of the names.
 */
function renameInPlace(state: SimState, emit: (op: Op) => void, random: () => number, pick: Pick): boolean {
  const spots: Array<{ path: string; start: number; word: string }> = [];
  for (const [path, doc] of state.open) {
    for (const m of doc.getText().matchAll(/[A-Za-z_][A-Za-z_0-9]*/g)) if (IDENTIFIERS.includes(m[0])) spots.push({ path, start: m.index!, word: m[0] });
  }
  if (spots.length === 0) return false;
  const spot = pick(spots);
  const doc = state.open.get(spot.path)!;
  const next = pick(IDENTIFIERS.filter((w) => w !== spot.word));
  const range = (a: number, b: number) => ({ start: doc.positionAt(a), end: doc.positionAt(b) });
  emit({ kind: 'change', path: spot.path, changes: [{ range: range(spot.start, spot.start + spot.word.length), text: next[0] }], wait: random() < 0.3 });
  for (let i = 1; i < next.length; i++) emit({ kind: 'change', path: spot.path, changes: [{ range: range(spot.start + i, spot.start + i), text: next[i] }], wait: random() < 0.15 });
  return true;
}

function step(state: SimState, emit: (op: Op) => void, random: () => number, pick: Pick): void {
  const open = [...state.open.keys()];
  const closed = [...state.disk.keys()].filter((p) => isLintable(p) && !state.open.has(p));
  const r = random();
  if (open.length === 0 || r < 0.1) {
    diskStep(state, emit, random, pick, closed);
    return;
  }
  const path = pick(open);
  const doc = state.open.get(path)!;
  const text = doc.getText();
  const change = (start: number, end: number, insert: string, wait?: boolean) => emit({ kind: 'change', path, changes: [{ range: offsetRange(doc, start, end), text: insert }], ...(wait ? { wait } : {}) });
  if (r < 0.3) {
    // Typing a line character by character, pausing now and then long enough for a check.
    const at = insertionPoint(doc, path, pick);
    const line = pick(poolFor(path, text)) + eol(text);
    for (let i = 0; i < line.length; i++) change(at + i, at + i, line[i], random() < 0.12);
  } else if (r < 0.45) {
    const at = insertionPoint(doc, path, pick);
    change(at, at, pick(poolFor(path, text)) + eol(text), random() < 0.5);
  } else if (r < 0.57) {
    // Deleting a whole line (a statement, or a Drizzle column).
    const starts = lineStarts(text);
    const i = Math.floor(random() * starts.length);
    const end = i + 1 < starts.length ? starts[i + 1] : text.length;
    change(starts[i], end, '', random() < 0.5);
  } else if (r < 0.7) {
    // A small typo somewhere, or its deletion.
    const at = Math.floor(random() * (text.length + 1));
    if (random() < 0.5 && at < text.length) change(at, at + 1, '', random() < 0.3);
    else change(at, at, pick([' ', ';', ',', '(', ')', 'x', '_id', "'", '\n', '1', 'é']), random() < 0.3);
  } else if (r < 0.78) {
    // Undo the last edits of this document, one by one.
    const stack = state.undo.get(path) ?? [];
    const n = 1 + Math.floor(random() * 4);
    for (let i = 0; i < n && stack.length; i++) {
      const u = stack[stack.length - 1];
      change(u.range.start, u.range.end, u.text, random() < 0.3);
    }
  } else if (r < 0.82) {
    // Two edits in one notification (multi-cursor): the second's range is in the text after the first.
    const a = Math.floor(random() * (text.length + 1));
    const b = Math.floor(random() * (text.length + 1));
    const [lo, hi] = a < b ? [a, b] : [b, a];
    const first = { range: offsetRange(doc, hi, hi), text: '-- ✓\n' };
    const second = { range: offsetRange(doc, lo, Math.min(lo + 3, hi)), text: '' };
    emit({ kind: 'change', path, changes: [first, second], wait: random() < 0.5 });
  } else if (r < 0.85) {
    // A client that sends the whole text (no range), with a line pasted at the end.
    emit({ kind: 'change', path, changes: [{ text: text + pick(poolFor(path, text)) + '\n' }], wait: random() < 0.5 });
  } else if (r < 0.93) {
    emit({ kind: 'save', path });
  } else {
    emit({ kind: 'close', path });
  }
}

function diskStep(state: SimState, emit: (op: Op) => void, random: () => number, pick: Pick, closed: string[]): void {
  const r = random();
  const migrations = [...state.disk.keys()].filter((p) => p.startsWith('migrations/'));
  const closedMigrations = closed.filter((p) => p.startsWith('migrations/'));
  if (closed.length && r < 0.35) {
    emit({ kind: 'open', path: pick(closed) });
  } else if (r < 0.55) {
    // A new migration after the others (a generator run).
    const n = migrations.length + 1 + Math.floor(random() * 3);
    const statements = Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(DDL_POOL));
    emit({ kind: 'disk-write', path: `migrations/${String(n).padStart(4, '0')}_gen${n}.sql`, text: statements.join('\n') + '\n' });
  } else if (closed.length && r < 0.7) {
    const p = pick(closed);
    emit({ kind: 'disk-write', path: p, text: state.disk.get(p)! + pick(poolFor(p, state.disk.get(p))) + '\n' });
  } else if (closedMigrations.length && r < 0.85) {
    // Renumbering a migration moves it in the run order.
    const from = pick(closedMigrations);
    const to = from.replace(/^migrations\/\d+/, `migrations/${String(Math.floor(random() * 9) + 1).padStart(4, '0')}`).replace(/\.sql$/, 'r.sql');
    if (!state.disk.has(to)) emit({ kind: 'disk-rename', from, to });
  } else if (closed.length) {
    const p = pick(closed.filter((x) => x !== 'migrations/0001_init.sql').concat(closed));
    emit({ kind: 'disk-delete', path: p });
  }
}

/** The generator's own bookkeeping of an op (the runner applies the same op to the disk and the server). */
function apply(state: SimState, op: Op): void {
  switch (op.kind) {
    case 'open':
      state.open.set(op.path, TextDocument.create(op.path, op.path.endsWith('.ts') ? 'typescript' : 'sql', 1, state.disk.get(op.path) ?? ''));
      state.undo.set(op.path, []);
      break;
    case 'change': {
      const doc = state.open.get(op.path)!;
      const before = doc.getText();
      const stack = state.undo.get(op.path)!;
      const single = op.changes.length === 1 && 'range' in op.changes[0] ? op.changes[0] : undefined;
      TextDocument.update(doc, op.changes, doc.version + 1);
      if (single && 'range' in single) {
        const start = TextDocument.create('', '', 0, before).offsetAt(single.range.start);
        const end = TextDocument.create('', '', 0, before).offsetAt(single.range.end);
        const undo = { range: { start, end: start + single.text.length }, text: before.slice(start, end) };
        // An op that is itself the undo of the top of the stack pops it.
        const top = stack[stack.length - 1];
        if (top && top.range.start === start && top.range.end === end && top.text === single.text) stack.pop();
        else stack.push(undo);
      } else stack.length = 0;
      break;
    }
    case 'save':
      state.disk.set(op.path, state.open.get(op.path)!.getText());
      break;
    case 'close':
      state.open.delete(op.path);
      break;
    case 'disk-write':
      state.disk.set(op.path, op.text);
      break;
    case 'disk-delete':
      state.disk.delete(op.path);
      break;
    case 'disk-rename':
      state.disk.set(op.to, state.disk.get(op.from)!);
      state.disk.delete(op.from);
      break;
    case 'checkpoint':
    case 'pause':
      break;
  }
}
