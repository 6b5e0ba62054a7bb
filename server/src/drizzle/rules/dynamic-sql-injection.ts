import ts from 'typescript';
import { parseSqlFile } from '../../sql/document';
import { defineDrizzleCheck } from '../check';
import { importedName } from '../imports';
import sqlRule from '../../rules/dynamic-sql-injection';
import { handleCalls, spanOf, unwrap, withTypeScript } from './shared';
import type { NodeFilter } from '../file-nodes';

const QUERY_METHODS = new Set(['query', 'execute']);

/** `<x>.raw(...)` calls: where a `sql.raw` is (the imported name of `x` is asked of these only). */
const rawCalls: NodeFilter = (node) => ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'raw';

/** Names bound to a string literal by `const`: `sql.raw(ORDER_BY)` with such a name is safe. */
function constLiterals(variables: readonly ts.VariableDeclaration[]): Set<string> {
  const out = new Set<string>();
  for (const d of variables) {
    if (!(d.parent.flags & ts.NodeFlags.Const) || !ts.isIdentifier(d.name) || !d.initializer) continue;
    if (isLiteral(d.initializer, out)) out.add(d.name.text);
  }
  return out;
}

function isLiteral(e: ts.Expression, consts: ReadonlySet<string>): boolean {
  const u = unwrap(e);
  if (ts.isStringLiteral(u) || ts.isNoSubstitutionTemplateLiteral(u) || ts.isNumericLiteral(u)) return true;
  if (ts.isIdentifier(u)) return consts.has(u.text);
  if (ts.isBinaryExpression(u) && u.operatorToken.kind === ts.SyntaxKind.PlusToken) return isLiteral(u.left, consts) && isLiteral(u.right, consts);
  if (ts.isTemplateExpression(u)) return u.templateSpans.every((s) => isLiteral(s.expression, consts));
  return false;
}

/** `client.query(\`... ${id}\`)` -> `client.query(\`... $1\`, [id])`, when the result is still valid SQL and no value sits inside quotes. */
function parameterize(call: ts.CallExpression, tpl: ts.TemplateExpression, sf: ts.SourceFile) {
  if (call.arguments.length !== 1) return undefined;
  const edits = [];
  let sqlText = tpl.head.text;
  const values: string[] = [];
  for (const [i, span] of tpl.templateSpans.entries()) {
    const before = i === 0 ? tpl.head.text : tpl.templateSpans[i - 1].literal.text;
    if (/['"]$/.test(before)) return undefined;
    const start = span.expression.getFullStart() - 2;
    const end = span.literal.getStart(sf) + 1;
    edits.push({ start, end, newText: `$${i + 1}` });
    values.push(span.expression.getText(sf));
    sqlText += `$${i + 1}` + span.literal.text;
  }
  const parsed = parseSqlFile('param.sql', sqlText);
  if (!parsed.statements.length || parsed.statements.some((s) => s.error)) return undefined;
  edits.push({ start: tpl.end, end: tpl.end, newText: `, [${values.join(', ')}]` });
  return [{ title: 'Pass the values as query parameters ($1, $2, ...)', edits, preferred: true }];
}

export default defineDrizzleCheck({
  meta: withTypeScript(
    sqlRule.meta,
    {
      raw: 'sql.raw({{arg}}) inserts a value that is not a literal straight into the SQL text: whoever controls it can read or change any row (for example every wallet balance). Interpolate it in the sql`` template (it becomes a parameter), use sql.identifier() for names, or map it to a fixed list of allowed SQL fragments.',
      template:
        '{{method}}() receives SQL built with a template literal: ${{{value}}} is pasted into the SQL text, so a crafted value runs as SQL with the service\'s privileges. Pass values as parameters: query(\'... $1\', [value]).',
      concat:
        '{{method}}() receives SQL built by string concatenation with {{value}}: the value is pasted into the SQL text, so a crafted value runs as SQL with the service\'s privileges. Pass values as parameters: query(\'... $1\', [value]).',
    },
    {
      incorrect: [
        {
          language: 'typescript',
          code: "import { sql } from 'drizzle-orm';\nimport { db } from './db';\nexport const find = (filter: string) => db.execute(sql`SELECT id FROM payments WHERE ${sql.raw(filter)}`);",
        },
      ],
      correct: [
        {
          language: 'typescript',
          code: "import { sql } from 'drizzle-orm';\nimport { db } from './db';\nexport const find = (status: string) => db.execute(sql`SELECT id FROM payments WHERE status = ${status}`);",
        },
      ],
    },
    'quickfix',
  ),
  check(context) {
    const a = context.analysis;
    // Made when a call needs it: a schema file has a const per table and no sql.raw or query call.
    let knownConsts: Set<string> | undefined;
    const consts = () => (knownConsts ??= constLiterals(a.variables));
    for (const call of a.select(rawCalls) as ts.CallExpression[]) {
      const callee = call.expression as ts.PropertyAccessExpression;
      if (importedName(callee.expression, a.imports) !== 'sql') continue;
      const arg = call.arguments[0];
      if (!arg || isLiteral(arg, consts())) continue;
      context.report({ messageId: 'raw', span: spanOf(call, a.sf), data: { arg: arg.getText(a.sf) } });
    }
    for (const call of handleCalls(a, QUERY_METHODS)) {
      const method = (call.expression as ts.PropertyAccessExpression).name.text;
      const arg = call.arguments[0] && unwrap(call.arguments[0]);
      if (!arg || isLiteral(arg, consts())) continue;
      if (ts.isTemplateExpression(arg)) {
        const unsafe = arg.templateSpans.find((s) => !isLiteral(s.expression, consts()));
        if (!unsafe) continue;
        context.report({ messageId: 'template', span: spanOf(arg, a.sf), data: { method, value: unsafe.expression.getText(a.sf) }, fixes: parameterize(call, arg, a.sf) });
      } else if (ts.isBinaryExpression(arg) && arg.operatorToken.kind === ts.SyntaxKind.PlusToken) {
        const parts: ts.Expression[] = [];
        const flat = (e: ts.Expression): void => {
          if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) {
            flat(e.left);
            flat(e.right);
          } else parts.push(e);
        };
        flat(arg);
        const unsafe = parts.find((p) => !isLiteral(p, consts()));
        if (unsafe) context.report({ messageId: 'concat', span: spanOf(arg, a.sf), data: { method, value: unsafe.getText(a.sf) } });
      }
    }
  },
});
