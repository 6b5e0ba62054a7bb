// RuleTester for TypeScript (Drizzle / pg) code: the same valid/invalid cases as the SQL
// RuleTester, run through `lintTypeScriptFile`. Accepts an engine rule (its column/foreignKey/table
// hooks and SQL visitors on embedded SQL) or a Drizzle-side check; findings of that id are compared.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { resolveConfig } from '../../server/src/engine/config';
import type { RuleDefinition } from '../../server/src/engine/rule';
import type { Finding } from '../../server/src/engine/types';
import type { DrizzleCheck } from '../../server/src/drizzle/check';
import { lintTypeScriptFile } from '../../server/src/drizzle/lint';
import { initParser } from '../../server/src/sql/parser';
import { applyEdits, assertFindings, type ExpectedError, type ValidCase } from './rule-tester';

export interface TsInvalidCase extends Omit<ValidCase, 'fileInfo'> {
  errors: ExpectedError[];
  output?: string | null;
}

export interface TsRuleTests {
  valid: Array<string | Omit<ValidCase, 'fileInfo'>>;
  invalid: TsInvalidCase[];
}

const isEngineRule = (r: RuleDefinition | DrizzleCheck): r is RuleDefinition => 'create' in r;

export function lintTs(rule: RuleDefinition | DrizzleCheck, c: Omit<ValidCase, 'fileInfo'>) {
  const out = lintTypeScriptFile('test.ts', c.code, { config: resolveConfig(c.config), rules: isEngineRule(rule) ? [rule] : [] });
  assert.deepEqual(out.ruleErrors, [], `rule threw: ${out.ruleErrors.map((e) => e.stack).join('\n')}`);
  return { findings: out.findings.filter((f) => f.ruleId === rule.meta.id), lines: out.lines };
}

/** Each finding's preferred fix (else its first), an edit two fixes share taken once: what fix-all sends. */
export function preferredEdits(findings: Finding[]) {
  return uniqueEdits(findings.flatMap((f) => (f.fixes?.find((x) => x.preferred) ?? f.fixes?.[0])?.edits ?? []));
}

export function uniqueEdits<E extends { start: number; end: number; newText: string }>(edits: E[]): E[] {
  return edits.filter((e, i) => edits.findIndex((o) => o.start === e.start && o.end === e.end && o.newText === e.newText) === i);
}

export function tsRuleTester(rule: RuleDefinition | DrizzleCheck, tests: TsRuleTests): void {
  describe(`${rule.meta.id} (TypeScript)`, () => {
    before(() => initParser());
    const cases = (list: Array<string | Omit<ValidCase, 'fileInfo'>>) => list.map((v) => (typeof v === 'string' ? { code: v } : v));
    for (const [i, c] of cases(tests.valid).entries()) {
      it(`valid #${i + 1}${c.name ? `: ${c.name}` : ''}`, () => {
        assert.deepEqual(lintTs(rule, c).findings.map((f) => `${f.messageId}: ${f.message}`), [], c.code);
      });
    }
    for (const [i, c] of tests.invalid.entries()) {
      it(`invalid #${i + 1}${c.name ? `: ${c.name}` : ''}`, () => {
        const { findings, lines } = lintTs(rule, c);
        assertFindings(findings, lines, c.errors, c.code);
        if (c.output !== undefined) {
          const edits = preferredEdits(findings);
          if (c.output === null) assert.equal(edits.length, 0, 'expected no fix');
          else assert.equal(applyEdits(c.code, edits), c.output);
        }
      });
    }
    it('meta examples in TypeScript: incorrect ones are reported, correct ones are not', () => {
      for (const ex of rule.meta.examples.incorrect.filter((e) => e.language === 'typescript')) {
        assert.ok(lintTs(rule, { code: ex.code }).findings.length > 0, `no finding for incorrect example:\n${ex.code}`);
      }
      for (const ex of rule.meta.examples.correct.filter((e) => e.language === 'typescript')) {
        assert.deepEqual(lintTs(rule, { code: ex.code }).findings.map((f) => f.message), [], ex.code);
      }
    });
  });
}
