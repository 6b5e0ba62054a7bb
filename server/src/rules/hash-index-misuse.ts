import { defineRule } from '../engine/rule';
import { wordsOf } from '../engine/vocabulary';
import { workspaceSchema } from './lib/schema-workspace';

const RANGE_TYPES = new Set(['timestamp', 'timestamptz', 'date', 'time', 'numeric', 'int2', 'int4', 'int8', 'float4', 'float8', 'interval']);
const RANGE_NAME_ENDINGS = new Set(['at', 'ts', 'time', 'date', 'on']);

export default defineRule({
  meta: {
    id: 'hash-index-misuse',
    category: 'indexing',
    severity: 'info',
    description: 'A hash index where a B-tree is needed: UNIQUE, several columns, or a column queried by range or order.',
    rationale:
      'A hash index answers only `=`. It cannot enforce UNIQUE or cover several columns (PostgreSQL refuses both when the migration runs), and it is useless for `created_at >= $1`, `BETWEEN` or `ORDER BY created_at`, which is how payment history is read. Since PostgreSQL 10 hash indexes are WAL-logged and crash-safe, so older advice against them for that reason is outdated; they are fine for equality lookups on long keys. Use a B-tree otherwise.',
    messages: {
      unique: 'UNIQUE index {{index}} on {{table}} uses hash, which cannot enforce uniqueness: PostgreSQL rejects this CREATE INDEX and the migration fails. Use a B-tree (drop USING hash).',
      multicolumn: 'Hash index {{index}} on {{table}} ({{columns}}) has several columns, which hash does not support: PostgreSQL rejects this CREATE INDEX and the migration fails. Use a B-tree.',
      range:
        'Hash index {{index}} on {{table}} ({{column}}) only answers `=`, but {{column}} {{why}}: range filters and ORDER BY on it (how history is read) cannot use this index and scan {{table}}. Use a B-tree.',
    },
    fix: 'quickfix',
    languages: ['sql'],
    examples: {
      incorrect: [{ code: 'CREATE INDEX payments_created_at_idx ON payments USING hash (created_at);' }],
      correct: [{ code: 'CREATE INDEX payments_created_at_idx ON payments (created_at);\nCREATE INDEX payments_token_idx ON payments USING hash (card_token);' }],
    },
  },
  scope: 'file',
  stateless: true,
  // Reads only its statement, the schema and the file's role: findings reused while they are unchanged.
  cache: 'statement',
  create(context) {
    return {
      IndexStmt(ref, stmt) {
        const node = ref.node;
        if (String(node.accessMethod ?? '').toLowerCase() !== 'hash') return;
        const table = String(node.relation?.relname ?? '');
        const columns: string[] = (node.indexParams ?? []).map((p: any) => String(p.IndexElem?.name ?? '(expression)'));
        const index = node.idxname ? String(node.idxname) : '(unnamed)';
        // Removing `USING hash` (and its leading space) leaves the default B-tree.
        const tokens = stmt.tokens();
        const at = tokens.findIndex((t, i) => t.keyword === 'using' && tokens[i + 1]?.text.toLowerCase() === 'hash');
        const fixes = at > 0 ? [{ title: 'Use a B-tree index', edits: [{ start: tokens[at - 1].end, end: tokens[at + 1].end, newText: '' }], preferred: true }] : undefined;
        const span = at >= 0 ? { start: tokens[at].start, end: tokens[at + 1].end } : stmt.firstLine();
        const data = { index, table, columns: columns.join(', ') };
        if (node.unique) return context.report({ messageId: 'unique', span, data, fixes });
        if (columns.length > 1) return context.report({ messageId: 'multicolumn', span, data, fixes });
        const column = columns[0];
        if (!column) return;
        const type = workspaceSchema(context).table(node.relation?.schemaname ? `${node.relation.schemaname}.${table}` : table)?.columns.get(column)?.type.name;
        const words = wordsOf(column);
        const why = type && RANGE_TYPES.has(type) ? `is ${type}, a type read by ranges and order` : RANGE_NAME_ENDINGS.has(words[words.length - 1]) ? `looks like a timestamp (its name ends in _${words[words.length - 1]})` : undefined;
        if (why) context.report({ messageId: 'range', span, data: { ...data, column, why }, fixes });
      },
    };
  },
});
