// VS Code's client capabilities for code actions, for tests and benches that start the server as
// VS Code would: its code action resolve support changes what the server puts in each diagnostic.
import { SERVER_BUNDLE, startServer, type TestClient } from '../lib/lsp-client';

/** What VS Code 1.9x declares for code actions: edits are resolved on demand. */
export const VSCODE_CODE_ACTIONS = {
  codeAction: {
    dataSupport: true,
    isPreferredSupport: true,
    resolveSupport: { properties: ['edit'] },
    codeActionLiteralSupport: { codeActionKind: { valueSet: ['', 'quickfix', 'refactor', 'source', 'source.fixAll'] } },
  },
};

/** Like startServer, with `textDocument` capabilities added to the minimal ones and the bytes of each publish recorded. */
export function startServerWith(textDocument: Record<string, unknown>, rootUri: string | null, settings: Record<string, unknown> = {}, bundle = SERVER_BUNDLE): Promise<TestClient> {
  return startServer(rootUri, settings, undefined, bundle, { textDocument, recordBytes: true });
}
