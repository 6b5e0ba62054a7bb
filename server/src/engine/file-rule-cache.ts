// What a file-scoped rule that opted into `cache: 'statement'` may depend on besides its own
// statement: the schema (by identity), the file's schema-changing statements (index and text),
// its path, its role and the configuration. One token object stands for all of that; a statement's
// cached findings are reused while the token and the statement's index are the same. Fixes that
// insert statements use the file's line break, so whether the file has CRLF is part of it too.
import type { SqlFile } from '../sql/document';
import { SCHEMA_STATEMENT_TYPES } from '../model/replay';
import type { SchemaModel } from '../model/schema';
import type { FileInfo } from './rule';

export interface FileRuleToken {
  readonly fingerprint: string;
}

const tokens = new WeakMap<SchemaModel, Map<string, FileRuleToken>>();
const entryIds = new WeakMap<object, number>();
let nextEntryId = 1;

function entryId(entry: object): number {
  let id = entryIds.get(entry);
  if (id === undefined) entryIds.set(entry, (id = nextEntryId++));
  return id;
}

/** The same object while nothing the cached rules depend on (except their own statement) changed. */
export function fileRuleToken(schema: SchemaModel, file: SqlFile, fileInfo: FileInfo, configKey: string): FileRuleToken {
  const parts: string[] = [configKey, fileInfo.role, String(fileInfo.migration), String(fileInfo.runnerWrapsTransaction), fileInfo.root ?? '', fileInfo.migrationFolder?.path ?? '', fileInfo.migrationFolder?.convention ?? '', file.text.includes('\r\n') ? 'crlf' : 'lf'];
  for (const s of file.statements) {
    if (!s.ast || s.error) continue;
    for (const type in s.ast) {
      if (SCHEMA_STATEMENT_TYPES.has(type)) parts.push(`${s.index}:${entryId(s.entry)}`);
      break;
    }
  }
  const fingerprint = parts.join('\u0000');
  let perPath = tokens.get(schema);
  if (!perPath) tokens.set(schema, (perPath = new Map()));
  const last = perPath.get(file.path);
  if (last && last.fingerprint === fingerprint) return last;
  const token = { fingerprint };
  perPath.set(file.path, token);
  return token;
}
