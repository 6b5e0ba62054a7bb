// A generated repository of drizzle-kit style migrations (tables with foreign keys, indexes, column
// changes, constraints, RLS, grants), the same files on every run: the model and memory benches
// measure the same workspace.
import * as fs from 'node:fs';
import * as path from 'node:path';

// Deterministic pseudo-random numbers, so every run measures the same repository.
let seed = 42;
const rand = (n: number) => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed % n;
};

function createTable(i: number, tables: string[]): string {
  const name = `t_${i}`;
  const ref = tables.length ? tables[rand(tables.length)] : undefined;
  const cols = [
    'id bigint generated always as identity primary key',
    `amount numeric(19, 4) not null default 0`,
    `currency char(3) not null`,
    `created_at timestamptz not null default now()`,
    `memo text`,
    `status varchar(32) not null default 'pending' check (status <> '')`,
  ];
  if (ref) cols.push(`${ref}_id bigint not null references ${ref} (id) on delete restrict`);
  tables.push(name);
  return `CREATE TABLE ${name} (\n  ${cols.join(',\n  ')}\n);\nCREATE INDEX ${name}_created_idx ON ${name} (created_at);\n`;
}

function change(i: number, tables: string[]): string {
  const t = tables[rand(tables.length)];
  switch (rand(6)) {
    case 0:
      return `ALTER TABLE ${t} ADD COLUMN extra_${i} text;\nALTER TABLE ${t} ALTER COLUMN memo SET DEFAULT '';\n`;
    case 1:
      return `CREATE INDEX CONCURRENTLY IF NOT EXISTS ${t}_amount_${i}_idx ON ${t} (amount) WHERE status = 'pending';\n`;
    case 2: {
      const other = tables[rand(tables.length)];
      return (
        `ALTER TABLE ${t} ADD COLUMN ref_${i} bigint;\n` +
        `ALTER TABLE ${t} ADD CONSTRAINT ${t}_ref_${i}_fk FOREIGN KEY (ref_${i}) REFERENCES ${other} (id) NOT VALID;\n` +
        `ALTER TABLE ${t} VALIDATE CONSTRAINT ${t}_ref_${i}_fk;\n`
      );
    }
    case 3:
      return `ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY;\nCREATE POLICY ${t}_p_${i} ON ${t} FOR SELECT USING (currency = current_setting('app.currency'));\n`;
    case 4:
      return `GRANT SELECT, INSERT ON ${t} TO app;\nALTER TABLE ${t} ALTER COLUMN memo TYPE varchar(500);\n`;
    default:
      return `ALTER TABLE ${t} ADD CONSTRAINT ${t}_amount_${i}_chk CHECK (amount >= 0) NOT VALID;\n`;
  }
}

/**
 * Statements that each draw two findings (unbounded-update-delete, backfill-in-schema-migration)
 * and change no schema, on a table the file names: `times` - 1 of them for about every 1.7 findings
 * a file has, so the repository carries about `times` as many findings with the same schema.
 */
function extraFindings(text: string, times: number): string {
  const table = /(?:CREATE TABLE|ALTER TABLE|ON) (t_\d+)/.exec(text)?.[1];
  if (!table || times <= 1) return '';
  return Array.from({ length: Math.round((times - 1) * 1.7) }, (_, k) => `UPDATE ${table} SET memo = 'backfill ${k}';\n`).join('');
}

/** Writes `files` migrations into `root`/drizzle; `findings`: about that many times the findings (extraFindings). */
export function generateMigrationsRepo(root: string, files: number, findings = 1): void {
  seed = 42;
  const dir = path.join(root, 'drizzle');
  fs.mkdirSync(dir, { recursive: true });
  const tables: string[] = [];
  for (let i = 0; i < files; i++) {
    const text = i < 20 || rand(3) === 0 ? createTable(i, tables) : change(i, tables) + change(i + 100000, tables);
    fs.writeFileSync(path.join(dir, `${String(i).padStart(4, '0')}_m${i}.sql`), text + extraFindings(text, findings));
  }
}
