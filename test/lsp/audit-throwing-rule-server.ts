// The language server (unbundled, from out/) with one rule broken on purpose, for
// audit-rule-failure.test.ts: no input makes a shipped rule throw (the fuzz test keeps it so), so
// the failure path the issue asks about is reached by replacing the rule's visitors before the
// server loads. LEDGERLINT_THROWING_RULE names the rule (default json-not-jsonb).
// Run like dist/server.js: node out/test/lsp/audit-throwing-rule-server.js --stdio
import type { RuleDefinition } from '../../server/src/engine/rule';
import { RULES } from '../../server/src/rules';

export const THROWING_RULE = process.env.LEDGERLINT_THROWING_RULE ?? 'json-not-jsonb';
export const INJECTED_MESSAGE = 'injected failure (audit test)';

if (require.main === module) {
  const rule = RULES.find((r) => r.meta.id === THROWING_RULE) as RuleDefinition | undefined;
  if (!rule) throw new Error(`no rule ${THROWING_RULE}`);
  // Every statement and every node visit throws, whatever the rule visited before.
  (rule as { create: RuleDefinition['create'] }).create = () => ({
    statement() {
      throw new Error(INJECTED_MESSAGE);
    },
    endFile() {
      throw new Error(INJECTED_MESSAGE);
    },
  });
  require('../../server/src/server');
}
