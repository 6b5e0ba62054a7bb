/**
 * Drizzle index fixes insert `index('payments_account_id_idx').on(t.accountId)` into a pgTable, not
 * SQL. To estimate them, the inserted builder is read back against the pgTable it lands in: its
 * TypeScript keys become the SQL columns of a CREATE INDEX.
 */
import type { CodeAction, TextEdit } from 'vscode-languageserver';
import { analyseTypeScript } from '../../drizzle/analysis';
import { LineIndex } from '../../sql/offsets';
import { parseIndexStatement, type IndexStatement } from './index-statement';

const BUILDER = /\b(uniqueIndex|index)\(\s*'([^']+)'\s*\)\.on\(([^)]*)\)/;
const KEY = /^\s*[A-Za-z_$][\w$]*\s*(?:\.\s*([A-Za-z_$][\w$]*)|\[\s*"([^"]+)"\s*\])\s*$/;

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** `(action) => IndexStatement` for the TypeScript document `text`; parses it once. Requires the SQL parser loaded. */
export function drizzleIndexReader(path: string, text: string, uri: string): (action: CodeAction) => IndexStatement | undefined {
  let analysis: ReturnType<typeof analyseTypeScript> | undefined;
  let lines: LineIndex | undefined;
  return (action) => {
    const edits: TextEdit[] = action.edit?.changes?.[uri] ?? [];
    for (const edit of edits) {
      const m = BUILDER.exec(edit.newText);
      if (!m) continue;
      analysis ??= analyseTypeScript(path, text);
      lines ??= new LineIndex(text);
      const at = lines.offsetAt(edit.range.start);
      const table = analysis.tables.find((t) => t.span.start <= at && at <= t.span.end);
      if (!table) continue;
      const columns = m[3].split(',').map((part) => {
        const k = KEY.exec(part);
        const key = k?.[1] ?? k?.[2];
        return table.columns.find((c) => c.key === key)?.dbName;
      });
      if (!columns.length || columns.some((c) => !c)) continue;
      const target = table.schema ? `${quote(table.schema)}.${quote(table.name)}` : quote(table.name);
      return parseIndexStatement(`CREATE ${m[1] === 'uniqueIndex' ? 'UNIQUE ' : ''}INDEX ${quote(m[2])} ON ${target} (${columns.map((c) => quote(c!)).join(', ')})`);
    }
    return undefined;
  };
}
