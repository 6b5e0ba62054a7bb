import type { ColumnDecl } from '../engine/decls';
import { defineRule } from '../engine/rule';
import type { Fix } from '../engine/types';
import type { TableModel } from '../model/schema';
import { quoteIdent, workspaceSchema } from './lib/schema-workspace';

/** `"char"` (the internal one-byte type) and bare `bpchar` (no length) are not char(n). */
function charLength(decl: ColumnDecl): number | undefined {
  const t = decl.type;
  if (t.name !== 'bpchar') return undefined;
  const written = t.written.trim().toLowerCase();
  if (written.startsWith('"') || written.startsWith('bpchar') || written.startsWith('pg_catalog.')) return undefined;
  return t.mods[0] ?? 1; // `char` / `character` alone mean char(1)
}

function mentions(expr: string, column: string): boolean {
  const escaped = column.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^A-Za-z0-9_$])${escaped}($|[^A-Za-z0-9_$])`).test(expr);
}

function camelCase(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** A fixed-length code the schema already constrains (CHECK on its format, or a foreign key to a codes table). */
function constrainedCode(table: TableModel | undefined, column: string): boolean {
  if (!table) return false;
  return (
    // Drizzle checks carry no column list: their expression names the property (`t.currencyCode`).
    table.checks.some((c) => c.columns.includes(column) || (c.columns.length === 0 && (mentions(c.expr, column) || mentions(c.expr, camelCase(column))))) ||
    table.foreignKeys.some((f) => f.columns.includes(column))
  );
}

/** The type as written; a bare `char` / `character` is char(1), which is easy to miss. */
function shownType(decl: ColumnDecl, length: number): string {
  const written = decl.type.written || decl.type.name;
  return decl.type.name === 'bpchar' && !written.includes('(') ? `${written} (that is, char(${length}))` : written;
}

export default defineRule({
  meta: {
    id: 'text-type-choice',
    category: 'integrity',
    severity: 'info',
    description: '`char(n)` columns (padded with spaces) and, as a hint, `varchar(n)` on new columns, where `text` with a CHECK is clearer and cheaper to change.',
    rationale:
      '`char(n)` pads shorter values with spaces: `\'US\'::char(3)` is stored and sent to the application as `\'US \'` (*verified*), so application-side lookups keyed by the string (currency tables, FX rates, routing maps) miss, `LIKE \'US\'` does not match while `=` does (*verified*), and the padding costs storage. A fixed-length code that a CHECK or a foreign key already constrains is fine. `varchar(n)` puts the limit in the type: an explicit cast silently cuts the value (`\'abcdefg\'::varchar(5)` is `abcde`, *verified*), an over-long insert fails with 22001, and changing the limit is an `ALTER COLUMN TYPE` (lowering it rewrites the table under an ACCESS EXCLUSIVE lock). `text` with `CHECK (char_length(col) <= n)` keeps the same limit, names it, and can be replaced with `ADD CONSTRAINT ... NOT VALID` + `VALIDATE CONSTRAINT` without blocking writes.',
    messages: {
      char:
        '{{table}}.{{column}} is {{type}}: char(n) pads shorter values with spaces, so \'US\' is stored and returned to the application as \'US \', string lookups in code miss it, and LIKE stops matching. {{how}}',
      varchar:
        '{{table}}.{{column}} is {{type}}: the limit lives in the type, so an explicit cast silently truncates and changing the limit later is an ALTER COLUMN TYPE (lowering it rewrites the table under an ACCESS EXCLUSIVE lock). {{how}}',
    },
    fix: 'quickfix',
    languages: ['sql', 'typescript'],
    examples: {
      incorrect: [
        { code: 'CREATE TABLE merchants (id bigint PRIMARY KEY, country char(2) NOT NULL);' },
        { code: "import { pgTable, bigint, char } from 'drizzle-orm/pg-core';\nexport const merchants = pgTable('merchants', {\n  id: bigint('id', { mode: 'number' }).primaryKey(),\n  country: char('country', { length: 2 }).notNull(),\n});", language: 'typescript' },
      ],
      correct: [
        { code: 'CREATE TABLE merchants (id bigint PRIMARY KEY, country text NOT NULL CHECK (char_length(country) <= 2));' },
        { code: "CREATE TABLE payments (id bigint PRIMARY KEY, currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'));" },
      ],
    },
  },
  scope: 'file',
  stateless: true,
  // Reads only its statement, the schema and the file's role: findings reused while they are unchanged.
  cache: 'statement',
  create(context) {
    const tableOf = (name: string) => workspaceSchema(context).table(name);
    return {
      column(decl) {
        const n = charLength(decl);
        const isVarchar = decl.type.name === 'varchar' && decl.type.mods.length > 0;
        if (n === undefined && !isVarchar) return;
        if (n !== undefined && constrainedCode(tableOf(decl.table), decl.name)) return;
        const length = n ?? decl.type.mods[0];
        const check = `CHECK (char_length(${quoteIdent(decl.name)}) <= ${length})`;
        // The fix adds a CHECK; on ALTER TABLE ... ADD COLUMN that would validate under an
        // ACCESS EXCLUSIVE lock, and Drizzle checks live in the table's extra config: advice only.
        const fixable = decl.language === 'sql' && decl.via === 'create' && !decl.type.array;
        let how: string;
        if (decl.language === 'typescript') how = `Use text() and add check('${decl.table}_${decl.name}_length', sql\`char_length(<column>) <= ${length}\`) to the table's extra config.`;
        else if (decl.via === 'add-column') how = `Use text, and add ${check} as a separate ADD CONSTRAINT ... NOT VALID followed by VALIDATE CONSTRAINT, so the table is not scanned under an ACCESS EXCLUSIVE lock.`;
        else how = `Use text with ${check}.`;
        const fixes: Fix[] | undefined = fixable
          ? [{ title: `Change ${decl.table}.${decl.name} to text with a length CHECK`, edits: [{ ...decl.typeSpan, newText: `text ${check}` }], preferred: true }]
          : undefined;
        context.report({
          messageId: n !== undefined ? 'char' : 'varchar',
          span: decl.span,
          severity: n !== undefined ? undefined : 'hint',
          data: { table: decl.table, column: decl.name, type: shownType(decl, length), how },
          fixes,
        });
      },
    };
  },
});
