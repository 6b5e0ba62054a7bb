import ts from 'typescript';
import sqlRule from '../../rules/balance-read-modify-write';
import { isBalanceColumn } from '../../rules/lib/flow-balance';
import { defineDrizzleCheck } from '../check';
import { chainRoot } from '../handles';
import { importedName, stringValue } from '../imports';
import type { TsAnalysis } from '../analysis';
import { snakeCase } from '../scope';
import { handleCalls, spanOf, unwrap, withTypeScript } from './shared';

const LOCKS = new Set(['update', 'no key update']);

/** Where a value comes from: a select of the database (locked or not), or only JavaScript. */
interface Origin {
  read?: { node: ts.CallExpression; locked: boolean; variable: string };
}

/** `db.select(...).from(t)...`, `tx.query.wallets.findFirst(...)`: a read through a Drizzle handle, and whether it locks. */
function readOf(a: TsAnalysis, init: ts.Expression): { call: ts.CallExpression; locked: boolean } | undefined {
  const e = unwrap(init);
  if (!ts.isCallExpression(e) || a.handles.kindOf(chainRoot(e)) !== 'drizzle') return undefined;
  let select = false;
  let locked = false;
  for (let cur: ts.Expression = e; ts.isCallExpression(cur) && ts.isPropertyAccessExpression(cur.expression); cur = cur.expression.expression) {
    const name = cur.expression.name.text;
    if (/^select/.test(name) || name === 'findFirst' || name === 'findMany') select = true;
    if (name === 'for' && LOCKS.has(stringValue(cur.arguments[0]) ?? '')) locked = true;
  }
  return select ? { call: e, locked } : undefined;
}

/** Names bound by a declaration: `w`, `[w]`, `{ balance }`. */
function boundNames(name: ts.BindingName, out: string[] = []): string[] {
  if (ts.isIdentifier(name)) out.push(name.text);
  else for (const el of name.elements) if (!ts.isOmittedExpression(el)) boundNames(el.name, out);
  return out;
}

/** The identifiers an expression reads (not property names, not callees' members). */
function readIdentifiers(e: ts.Node, out: ts.Identifier[] = []): ts.Identifier[] {
  if (ts.isIdentifier(e)) out.push(e);
  else if (ts.isPropertyAccessExpression(e)) readIdentifiers(e.expression, out);
  else if (!ts.isFunctionLike(e)) ts.forEachChild(e, (c) => void readIdentifiers(c, out));
  return out;
}

/** Follows a value back through `const` declarations before `at` to the selects it was computed from. */
function originOf(a: TsAnalysis, value: ts.Expression, at: number, depth = 0): Origin {
  const origin: Origin = {};
  if (depth > 4) return origin;
  for (const id of readIdentifiers(value)) {
    const decl = [...a.variables].reverse().find((d) => d.end <= at && d.initializer && boundNames(d.name).includes(id.text));
    if (!decl?.initializer) continue;
    const read = readOf(a, decl.initializer);
    const found = read ? { node: read.call, locked: read.locked, variable: id.text } : originOf(a, decl.initializer, decl.getStart(a.sf), depth + 1).read;
    // An unlocked read decides: one stale input is enough to lose a concurrent debit.
    if (found && (!origin.read || (origin.read.locked && !found.locked))) origin.read = found;
  }
  return origin;
}

/** Is `handle` the transaction parameter of an enclosing `.transaction(async (tx) => ...)`? */
function inTransaction(handle: string, node: ts.Node): boolean {
  for (let p: ts.Node | undefined = node.parent; p; p = p.parent) {
    if ((ts.isArrowFunction(p) || ts.isFunctionExpression(p)) && ts.isCallExpression(p.parent) && ts.isPropertyAccessExpression(p.parent.expression) && p.parent.expression.name.text === 'transaction') {
      const param = p.parameters[0]?.name;
      if (param && ts.isIdentifier(param) && param.text === handle) return true;
    }
  }
  return false;
}

/** A `sql` template that mentions the column it sets (`sql\`${wallets.balance} - ${amount}\``) is computed by PostgreSQL. */
function isRelativeSql(a: TsAnalysis, value: ts.Expression, key: string, column: string): boolean | undefined {
  const u = unwrap(value);
  if (!ts.isTaggedTemplateExpression(u) || importedName(u.tag, a.imports) !== 'sql') return undefined;
  const tpl = u.template;
  const texts = ts.isNoSubstitutionTemplateLiteral(tpl) ? [tpl.text] : [tpl.head.text, ...tpl.templateSpans.map((s) => s.literal.text)];
  const word = new RegExp(`(^|[^\\w$])"?${column}"?([^\\w$]|$)`, 'i');
  if (texts.some((t) => word.test(t))) return true;
  return ts.isTemplateExpression(tpl) && tpl.templateSpans.some((s) => {
    const x = unwrap(s.expression);
    return ts.isPropertyAccessExpression(x) && (x.name.text === key || x.name.text === column);
  });
}

/** `w.balance - amount` -> sql`${wallets.balance} - ${amount}`, when the read's balance is one side of a + or -. */
function relativeRewrite(a: TsAnalysis, value: ts.Expression, readVar: string, key: string, tableText: string, at: number): string | undefined {
  let e = unwrap(value);
  if (ts.isIdentifier(e)) {
    const decl = [...a.variables].reverse().find((d) => d.end <= at && ts.isIdentifier(d.name) && d.name.text === (e as ts.Identifier).text);
    if (!decl?.initializer || !(decl.parent.flags & ts.NodeFlags.Const)) return undefined;
    e = unwrap(decl.initializer);
  }
  if (!ts.isBinaryExpression(e)) return undefined;
  const op = e.operatorToken.kind === ts.SyntaxKind.MinusToken ? '-' : e.operatorToken.kind === ts.SyntaxKind.PlusToken ? '+' : undefined;
  if (!op) return undefined;
  const isStored = (x: ts.Expression) => {
    const u = unwrap(x);
    if (!ts.isPropertyAccessExpression(u) || u.name.text !== key) return false;
    const root = chainRoot(u.expression);
    return ts.isIdentifier(root) && root.text === readVar;
  };
  if (!isStored(e.left) || readIdentifiers(e.right).some((id) => id.text === readVar)) return undefined;
  return `sql\`\${${tableText}.${key}} ${op} \${${e.right.getText(a.sf)}}\``;
}

/** `import { sql } from 'drizzle-orm'` is needed by the rewrite: the edit adding it, or none when present. */
function sqlImport(a: TsAnalysis): { edit?: { start: number; end: number; newText: string }; ok: boolean } {
  for (const [local, v] of a.imports.named) if (v.name === 'sql' && v.module === 'drizzle-orm') return { ok: local === 'sql' };
  for (const st of a.sf.statements) {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier) || st.moduleSpecifier.text !== 'drizzle-orm') continue;
    const nb = st.importClause?.namedBindings;
    const last = nb && ts.isNamedImports(nb) && !st.importClause?.isTypeOnly ? nb.elements.at(-1) : undefined;
    if (last) return { ok: true, edit: { start: last.end, end: last.end, newText: ', sql' } };
  }
  return { ok: true, edit: { start: 0, end: 0, newText: "import { sql } from 'drizzle-orm';\n" } };
}

export default defineDrizzleCheck({
  meta: withTypeScript(
    sqlRule.meta,
    {
      drizzleStaleRead:
        '.update({{table}}).set({ {{key}}: ... }) writes a balance computed in JavaScript from `{{variable}}`, read by a select without .for(\'update\') in this transaction (`{{column}}` looks like a balance): a concurrent request can change {{column}} in between and its debit is lost (two debits of 10 from 100 end at 90). Let PostgreSQL compute it from the stored value, .set({ {{key}}: sql`${{{table}}.{{key}}} - ${amount}` }) with the overdraft guard in .where(), or read the row with .for(\'update\') inside the same db.transaction.',
      drizzleAbsolute:
        '.update({{table}}).set({ {{key}}: {{value}} }) writes a balance computed in JavaScript (`{{column}}` looks like a balance): two concurrent requests that both computed 90 from 100 lose one debit. Write the change relative to the stored value, .set({ {{key}}: sql`${{{table}}.{{key}}} - ${amount}` }) with .where(and(eq(...), gte({{table}}.{{key}}, amount))), or read the row with .for(\'update\') in the same transaction first.',
    },
    {
      incorrect: [
        {
          language: 'typescript',
          code: "import { eq } from 'drizzle-orm';\nimport type { NodePgDatabase } from 'drizzle-orm/node-postgres';\nimport { wallets } from './schema';\nexport const debit = (db: NodePgDatabase, id: number, amount: number) =>\n  db.transaction(async (tx) => {\n    const [w] = await tx.select({ balance: wallets.balance }).from(wallets).where(eq(wallets.id, id));\n    await tx.update(wallets).set({ balance: w.balance - amount }).where(eq(wallets.id, id));\n  });",
        },
      ],
      correct: [
        {
          language: 'typescript',
          code: "import { and, eq, gte, sql } from 'drizzle-orm';\nimport type { NodePgDatabase } from 'drizzle-orm/node-postgres';\nimport { wallets } from './schema';\nexport const debit = (db: NodePgDatabase, id: number, amount: number) =>\n  db.update(wallets).set({ balance: sql`${wallets.balance} - ${amount}` }).where(and(eq(wallets.id, id), gte(wallets.balance, amount))).returning({ balance: wallets.balance });",
        },
        {
          language: 'typescript',
          code: "import { eq } from 'drizzle-orm';\nimport type { NodePgDatabase } from 'drizzle-orm/node-postgres';\nimport { wallets } from './schema';\nexport const debit = (db: NodePgDatabase, id: number, amount: number) =>\n  db.transaction(async (tx) => {\n    const [w] = await tx.select({ balance: wallets.balance }).from(wallets).where(eq(wallets.id, id)).for('update');\n    await tx.update(wallets).set({ balance: w.balance - amount }).where(eq(wallets.id, id));\n  });",
        },
      ],
    },
  ),
  check(context) {
    const a = context.analysis;
    for (const call of handleCalls(a, new Set(['update']), 'drizzle')) {
      const target = call.arguments[0] && unwrap(call.arguments[0]);
      if (!target) continue;
      const tableText = target.getText(a.sf);
      const drizzleTable = ts.isIdentifier(target) ? a.tables.find((t) => t.varName === target.text) : undefined;
      const setCall = setCallOf(call);
      const values = setCall?.arguments[0] && unwrap(setCall.arguments[0]);
      if (!values || !ts.isObjectLiteralExpression(values)) continue;
      const handle = chainRoot(call);
      for (const prop of values.properties) {
        if (!(ts.isPropertyAssignment(prop) || ts.isShorthandPropertyAssignment(prop)) || !(ts.isIdentifier(prop.name) || ts.isStringLiteral(prop.name))) continue;
        const key = prop.name.text;
        const column = drizzleTable?.columns.find((c) => c.key === key)?.dbName ?? snakeCase(key);
        if (!isBalanceColumn(column, context.vocabulary)) continue;
        const value = ts.isPropertyAssignment(prop) ? prop.initializer : prop.name;
        const relative = isRelativeSql(a, value, key, column);
        if (relative) continue;
        const data = { table: tableText, key, column, value: value.getText(a.sf).replace(/\s+/g, ' ').slice(0, 80) };
        const read = relative === undefined ? originOf(a, value, call.getStart(a.sf)).read : undefined;
        if (read?.locked && ts.isIdentifier(handle) && ts.isIdentifier(chainRoot(read.node)) && (chainRoot(read.node) as ts.Identifier).text === handle.text && inTransaction(handle.text, call)) continue;
        if (read) {
          const rewrite = relativeRewrite(a, value, read.variable, key, tableText, call.getStart(a.sf));
          const imp = rewrite ? sqlImport(a) : undefined;
          const valueSpan = spanOf(value, a.sf);
          const edits = rewrite && imp?.ok ? [...(imp.edit ? [imp.edit] : []), ts.isShorthandPropertyAssignment(prop) ? { ...valueSpan, newText: `${key}: ${rewrite}` } : { ...valueSpan, newText: rewrite }] : undefined;
          context.report({
            messageId: 'drizzleStaleRead',
            span: spanOf(prop, a.sf),
            data: { ...data, variable: read.variable },
            fixes: edits ? [{ title: `Compute ${column} in PostgreSQL from the stored value`, edits, preferred: true }] : undefined,
          });
        } else {
          context.report({ messageId: 'drizzleAbsolute', span: spanOf(prop, a.sf), data });
        }
      }
    }
  },
});

/** The `.set(...)` call of an update chain. */
function setCallOf(call: ts.CallExpression): ts.CallExpression | undefined {
  let cur: ts.Node = call;
  while (ts.isPropertyAccessExpression(cur.parent) && cur.parent.expression === cur && ts.isCallExpression(cur.parent.parent)) {
    if (cur.parent.name.text === 'set') return cur.parent.parent;
    cur = cur.parent.parent;
  }
  return undefined;
}
