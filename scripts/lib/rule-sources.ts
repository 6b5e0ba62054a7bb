// Where each documented rule id is implemented and tested: the SQL rule in server/src/rules/<id>.ts,
// the Drizzle check in server/src/drizzle/**/<id>.ts (a TypeScript-only rule has only this one).
import * as fs from 'node:fs';
import * as path from 'node:path';

function filesBelow(dir: string, keep: (name: string) => boolean): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (keep(e.name)) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

/** Source files of a rule id, relative to the root with forward slashes: the SQL rule first. */
export function ruleSources(root: string, id: string): string[] {
  const sql = path.join(root, 'server/src/rules', `${id}.ts`);
  const drizzle = filesBelow(path.join(root, 'server/src/drizzle'), (n) => n === `${id}.ts`);
  return [...(fs.existsSync(sql) ? [sql] : []), ...drizzle].map((p) => path.relative(root, p).split(path.sep).join('/'));
}

/** Whether some test of the Drizzle front-end names the check (test/drizzle/**.test.ts mentioning `'<id>'` or importing its module). */
export function hasDrizzleTest(root: string, id: string): boolean {
  return filesBelow(path.join(root, 'test/drizzle'), (n) => n.endsWith('.ts')).some((f) => {
    const text = fs.readFileSync(f, 'utf8');
    return text.includes(`'${id}'`) || text.includes(`/${id}'`);
  });
}
