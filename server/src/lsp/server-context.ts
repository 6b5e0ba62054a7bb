// What the handler modules share with server.ts: the connection, the open documents, the folders
// and the last check of each document. server.ts builds it once; handlers only read the maps.
import type { Diagnostic, ProposedFeatures, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { SqlFile } from '../sql/document';
import type { FolderServices } from './folder-services';
import type { Folder, Folders } from './folders';
import type { StoredFindings } from './stored-findings';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

export interface ServerContext {
  connection: ProposedFeatures.Connection;
  documents: TextDocuments<TextDocument>;
  folders: Folders;
  services: FolderServices;
  /** What each document's last check published. */
  lastDiagnostics: Map<string, Diagnostic[]>;
  /** Each SQL document's last checked file (statements, lines), for hovers and lenses. */
  lastFiles: Map<string, SqlFile>;
  storedFindings: StoredFindings;
  /** Rules whose failure was logged: once per server, not per keystroke. */
  reportedRuleErrors: Set<string>;
  /**
   * Hover, code actions and lenses read the last check's result: a file the server has not checked
   * yet, or changed since, is checked first (a big file only gets its sliced check scheduled).
   */
  checkedNow(uri: string): Promise<void>;
  /** `cascade`: the open files depending on its tables follow its check (document-checks.ts). */
  schedule(doc: TextDocument, delayMs?: number, cascade?: boolean): void;
  /** Schedules the open documents whose findings depend on `key` (files touching its tables, earlier migrations too), except `except`. */
  scheduleDependents(folder: Folder, key: string, except: string): void;
  log(level: LogLevel, message: string): void;
}
