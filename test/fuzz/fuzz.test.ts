// Fuzz test: seeded mutations of the examples, the fixtures and every rule's documented examples,
// plus pathological inputs (deep nesting, huge identifiers, binary junk), through the splitter, the
// parser, every rule against the examples' workspace schema, the code actions and the preferred
// fixes. Bounded in count and in time; LEDGERLINT_FUZZ_SEED / _COUNT / _SECONDS reproduce or
// extend a run. Every problem is printed with the rule at fault and a shrunk input.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { Project } from '../../server/src/engine/project';
import { WorkspaceModel } from '../../server/src/model/workspace-model';
import { RULES } from '../../server/src/rules';
import { initParser } from '../../server/src/sql/parser';
import { fuzzSql, fuzzTs, shrink, type Budget, type Problem } from './harness';
import { mutate, pathologicalSql, pathologicalTs, prng } from './mutate';

const ROOT = path.resolve(__dirname, '../../..');
const EXAMPLES = path.join(ROOT, 'examples');
const SEED = Number(process.env.LEDGERLINT_FUZZ_SEED ?? 20261125);
const COUNT = Number(process.env.LEDGERLINT_FUZZ_COUNT ?? 600);
/** Wall-clock cap on the random part of each language, so the suite stays under a minute. */
const SECONDS = Number(process.env.LEDGERLINT_FUZZ_SECONDS ?? 20);
const BUDGET: Budget = { cpuMs: 2000 };

function filesBelow(dir: string, ext: RegExp): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory() && e.name !== 'node_modules') walk(p);
      else if (e.isFile() && ext.test(e.name) && !/\.d\.ts$/.test(e.name)) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

function corpus(language: 'sql' | 'typescript'): string[] {
  const ext = language === 'sql' ? /\.sql$/ : /\.tsx?$/;
  const files = [...filesBelow(EXAMPLES, ext), ...filesBelow(path.join(ROOT, 'test/fixtures'), ext)].map((f) => fs.readFileSync(f, 'latin1'));
  const examples = RULES.flatMap((r) => [...r.meta.examples.incorrect, ...r.meta.examples.correct]).filter((e) => (e.language ?? 'sql') === language).map((e) => e.code);
  return [...files, ...examples].filter((t) => t.length > 0);
}

interface Failure {
  input: string;
  text: string;
  problem: Problem;
}

function describeFailure(f: Failure, rerun: (t: string) => Problem[]): string {
  const same = (p: Problem) => p.kind === f.problem.kind && p.ruleId === f.problem.ruleId;
  // Budget failures shrink badly (the input must stay big) and slowly: print them as found.
  const minimal = f.problem.kind === 'budget' || f.problem.kind === 'exception' && f.text.length > 20_000 ? f.text : shrink(f.text, (t) => rerun(t).some(same), performance.now() + 3000);
  const shown = minimal.length > 400 ? `${JSON.stringify(minimal.slice(0, 400))}... (${minimal.length} chars)` : JSON.stringify(minimal);
  return `[${f.problem.kind}${f.problem.ruleId ? ` in rule ${f.problem.ruleId}` : ''}] ${f.input}: ${f.problem.detail}\n  minimal input: ${shown}`;
}

/** Keeps one failure per (kind, rule) so a single bug does not drown the report. */
function record(failures: Map<string, Failure>, input: string, text: string, problems: Problem[]): void {
  for (const p of problems) {
    const key = `${p.kind}:${p.ruleId ?? ''}:${p.kind === 'exception' ? p.detail.split('\n')[0] : ''}`;
    if (!failures.has(key)) failures.set(key, { input, text, problem: p });
  }
}

function report(title: string, seed: number, failures: Map<string, Failure>, rerun: (t: string) => Problem[]): void {
  if (failures.size === 0) return;
  const lines = [...failures.values()].map((f) => describeFailure(f, rerun));
  const message = `${title}: ${failures.size} distinct problem(s) (seed ${seed})\n${lines.join('\n')}`;
  console.log(message);
  assert.fail(message);
}

describe('fuzz', () => {
  let project: Project;
  const migration = path.join(EXAMPLES, 'db/migrations/9999_fuzz.sql');
  const query = path.join(EXAMPLES, 'db/queries/fuzz.sql');

  before(async () => {
    await initParser();
    project = new Project(EXAMPLES);
    project.index();
    // The fuzz file plays a late migration (schema rules, lock rules) or a query file.
    project.model.setFile(migration, '', { order: 1e6, role: 'up', runnerWrapsTransaction: false });
  });

  // The seeds unmutated: the inputs that parse, where fixes apply most, and a check that the corpus
  // still reaches every rule (a rule no seed triggers would only be fuzzed through its silence).
  it('the seeds as they are: every rule reports on them, nothing breaks, fixes keep the text parsing', () => {
    const failures = new Map<string, Failure>();
    const seen = { sql: new Set<string>(), typescript: new Set<string>() };
    const sql = corpus('sql');
    let t = performance.now();
    for (const [i, text] of sql.entries()) record(failures, `SQL seed #${i}`, text, fuzzSql(project, migration, text, BUDGET, seen.sql));
    const sqlMs = performance.now() - t;
    t = performance.now();
    const file = path.join(EXAMPLES, 'service/fuzz.ts');
    for (const [i, text] of corpus('typescript').entries()) record(failures, `TypeScript seed #${i}`, text, fuzzTs(project, file, text, BUDGET, seen.typescript, new WorkspaceModel()));
    console.log(`fuzz seeds: ${sql.length} SQL in ${sqlMs.toFixed(0)} ms, TypeScript in ${(performance.now() - t).toFixed(0)} ms`);
    report('seeds', SEED, failures, (t) => (t.includes('import') ? fuzzTs(project, file, t, BUDGET, undefined, new WorkspaceModel()) : fuzzSql(project, migration, t, BUDGET)));
    for (const language of ['sql', 'typescript'] as const) {
      const expected = RULES.filter((r) => r.meta.examples.incorrect.some((e) => (e.language ?? 'sql') === language)).map((r) => r.meta.id);
      const missed = expected.filter((id) => !seen[language].has(id));
      assert.deepEqual(missed, [], `${language} rules that report on none of the seeds, their own examples included`);
    }
  });

  it('SQL: pathological inputs and seeded mutations break nothing', () => {
    const rng = prng(SEED);
    const failures = new Map<string, Failure>();
    const rerun = (t: string) => fuzzSql(project, migration, t, BUDGET);
    for (const { name, text } of pathologicalSql(rng)) {
      record(failures, name, text, fuzzSql(project, migration, text, BUDGET));
      record(failures, `${name} (query file)`, text, fuzzSql(project, query, text, BUDGET));
    }
    const seeds = corpus('sql');
    assert.ok(seeds.length > 20, 'the SQL corpus is missing');
    const stop = performance.now() + SECONDS * 1000;
    let runs = 0;
    for (; runs < COUNT && performance.now() < stop; runs++) {
      const text = mutate(rng, seeds[Math.floor(rng() * seeds.length)], 'sql');
      record(failures, `mutation #${runs}`, text, fuzzSql(project, runs % 3 === 2 ? query : migration, text, BUDGET));
    }
    console.log(`fuzz SQL: ${runs} mutations of ${seeds.length} seeds (seed ${SEED})`);
    report('SQL fuzz', SEED, failures, rerun);
  });

  it('TypeScript (Drizzle, pg): pathological inputs and seeded mutations break nothing', () => {
    const rng = prng(SEED + 1);
    const failures = new Map<string, Failure>();
    const file = path.join(EXAMPLES, 'service/fuzz.ts');
    // Every other input takes the editor's path, whose model keeps the last input's tables and tree.
    const model = new WorkspaceModel();
    const both = (t: string, m: WorkspaceModel) => [...fuzzTs(project, file, t, BUDGET), ...fuzzTs(project, file, t, BUDGET, undefined, m)];
    const rerun = (t: string) => both(t, new WorkspaceModel());
    for (const { name, text } of pathologicalTs().filter((p) => !p.knownBug)) record(failures, name, text, both(text, model));
    const seeds = corpus('typescript');
    assert.ok(seeds.length > 5, 'the TypeScript corpus is missing');
    const stop = performance.now() + (SECONDS / 2) * 1000;
    let runs = 0;
    for (; runs < COUNT / 4 && performance.now() < stop; runs++) {
      const text = mutate(rng, seeds[Math.floor(rng() * seeds.length)], 'typescript');
      record(failures, `mutation #${runs}`, text, runs % 2 ? fuzzTs(project, file, text, BUDGET, undefined, model) : fuzzTs(project, file, text, BUDGET));
    }
    console.log(`fuzz TypeScript: ${runs} mutations of ${seeds.length} seeds (seed ${SEED + 1})`);
    report('TypeScript fuzz', SEED + 1, failures, rerun);
  });

  // TypeScript's own parser recurses once per nesting level and overflows the stack at about 1,400
  // nested calls: analyseTypeScript must skip such a file, not let the RangeError end the run.
  for (const { name, text } of pathologicalTs().filter((p) => p.knownBug)) {
    it(`TypeScript: ${name}`, () => {
      const file = path.join(EXAMPLES, 'service/fuzz.ts');
      const failures = new Map<string, Failure>();
      record(failures, name, text, fuzzTs(project, file, text, BUDGET));
      report('TypeScript fuzz', SEED + 1, failures, (t) => fuzzTs(project, file, t, BUDGET));
    });
  }
});
