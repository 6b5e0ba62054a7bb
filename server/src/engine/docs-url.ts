export const REPOSITORY_URL = 'https://github.com/ledgerlint/ledgerlint';

/** Where a rule's documentation lives: the diagnostic's `codeDescription` and SARIF `helpUri`. */
export function ruleDocsUrl(ruleId: string): string {
  return `${REPOSITORY_URL}/blob/main/docs/rules/${ruleId}.md`;
}
