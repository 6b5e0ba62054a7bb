import { RULES } from '../../server/src/rules';

/**
 * A `rules` config that turns every rule off except `keep`: tests about the protocol, the CLI or
 * the output formats stay the same as new rules are added.
 */
export function onlyRules(keep: readonly string[], overrides: Record<string, string> = {}): Record<string, string> {
  const kept = new Set(keep);
  return { ...Object.fromEntries(RULES.filter((r) => !kept.has(r.meta.id)).map((r) => [r.meta.id, 'off'])), ...overrides };
}
