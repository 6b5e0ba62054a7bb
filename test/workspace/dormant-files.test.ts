// In an editor's project only open files keep their parse; the other indexed files are dormant
// (model/file-entry.ts) and parsed again when a rebuild or schemaBefore replays them, some of those
// parses kept up to a budget (model/dormant-parses.ts). Whatever is kept or dropped, the editor's
// answers must be the CLI's, where every file keeps its parse: the same findings for open files, the
// same workspace schema (spans included), the same schema before a file and its statements, and the
// same dependents, through DDL and query edits, files opened and closed, and dormant files changed on disk.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { initParser } from '../../server/src/sql/parser';
import { Project } from '../../server/src/engine/project';
import type { SchemaModel } from '../../server/src/model/schema';
import { removeTree, tree } from './tmp-tree';

const roots: string[] = [];
before(() => initParser());
after(() => roots.forEach(removeTree));

const FILES = 200;

function dump(schema: SchemaModel): string {
  return JSON.stringify(
    { tables: [...schema.tables].sort(), functions: [...schema.functions].sort(), enums: [...schema.enums].sort(), revoked: [...schema.revokedExecute].sort() },
    (_k, v) => (v instanceof Map ? [...v] : v instanceof Set ? [...v].sort() : v === Infinity ? 'inf' : v),
  );
}

function migration(i: number, variant = 0): string {
  const t = `t${i % 9}`;
  switch ((i + variant) % 5) {
    case 0:
      return `create table if not exists ${t} (id bigint primary key, amount numeric(19,4), status text);\ncreate table x${i} (id int, ${t}_id bigint references ${t} (id));\n`;
    case 1:
      return `alter table ${t} add column c${i} text not null default 'a';\ncreate index ${t}_c${i}_idx on ${t} (c${i});\nupdate ${t} set status = 'x';\n`;
    case 2:
      return `alter table ${t} alter column amount type numeric(20,4);\nalter table ${t} enable row level security;\nselect * from ${t} where id = 1;\n`;
    case 3:
      return `create policy p${i} on ${t} using (true);\ngrant select on ${t} to app;\nalter table ${t} add constraint ck${i} check (id > 0) not valid;\n`;
    default:
      return `create type e${i} as enum ('a', 'b');\nalter table ${t} add column s${i} e${i};\nalter type e${i} add value 'c';\n`;
  }
}

const name = (i: number) => `${String(i).padStart(4, '0')}_m${i}.sql`;

test('dormant files give the same findings, schema, schemaBefore and dependents as files that keep their parse', () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < FILES; i++) files[`drizzle/${name(i)}`] = migration(i);
  // A long migration: replayed with checkpoints while open, whole while dormant.
  files[`drizzle/${name(FILES)}`] = Array.from({ length: 300 }, (_, k) => migration(k + 3)).join('');
  const root = tree(files);
  roots.push(root);
  const abs = (i: number) => path.join(root, 'drizzle', name(i));
  const editor = new Project(root);
  editor.index();
  const texts = new Map<number, string>();
  const open = new Set<number>();
  let seed = 11;
  const rand = (n: number) => (seed = (seed * 48271) % 2147483647) % n;

  const check = (step: string) => {
    const cli = new Project(root);
    cli.index();
    for (const [i, text] of texts) cli.model.setFile(abs(i), text);
    for (const i of open) {
      const text = texts.get(i) ?? fs.readFileSync(abs(i), 'utf8');
      assert.equal(JSON.stringify(editor.lint(abs(i), text, { open: true }).findings), JSON.stringify(cli.lint(abs(i), text).findings), `${step}: findings of ${name(i)}`);
      for (const k of [0, 1, 2, 5]) assert.equal(dump(editor.model.schemaBefore(abs(i), k)), dump(cli.model.schemaBefore(abs(i), k)), `${step}: schema before statement ${k} of ${name(i)}`);
      // Every file a fresh model names, unless the editor's last edit of this file kept the schema
      // (none then). The editor may name more: files sharing a table the file touched before its
      // last edit (findings about that table may go), which a fresh model cannot know.
      const mine = new Set(editor.dependents(abs(i)));
      if (!editor.model.keptSchema(abs(i))) for (const d of cli.dependents(abs(i))) assert.ok(mine.has(d), `${step}: dependents of ${name(i)} miss ${path.basename(d)}`);
      assert.equal(editor.model.isExistingTable(`x${i}`, abs(i), 1), cli.model.isExistingTable(`x${i}`, abs(i), 1), `${step}: isExistingTable in ${name(i)}`);
    }
    assert.equal(dump(editor.model.schema()), dump(cli.model.schema()), `${step}: workspace schema`);
    // The budget holds, and the dormant files are not all kept.
    const kept = editor.model.stats().dormantStatements;
    assert.ok(kept <= 1024, `${step}: ${kept} dormant statements kept`);
  };

  const edit = (i: number, step: string) => {
    const base = texts.get(i) ?? fs.readFileSync(abs(i), 'utf8');
    const kind = rand(4);
    const text =
      kind === 0
        ? base + `alter table t${rand(9)} add column e${step.length}_${rand(1000)} int;\n`
        : kind === 1
          ? base + `select ${rand(100)} from t${rand(9)};\n`
          : kind === 2
            ? base.replace(/numeric\(\d+,4\)/, `numeric(${10 + rand(20)},4)`)
            : migration(i, 1 + rand(4));
    texts.set(i, text);
    open.add(i);
    editor.lint(abs(i), text, { open: true });
  };

  // The newest migrations are what users edit; an early one is opened too, and the long one.
  for (const i of [FILES - 1, FILES - 7, 37, FILES]) {
    open.add(i);
    check(`open ${name(i)}`);
  }
  for (let step = 0; step < 16; step++) {
    const label = `step ${step}`;
    const r = rand(10);
    if (r < 6) edit([FILES - 1, FILES - 7, 37, FILES, FILES - 1][rand(5)], label);
    else if (r < 8) {
      // A dormant file changed on disk (a git pull): its kept parse, if any, must not be used again.
      const i = 20 + rand(FILES - 40);
      if (open.has(i)) continue;
      fs.writeFileSync(abs(i), migration(i, 1 + rand(4)));
      editor.refreshFromDisk(abs(i));
    } else {
      // Close an open file (it becomes dormant with its disk text), or reopen one.
      const i = [...open][rand(open.size)];
      if (open.size > 1 && i !== undefined) {
        editor.close(abs(i));
        open.delete(i);
        texts.delete(i);
      } else open.add(FILES - 3);
    }
    check(label);
  }
});
