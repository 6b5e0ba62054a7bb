// The connection to the editor. Over stdio (VS Code, Neovim, Helix, the benches) the server encodes its own
// messages: a keystroke's publish re-sends every diagnostic of the file (1,000 under the cap, 550-650
// KB of JSON) though it changed a few, and JSON.stringify plus the UTF-8 copy of that cost 5-8 ms per
// keystroke and 1.5 MB of short-lived garbage. Each diagnostic's bytes are kept from the publish
// that sends it a second time (see `seen`); a publish joins them. A diagnostic is never changed once made (one moved by an
// edit is a new object), so its bytes stay right. Over --node-ipc Node's channel stringifies each
// message whole, which is why VS Code's client starts the server over stdio.
import { Console } from 'node:console';
import { Writable } from 'node:stream';
import { createConnection, ProposedFeatures, StreamMessageWriter } from 'vscode-languageserver/node';

/** Per diagnostic object, its JSON (UTF-8), made the first time it was published. */
const kept = new WeakMap<object, Buffer>();
const PLACEHOLDER = '\u0000diagnostics\u0000';
const PLACEHOLDER_JSON = JSON.stringify(PLACEHOLDER);
const COMMA = Buffer.from(',');

/**
 * Diagnostics published once, whose bytes were not kept: a diagnostic is worth keeping once it is
 * published a second time. A Drizzle keystroke moves most of a schema's findings, so most of its
 * diagnostics are new objects each time; keeping each one's bytes cost ~7 ms per 1,000 against ~2 ms
 * for one JSON.stringify of the message, while a big SQL file's quick look re-sends the same objects.
 */
const seen = new WeakSet<object>();

/** The bytes of `JSON.stringify(msg)`, a publish's diagnostics taken from their kept bytes. */
export function encodeMessage(msg: unknown): Buffer {
  const m = msg as { method?: unknown; params?: { diagnostics?: unknown } };
  const diagnostics = m?.method === 'textDocument/publishDiagnostics' ? m.params?.diagnostics : undefined;
  if (!Array.isArray(diagnostics) || diagnostics.length === 0 || !diagnostics.every(isObject)) return Buffer.from(JSON.stringify(msg), 'utf8');
  if (mostlyNew(diagnostics)) {
    for (const d of diagnostics) seen.add(d);
    return Buffer.from(JSON.stringify(msg), 'utf8');
  }
  const around = JSON.stringify({ ...m, params: { ...m.params, diagnostics: PLACEHOLDER } }).split(PLACEHOLDER_JSON);
  if (around.length !== 2) return Buffer.from(JSON.stringify(msg), 'utf8');
  const parts: Buffer[] = [Buffer.from(around[0] + '[', 'utf8')];
  for (const d of diagnostics) {
    if (parts.length > 1) parts.push(COMMA);
    parts.push(bytesOf(d));
  }
  parts.push(Buffer.from(']' + around[1], 'utf8'));
  return Buffer.concat(parts);
}

/** Fewer than half of the diagnostics were published before, judged on at most 32 spread over the list. */
function mostlyNew(diagnostics: readonly object[]): boolean {
  const step = Math.max(1, Math.floor(diagnostics.length / 32));
  let before = 0;
  let looked = 0;
  for (let i = 0; i < diagnostics.length; i += step, looked++) if (kept.has(diagnostics[i]) || seen.has(diagnostics[i])) before++;
  return before * 2 < looked;
}

function bytesOf(d: object): Buffer {
  let bytes = kept.get(d);
  if (!bytes) {
    const json = JSON.stringify(d);
    // Its own memory, not a slice of Node's shared pool: a kept slice would hold the whole 8 KB pool chunk.
    bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(json, 'utf8'));
    bytes.write(json, 'utf8');
    kept.set(d, bytes);
  }
  return bytes;
}

function isObject(d: unknown): d is object {
  return typeof d === 'object' && d !== null && !Array.isArray(d);
}

/** The connection the command line asks for (--stdio, --node-ipc, --socket, --pipe), stdio with the encoder above. */
export function createServerConnection(): ProposedFeatures.Connection {
  if (!process.argv.slice(2).includes('--stdio')) return createConnection(ProposedFeatures.all);
  const writer = new StreamMessageWriter(process.stdout, { charset: 'utf-8', contentTypeEncoder: { name: 'application/json', encode: (msg) => Promise.resolve(encodeMessage(msg)) } });
  const connection = createConnection(ProposedFeatures.all, process.stdin, writer as unknown as NodeJS.WritableStream);
  // As createConnection does for --stdio: a console.log would corrupt the messages on stdout, so the
  // console writes to the client's log.
  globalThis.console = new Console({ stdout: lines((l) => connection.console.log(l)), stderr: lines((l) => connection.console.error(l)) });
  return connection;
}

function lines(write: (line: string) => void): Writable {
  return new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      write(String(chunk).replace(/\n$/, ''));
      done();
    },
  });
}
