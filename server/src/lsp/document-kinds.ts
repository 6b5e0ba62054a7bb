// Which checks a document gets, and the key the workspace model knows it by.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { uriToPath } from './folders';

export function isSql(doc: TextDocument): boolean {
  return doc.languageId === 'sql' || doc.languageId === 'pgsql' || doc.languageId === 'postgres' || doc.uri.endsWith('.sql');
}

export function isTypeScript(doc: TextDocument): boolean {
  return doc.languageId === 'typescript' || doc.languageId === 'typescriptreact' || /\.(m|c)?tsx?$/.test(doc.uri);
}

/** Model keys are file paths (as the CLI uses), or the URI for unsaved documents. */
export function modelKey(uri: string): string {
  return uriToPath(uri) ?? uri;
}
