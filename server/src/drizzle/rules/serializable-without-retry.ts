import ts from 'typescript';
import { defineDrizzleCheck } from '../check';
import { propValue, stringValue } from '../imports';
import sqlRule from '../../rules/serializable-without-retry';
import { handleCalls, spanOf, withTypeScript } from './shared';

const RETRIED_LEVELS = new Set(['serializable', 'repeatable read']);
const RETRY_NAME = /retry|retries|attempt/i;
const RETRY_CODES = /40001|40P01|serialization_failure|deadlock_detected/;

function nameOf(node: ts.Node): string | undefined {
  if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isFunctionExpression(node)) && node.name) return node.name.getText();
  if ((ts.isArrowFunction(node) || ts.isFunctionExpression(node)) && ts.isVariableDeclaration(node.parent)) return node.parent.name.getText();
  return undefined;
}

/** Inside a loop or helper that retries on serialization failures / deadlocks? */
function isRetried(call: ts.Node, sf: ts.SourceFile): boolean {
  for (let p: ts.Node | undefined = call.parent; p && !ts.isSourceFile(p); p = p.parent) {
    if (ts.isCallExpression(p) && RETRY_NAME.test(p.expression.getText(sf))) return true;
    const fn = nameOf(p);
    if (fn && RETRY_NAME.test(fn)) return true;
    if ((ts.isForStatement(p) || ts.isWhileStatement(p) || ts.isDoStatement(p) || ts.isForOfStatement(p)) && RETRY_CODES.test(p.getText(sf))) return true;
  }
  return false;
}

export default defineDrizzleCheck({
  meta: withTypeScript(
    sqlRule.meta,
    {
      noRetry:
        "db.transaction(...) runs with isolationLevel '{{level}}' but is not retried: PostgreSQL aborts conflicting transactions with SQLSTATE 40001 (and deadlocks with 40P01), so concurrent transfers fail instead of succeeding on a second attempt. Wrap it in a retry loop (3-5 attempts, jittered backoff) that retries only on 40001/40P01.",
    },
    {
      incorrect: [
        {
          language: 'typescript',
          code: "import type { NodePgDatabase } from 'drizzle-orm/node-postgres';\nexport const transfer = (db: NodePgDatabase) => db.transaction(async (tx) => { /* ... */ }, { isolationLevel: 'serializable' });",
        },
      ],
      correct: [
        {
          language: 'typescript',
          code: "import type { NodePgDatabase } from 'drizzle-orm/node-postgres';\nimport { withSerializationRetry } from './retry';\nexport const transfer = (db: NodePgDatabase) => withSerializationRetry(() => db.transaction(async (tx) => { /* ... */ }, { isolationLevel: 'serializable' }));",
        },
      ],
    },
  ),
  check(context) {
    const a = context.analysis;
    for (const call of handleCalls(a, new Set(['transaction']), 'drizzle')) {
      const options = call.arguments[1];
      const level = stringValue(propValue(options, 'isolationLevel'));
      if (!level || !RETRIED_LEVELS.has(level) || isRetried(call, a.sf)) continue;
      const prop = options && ts.isObjectLiteralExpression(options) ? options.properties.find((p) => p.name?.getText(a.sf) === 'isolationLevel') : undefined;
      // In application code the missing retry is visible, not just possible: warning (info on SQL).
      context.report({ messageId: 'noRetry', span: spanOf(prop ?? call, a.sf), data: { level }, severity: 'warning' });
    }
  },
});
