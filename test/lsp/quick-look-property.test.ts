// The quick look's promise, over random edits: after any chain of looks, the statement rules'
// diagnostics it shows are exactly those a complete check of the text would publish, and every
// carried diagnostic still lies within the text. The edits are what typing produces (characters,
// quotes, dollar quotes, semicolons, line breaks, deletions), so the re-split is exercised where
// statements merge and split; a look that declines (an open quote to the end of the file) is
// replaced by a complete check, as the server does.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver';
import { Project } from '../../server/src/engine/project';
import { RULES } from '../../server/src/rules';
import { setFixTransport, toDiagnostic } from '../../server/src/lsp/diagnostics';
import { quickLook, type SentView } from '../../server/src/lsp/quick-look';
import { initParser } from '../../server/src/sql/parser';
import { prng, type Rng } from '../fuzz/mutate';

const STATEMENT_RULES = RULES.filter((r) => r.scope === 'statement');
const STATEMENT_RULE_IDS = new Set(STATEMENT_RULES.map((r) => r.meta.id));

/** Every SQL example of every rule, correct and incorrect: findings of all kinds, spread through the file. */
function exampleFile(): string {
  const parts: string[] = [];
  for (const rule of RULES) {
    for (const e of [...rule.meta.examples.incorrect, ...rule.meta.examples.correct]) if ((e.language ?? 'sql') === 'sql') parts.push(e.code.trim());
  }
  return parts.join('\n\n') + '\n';
}

const TYPED = [';', '\n', ' ', 'x', '(', ')', '--', '*/', 'float', 'NOT IN (SELECT 1)', 'timestamp', ' amount double precision', 'money', "'x'"];
/** Typed now and then: a quote, dollar quote or comment left open makes every later statement depend on the end of the file. */
const OPENING = ["'", '$$', "E'\\", '"', '/*'];

function randomEdit(rng: Rng, text: string): string {
  const at = Math.floor(rng() * (text.length + 1));
  const r = rng();
  if (r < 0.35) return text.slice(0, at) + text.slice(at + 1 + Math.floor(rng() * 3));
  const typed = r < 0.42 ? OPENING[Math.floor(rng() * OPENING.length)] : TYPED[Math.floor(rng() * TYPED.length)];
  return text.slice(0, at) + typed + text.slice(at);
}

const shape = (d: Diagnostic) => `${d.code}@${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.message}`;

/** What a complete check publishes (no cap), as the view the next look starts from. */
function completeCheck(project: Project, text: string): SentView {
  const result = project.lint('typed.sql', text);
  const diagnostics = result.findings.map((f) => toDiagnostic(result.file.lines, f));
  return { text, lines: result.file.lines, segments: result.file.segments, eofDependent: result.file.eofDependent, diagnostics };
}

/**
 * Looks after 150 random edits from the example file, each compared with a complete check of the
 * same text by `compare`; returns how many edits got a look.
 */
function typeAway(seed: number, compare: (look: SentView, complete: SentView, step: number) => void): number {
  const rng = prng(seed);
  const project = new Project(undefined);
  let view = completeCheck(project, exampleFile());
  let looks = 0;
  // The last text whose split needed no end of file: a few edits after a construct is left open
  // they go back to it (as a user undoes a stray quote), else no look would be made again.
  let good = view.text;
  for (let step = 0; step < 150; step++) {
    if (!view.eofDependent?.length) good = view.text;
    else if (rng() < 0.3) view = completeCheck(project, good);
    const text = randomEdit(rng, view.text);
    const look = quickLook(view, text, { path: 'typed.sql', config: project.config, rules: STATEMENT_RULES, cap: 0 });
    const complete = completeCheck(project, text);
    if (!look) {
      view = complete;
      continue;
    }
    looks++;
    compare(look, complete, step);
    view = look;
  }
  return looks;
}

describe('quick look, property', () => {
  before(async () => {
    await initParser();
    setFixTransport('stored');
  });

  for (const seed of [1, 2, 3, 4]) {
    it(`shows the complete check's statement-rule diagnostics after 150 random edits (seed ${seed})`, () => {
      const looks = typeAway(seed, (look, complete, step) => {
        const ofStatementRules = (ds: readonly Diagnostic[]) => ds.filter((d) => STATEMENT_RULE_IDS.has(String(d.code))).map(shape).sort();
        assert.deepEqual(ofStatementRules(look.diagnostics), ofStatementRules(complete.diagnostics), `step ${step}`);
        const end = look.lines.positionAt(look.text.length);
        for (const d of look.diagnostics) {
          const inside = (p: { line: number; character: number }) => p.line < end.line || (p.line === end.line && p.character <= end.character);
          assert.ok(inside(d.range.start) && inside(d.range.end), `step ${step}: ${shape(d)} lies past the end of the text`);
        }
      });
      assert.ok(looks >= 40, `edits got looks (${looks} of 150)`);
    });
  }
});

describe('quick look, property, fixes inline in the diagnostics (Neovim, Helix)', () => {
  before(async () => {
    await initParser();
    setFixTransport('inline');
  });
  after(() => setFixTransport('stored'));

  for (const seed of [5, 6]) {
    it(`every fix a look shows is the complete check's fix of the same finding (seed ${seed})`, () => {
      let fixes = 0;
      const looks = typeAway(seed, (look, complete, step) => {
        const completeFixes = new Map(complete.diagnostics.map((d) => [shape(d), JSON.stringify(d.data)]));
        for (const d of look.diagnostics) {
          if (!d.data) continue;
          // A finding the complete check words or places differently is the complete check's to replace.
          const expected = completeFixes.get(shape(d));
          if (expected === undefined) continue;
          fixes++;
          assert.equal(JSON.stringify(d.data), expected, `step ${step}: the fix of ${shape(d)}`);
        }
      });
      assert.ok(looks >= 40, `edits got looks (${looks} of 150)`);
      assert.ok(fixes >= 1000, `fixes compared (${fixes})`);
    });
  }
});
