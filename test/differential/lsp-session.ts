// One language server driven like an editor: it keeps what every open document's text is (applying
// the same incremental changes the server receives), records every publish, and waits until the
// server has settled (each open document published for its current version and nothing published or
// logged for a quiet period) before anyone reads the diagnostics.
import type { CodeAction, Diagnostic, TextDocumentContentChangeEvent, TextEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { startServer, SERVER_BUNDLE, type PublishedDiagnostics, type TestClient } from '../lib/lsp-client';
import { VSCODE_CODE_ACTIONS } from '../lsp/vscode-like-client';

/** Every finding published (no cap), so the whole result is compared. */
export const SETTINGS = { maxDiagnosticsPerFile: 0 };

interface Publish {
  version?: number;
  diagnostics: Diagnostic[];
  /** The change counter when it arrived: a publish older than the last change is not this text's. */
  afterChange: number;
  /** Publishes received before it, all files. */
  seq: number;
}

export class LspSession {
  readonly docs = new Map<string, TextDocument>();
  private readonly last = new Map<string, Publish>();
  private changes = 0;
  /** Per document, the change counter at its last change. */
  private readonly changedAt = new Map<string, number>();
  private lastActivity = Date.now();
  private log = '';
  private publishes = 0;
  /** The publish counter when the server logged its workspace index. */
  private indexMark: number | undefined;

  /** Set when the server process ends: every wait fails at once instead of timing out. */
  private exit: string | undefined;
  private readonly exited: Promise<never>;

  private constructor(readonly client: TestClient) {
    this.exited = new Promise<never>((_, reject) => {
      client.process.once('exit', (code, signal) => {
        this.exit = `the server exited (code ${code}, signal ${signal}); stderr: ${this.stderr().slice(-2000)}`;
        reject(new Error(this.exit));
      });
    });
    this.exited.catch(() => undefined);
  }

  private alive(): void {
    if (this.exit) throw new Error(this.exit);
  }

  /** A request that fails as soon as the server is gone. */
  private request<T>(method: string, params: unknown): Promise<T> {
    this.alive();
    return Promise.race([this.client.connection.sendRequest(method, params) as Promise<T>, this.exited]);
  }

  static async start(rootUri: string, bundle = SERVER_BUNDLE): Promise<LspSession> {
    const client = await startServer(rootUri, SETTINGS, undefined, bundle, {
      textDocument: { ...VSCODE_CODE_ACTIONS, publishDiagnostics: { codeDescriptionSupport: true, dataSupport: true, versionSupport: true } },
    });
    const session = new LspSession(client);
    // Replaces the test client's own handlers (one per method): this session needs every publish and log line.
    client.connection.onNotification('textDocument/publishDiagnostics', (p: PublishedDiagnostics) => {
      session.last.set(p.uri, { version: p.version, diagnostics: p.diagnostics, afterChange: session.changes, seq: session.publishes++ });
      session.lastActivity = Date.now();
    });
    client.connection.onNotification('window/logMessage', (p: { message: string }) => {
      session.log += p.message + '\n';
      if (session.indexMark === undefined && /Indexed \d+ SQL files/.test(p.message)) session.indexMark = session.publishes;
      session.lastActivity = Date.now();
    });
    return session;
  }

  stderr(): string {
    return this.client.stderr() + this.log;
  }

  async open(uri: string, text: string): Promise<void> {
    const languageId = uri.endsWith('.ts') ? 'typescript' : 'sql';
    const doc = TextDocument.create(uri, languageId, 1, text);
    this.docs.set(uri, doc);
    this.changedAt.set(uri, ++this.changes);
    await this.client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
  }

  async change(uri: string, changes: TextDocumentContentChangeEvent[]): Promise<void> {
    const doc = this.docs.get(uri);
    if (!doc) throw new Error(`${uri} is not open`);
    const version = doc.version + 1;
    TextDocument.update(doc, changes, version);
    this.changedAt.set(uri, ++this.changes);
    await this.client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
  }

  async save(uri: string): Promise<void> {
    await this.client.connection.sendNotification('textDocument/didSave', { textDocument: { uri } });
  }

  async close(uri: string): Promise<void> {
    this.docs.delete(uri);
    this.last.delete(uri);
    this.changes++;
    await this.client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  async filesChanged(changes: Array<{ uri: string; type: 1 | 2 | 3 }>): Promise<void> {
    this.changes++;
    await this.client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes });
  }

  /** Waits for this document's check of its current text (typing at a pace the debounce lets through). */
  async checked(uri: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.publishedCurrent(uri)) {
      this.alive();
      if (Date.now() > deadline) throw new Error(`no publish of ${uri} version ${this.docs.get(uri)?.version} within ${timeoutMs} ms`);
      await sleep(5);
    }
  }

  private publishedCurrent(uri: string): boolean {
    const doc = this.docs.get(uri);
    const p = this.last.get(uri);
    if (!doc || !p) return false;
    // A TypeScript file that imports neither drizzle-orm nor pg is cleared without a version.
    return p.version === undefined ? p.afterChange >= (this.changedAt.get(uri) ?? 0) : p.version === doc.version;
  }

  /**
   * Waits for the workspace index (the server logs it once its migrations are read; it then checks the
   * open documents again) and returns a mark for `settle`: publishes after it are the indexed ones.
   */
  async indexed(timeoutMs = 30_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (this.indexMark === undefined) {
      this.alive();
      if (Date.now() > deadline) throw new Error(`the server did not index the workspace within ${timeoutMs} ms`);
      await sleep(10);
    }
    return this.indexMark;
  }

  /** Every open document published for its current text (and after `mark`) and the server quiet for `quietMs`. */
  async settle(quietMs = 600, timeoutMs = 30_000, mark = 0): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      this.alive();
      const behind = [...this.docs.keys()].filter((u) => !this.publishedCurrent(u) || this.last.get(u)!.seq < mark);
      if (behind.length === 0 && Date.now() - this.lastActivity >= quietMs) return;
      if (Date.now() > deadline) throw new Error(`server did not settle within ${timeoutMs} ms; behind: ${behind.join(', ')}`);
      await sleep(Math.min(100, quietMs / 4));
    }
  }

  diagnostics(uri: string): Diagnostic[] {
    return this.last.get(uri)?.diagnostics ?? [];
  }

  async fixAll(uri: string): Promise<TextEdit[]> {
    const r = await this.request<{ changes: Record<string, TextEdit[]> }>('ledgerlint/fixAll', { uri });
    return r.changes[uri] ?? [];
  }

  /** The quick fixes offered on `d`, each resolved to its edit as VS Code does when one is picked. */
  async quickFixes(uri: string, d: Diagnostic): Promise<Array<{ title: string; edit: unknown }>> {
    const actions = await this.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
    const out: Array<{ title: string; edit: unknown }> = [];
    for (const a of actions ?? []) {
      const resolved = a.edit || !a.data ? a : await this.request<CodeAction>('codeAction/resolve', a);
      out.push({ title: a.title, edit: resolved.edit ?? null });
    }
    return out;
  }

  stop(): Promise<void> {
    return this.client.stop();
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
