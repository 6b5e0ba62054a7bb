// The rule registry. `npm run new-rule <id>` adds a line here; `npm run check:rules` fails when a
// rule file is missing from this list, or lacks a test or a docs page.
import type { RuleDefinition } from '../engine/rule';
import moneyFloatType from './money-float-type';
import moneyInt32Overflow from './money-int32-overflow';
import moneyType from './money-type';
import syntaxError from './syntax-error';

export const RULES: readonly RuleDefinition[] = [
  syntaxError,
  moneyFloatType,
  moneyType,
  moneyInt32Overflow,
];

export const RULES_BY_ID: ReadonlyMap<string, RuleDefinition> = new Map(RULES.map((r) => [r.meta.id, r]));
export const RULE_IDS: ReadonlySet<string> = new Set(RULES.map((r) => r.meta.id));
