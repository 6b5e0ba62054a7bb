// The SQL rules' ids, which every run needs (the config check names unknown rules, the cache key
// covers the rule set) before it knows whether anything must be linted. The CLI bundle carries
// them from the build (scripts/build.mjs), so a warm --cache run never loads the rules themselves.
declare const LEDGERLINT_RULE_IDS: readonly string[] | undefined;

let ids: ReadonlySet<string> | undefined;

export function sqlRuleIds(): ReadonlySet<string> {
  if (!ids) ids = typeof LEDGERLINT_RULE_IDS !== 'undefined' ? new Set(LEDGERLINT_RULE_IDS) : (require('../rules') as typeof import('../rules')).RULE_IDS;
  return ids;
}
