// Node flags the VS Code extension starts the language server with (kept out of extension.ts, which
// imports vscode, so a test can start the server with the same flags).
// --max-semi-space-size=8: V8's young generation takes 16 MB instead of 32, which RSS counts even
// when it holds only garbage. A 10,000-statement file's keystroke cost the same server CPU with it
// (median 240-280 against 280-320 ms, p95 690-720 against 560-780, keystroke-lsp.bench --vscode at load 12-14; 4 MB semi-spaces cost ~20% more).
export const SERVER_NODE_ARGS: readonly string[] = ['--max-semi-space-size=8'];
