// alter-column-type-rewrite keeps the types an ALTER TABLE names per statement text (they do not
// depend on where the statement lies). The same ALTER text at several offsets and in a file that
// created the table or not, with edits moving it, must report what a fresh lint does.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { Project } from '../../server/src/engine/project';
import rule from '../../server/src/rules/alter-column-type-rewrite';
import { initParser } from '../../server/src/sql/parser';

before(async () => {
  await initParser();
});

const ALTER = 'ALTER TABLE notes ADD COLUMN memo varchar(20), ALTER COLUMN memo TYPE varchar(10), ALTER COLUMN body TYPE "numeric" (12, 2)';
/** Without it the table existed before the file (no workspace: an earlier statement of the file would have created it). */
const TABLE = 'CREATE TABLE notes (id bigint, body text);\n';
function lint(project: Project, path: string, text: string): Array<[string, string, number]> {
  return project.lint(path, text).findings.map((f) => [f.messageId, f.message, f.span.start]);
}

test('types read from a moved ALTER TABLE are those written, wherever the statement lies', () => {
  // One project per file: a second file of the same project would see the first one's tables.
  const project = new Project(undefined, [rule]);
  const other = new Project(undefined, [rule]);
  const versions = [
    `${ALTER};\n${ALTER};\n`,
    `-- moved\n${ALTER};\n${ALTER};\n`,
    `-- moved\n\n${ALTER};\nSELECT 1;\n${ALTER};\n`,
    `${TABLE}${ALTER};\n`,
    `SELECT 2;\n${ALTER};\n${TABLE}${ALTER};\n`,
  ];
  const seen = new Set<string>();
  for (const text of versions) {
    const a = lint(project, 'migrations/0002_notes.sql', text);
    const b = lint(other, 'migrations/0003_other.sql', `\n\n${text}`);
    assert.deepEqual(a, lint(new Project(undefined, [rule]), 'migrations/0002_notes.sql', text));
    assert.deepEqual(b, lint(new Project(undefined, [rule]), 'migrations/0003_other.sql', `\n\n${text}`));
    for (const [, message] of [...a, ...b]) seen.add(message);
  }
  // The types as written reach the messages: the same statement's ADD gives memo's old type.
  assert.ok([...seen].some((m) => m.includes('"numeric" (12, 2)')), [...seen].join('\n'));
  assert.ok([...seen].some((m) => m.includes('varchar(20) to varchar(10)')), [...seen].join('\n'));
});
