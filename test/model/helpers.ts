import { initParser } from '../../server/src/sql/parser';
import { parseSqlFile } from '../../server/src/sql/document';
import { LineIndex } from '../../server/src/sql/offsets';
import { replayFile } from '../../server/src/model/replay';
import { MutableSchema } from '../../server/src/model/schema-builder';
import type { SourceRef, TableModel } from '../../server/src/model/schema';

export { initParser };

export function replaySql(text: string, schema = new MutableSchema(), file = 'm.sql', order = 0) {
  const out = replayFile(parseSqlFile(file, text), schema, { order });
  return { schema, out };
}

/** `line:column` (1-based) of a span's start, and the text it covers. */
export function where(text: string, ref: SourceRef | undefined): string {
  if (!ref) return '<none>';
  const p = new LineIndex(text).positionAt(ref.span.start);
  return `${p.line + 1}:${p.character + 1} ${text.slice(ref.span.start, ref.span.end)}`;
}

export function table(schema: MutableSchema, name: string): TableModel {
  const t = schema.table(name);
  if (!t) throw new Error(`no table ${name}; have ${[...schema.tables.keys()].join(', ')}`);
  return t;
}
