// EXPLAIN in the editor: hover, CodeLens, the explain request and the connection, wired to the
// connection. Each reads the statement under the cursor from the last check.
import { drizzleHover, readFromDisk } from '../drizzle/to-sql/hover';
import type { ExplainParams, ExplainResult, SetConnectionParams } from '../protocol';
import { isTypeScript, modelKey } from './document-kinds';
import { drizzleExplain } from './drizzle-explain';
import { isWrite, lensTitle, statementAt, statusOf, toExplainResult, type ConnectedAnnouncer, type ConnectionState } from './explain-wiring';
import { pathToUri } from './folders';
import type { ServerContext } from './server-context';

export function registerExplainHandlers(ctx: ServerContext, announcer: ConnectedAnnouncer, connectionState: Omit<ConnectionState, 'root'>): void {
  const { connection, documents, folders, services } = ctx;

  async function statementUnder(uri: string, position: { line: number; character: number }) {
    await ctx.checkedNow(uri);
    const file = ctx.lastFiles.get(uri);
    if (!file) return undefined;
    const stmt = statementAt(file, file.lines.offsetAt(position));
    return stmt ? { file, stmt } : undefined;
  }

  connection.onHover(async (params) => {
    const found = await statementUnder(params.textDocument.uri, params.position);
    if (!found) return drizzleChainHover(params.textDocument.uri, params.position);
    const folder = folders.of(params.textDocument.uri);
    const result = await services.explainFor(folder).hover(found.stmt.segment.text, { commandArgs: { uri: params.textDocument.uri, offset: found.stmt.segment.start } });
    const status = announcer.after(result, () => services.connectionOf(folder));
    if (status) connection.sendNotification('ledgerlint/status', status);
    return { contents: { kind: 'markdown', value: result.markdown }, range: { start: found.file.lines.positionAt(found.stmt.segment.start), end: found.file.lines.positionAt(found.stmt.segment.end) } };
  });

  /** A Drizzle query chain in TypeScript: the SQL it sends and its plan, or why it cannot be derived. */
  async function drizzleChainHover(uri: string, position: { line: number; character: number }) {
    const doc = documents.get(uri);
    if (!doc || !isTypeScript(doc)) return null;
    const folder = folders.of(uri);
    const hover = await drizzleHover({
      path: modelKey(uri),
      text: doc.getText(),
      offset: doc.offsetAt(position),
      // The links carry the chain's start: `ledgerlint/explain` finds the chain there again.
      explain: (sql, chainStart) => services.explainFor(folder).hover(sql, { commandArgs: { uri, offset: chainStart } }),
      read: (p) => documents.get(pathToUri(p))?.getText() ?? readFromDisk(p),
    });
    if (!hover) return null;
    return { contents: { kind: 'markdown' as const, value: hover.markdown }, range: { start: doc.positionAt(hover.start), end: doc.positionAt(hover.end) } };
  }

  connection.onCodeLens(async (params) => {
    await ctx.checkedNow(params.textDocument.uri);
    const folder = folders.of(params.textDocument.uri);
    const file = ctx.lastFiles.get(params.textDocument.uri);
    if (!file || folder.settings?.codeLens.enable === false || !services.connectionOf(folder)) return [];
    return file.statements
      .filter((s) => statementAt(file, s.segment.start) === s)
      .map((s) => ({ range: { start: file.lines.positionAt(s.segment.start), end: file.lines.positionAt(s.segment.start) }, data: { uri: params.textDocument.uri, offset: s.segment.start, text: s.segment.text } }));
  });

  connection.onCodeLensResolve(async (lens) => {
    const data = lens.data as { uri: string; offset: number; text: string };
    const result = await services.explainFor(folders.of(data.uri)).hover(data.text);
    const title = lensTitle(result) ?? `EXPLAIN: ${result.error?.message ?? 'no plan'}`;
    return { ...lens, command: { title, command: 'ledgerlint.showPlanView', arguments: [{ uri: data.uri, offset: data.offset }] } };
  });

  connection.onRequest('ledgerlint/explain', async (params: ExplainParams): Promise<ExplainResult> => {
    const found = await statementUnder(params.uri, params.position);
    const doc = documents.get(params.uri);
    if (!found && doc && isTypeScript(doc)) {
      const drizzle = await drizzleExplain({
        params,
        path: modelKey(params.uri),
        text: doc.getText(),
        offset: doc.offsetAt(params.position),
        read: (p) => documents.get(pathToUri(p))?.getText() ?? readFromDisk(p),
        service: services.explainFor(folders.of(params.uri)),
      });
      if (drizzle) return drizzle;
    }
    if (!found) return { markdown: '', error: 'Put the cursor in a SELECT, INSERT, UPDATE, DELETE or MERGE statement (or a Drizzle query chain) to explain it.' };
    if (params.analyze === 'select' && isWrite(found.stmt)) {
      return {
        markdown: '',
        requiresConfirmation: {
          statementKind: found.stmt.segment.text.trim().split(/\s+/)[0].toUpperCase(),
          message: 'EXPLAIN ANALYZE runs this statement. Ledgerlint rolls the transaction back, but triggers fire and sequences advance. Run it?',
        },
      };
    }
    const analyze = params.analyze === 'dml-confirmed' ? 'dml-confirmed' : params.analyze === 'select' ? 'select' : undefined;
    const result = await services.explainFor(folders.of(params.uri)).hover(found.stmt.segment.text, { analyze, commandArgs: { uri: params.uri, offset: found.stmt.segment.start } });
    return toExplainResult(result);
  });

  connection.onNotification('ledgerlint/setConnection', async (params: SetConnectionParams) => {
    connectionState.disconnected = params.disconnect === true;
    if (params.settings) connectionState.settings = params.settings;
    if (params.password !== undefined) connectionState.password = params.password;
    await services.resetConnections();
    if (connectionState.disconnected) {
      announcer.sent({ state: 'disconnected' });
      connection.sendNotification('ledgerlint/status', { state: 'disconnected' });
      return;
    }
    const folder = folders.all()[0];
    const resolved = services.connectionOf(folder);
    const probe = await services.explainFor(folder).hover('SELECT 1');
    announcer.sent(statusOf(probe, resolved));
    connection.sendNotification('ledgerlint/status', statusOf(probe, resolved));
    void connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
  });
}
