import { defineRule } from '../engine/rule';
import { nameListKey } from '../model/schema-builder';
import type { Statement } from '../sql/document';
import { routineHeader } from '../sql/plpgsql/body-source';
import { keywordSpan } from './lib/ast';

/** `REVOKE EXECUTE|ALL ON FUNCTION|PROCEDURE|ROUTINE name FROM PUBLIC`: the revoked names (keys). */
function revokedFromPublic(ast: any): string[] {
  const g = ast?.GrantStmt;
  if (!g || g.is_grant) return [];
  if (!['OBJECT_FUNCTION', 'OBJECT_PROCEDURE', 'OBJECT_ROUTINE'].includes(g.objtype)) return [];
  const privs: string[] = (g.privileges ?? []).map((p: any) => String(p?.AccessPriv?.priv_name ?? '').toLowerCase());
  if (privs.length && !privs.includes('execute')) return [];
  if (!(g.grantees ?? []).some((r: any) => r?.RoleSpec?.roletype === 'ROLESPEC_PUBLIC')) return [];
  if (g.targtype === 'ACL_TARGET_ALL_IN_SCHEMA') return ['*'];
  return (g.objects ?? []).map((o: any) => nameListKey(o?.ObjectWithArgs?.objname)).filter(Boolean);
}

/** `ALTER DEFAULT PRIVILEGES ... REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC` covers functions created after it. */
function revokesByDefault(ast: any): boolean {
  const action = ast?.AlterDefaultPrivilegesStmt?.action;
  return !!action && revokedFromPublic({ GrantStmt: { ...action, objects: [], targtype: 'ACL_TARGET_ALL_IN_SCHEMA' } }).length > 0;
}

export default defineRule({
  meta: {
    id: 'security-definer-unsafe',
    category: 'security',
    severity: 'error',
    description: '`SECURITY DEFINER` function without `SET search_path`, or without a later `REVOKE EXECUTE ... FROM PUBLIC`.',
    rationale:
      'A SECURITY DEFINER function runs with its owner\'s rights, usually a role that may write balances and ledgers. Without a pinned `search_path`, any caller who can create objects in a schema on the path can shadow a table, operator or function the body uses and run their own code with those rights. And PostgreSQL grants EXECUTE on every new function to PUBLIC, so unless it is revoked, every role that can connect can call the function, e.g. post a transfer. Pin `SET search_path = \'\'` (and qualify names in the body), revoke EXECUTE from PUBLIC and grant it to the one role that needs it.',
    messages: {
      searchPath:
        'SECURITY DEFINER {{kind}} `{{name}}` has no SET search_path: a caller who can create objects in a schema on the path can shadow what the body uses and run code with the owner\'s rights over your money tables. Add SET search_path = \'\' and schema-qualify the names in the body (pg_catalog is always searched).',
      revoke:
        'SECURITY DEFINER {{kind}} `{{name}}` is executable by PUBLIC: PostgreSQL grants EXECUTE on new functions to every role, so any login can run it with the owner\'s rights. Add REVOKE EXECUTE ON {{objType}} {{signature}} FROM PUBLIC; then GRANT EXECUTE to the one role that needs it.',
    },
    fix: 'quickfix',
    languages: ['sql'],
    examples: {
      incorrect: [
        { code: "CREATE FUNCTION app.transfer(p_from bigint, p_to bigint, p_amount numeric) RETURNS void\nLANGUAGE sql SECURITY DEFINER\nAS $$ UPDATE app.wallets SET balance = balance - p_amount WHERE id = p_from $$;" },
      ],
      correct: [
        { code: "CREATE FUNCTION app.transfer(p_from bigint, p_to bigint, p_amount numeric) RETURNS void\nLANGUAGE sql SECURITY DEFINER SET search_path = ''\nAS $$ UPDATE app.wallets SET balance = balance - p_amount WHERE id = p_from $$;\nREVOKE EXECUTE ON FUNCTION app.transfer(bigint, bigint, numeric) FROM PUBLIC;\nGRANT EXECUTE ON FUNCTION app.transfer(bigint, bigint, numeric) TO payments_service;" },
      ],
    },
  },
  scope: 'file',
  // Functions, the REVOKEs after them and default privileges.
  concerns(stmt) {
    const ast = stmt.ast as any;
    return !!ast && !!(ast.CreateFunctionStmt || ast.GrantStmt || ast.AlterDefaultPrivilegesStmt);
  },
  stateless: true,
  create(context) {
    // For each function, whether a REVOKE ... FROM PUBLIC follows it in this file.
    const revokedAfter = (stmt: Statement, key: string): boolean => {
      const { file, schema } = context;
      for (const s of file.statements) {
        if (s.index < stmt.index && revokesByDefault(s.ast)) return true;
        if (s.index <= stmt.index) continue;
        const names = revokedFromPublic(s.ast);
        if (names.includes('*') || names.includes(key)) return true;
      }
      return schema.revokedExecute.has(key);
    };
    return {
      CreateFunctionStmt(ref, stmt) {
        if (stmt.container) return;
        const header = routineHeader(stmt.ast);
        if (!header?.securityDefiner) return;
        const span = keywordSpan(stmt, ['security', 'definer']) ?? stmt.firstLine();
        const objType = header.kind === 'procedure' ? 'PROCEDURE' : 'FUNCTION';
        const signature = `${header.name}(${header.argTypes.join(', ')})`;
        const data = { kind: header.kind, name: header.name, objType, signature };
        if (!header.setsSearchPath) {
          const as = asToken(stmt);
          context.report({
            messageId: 'searchPath',
            span,
            data,
            fixes: as ? [{ title: "Pin SET search_path = ''", edits: [{ start: as.start, end: as.start, newText: as.atLineStart ? `SET search_path = ''\n${as.indent}` : "SET search_path = '' " }], preferred: true }] : undefined,
          });
        }
        if (!revokedAfter(stmt, nameListKey(ref.node.funcname))) {
          const end = stmt.segment.end;
          const hasSemicolon = context.file.text[end] === ';';
          const at = hasSemicolon ? end + 1 : end;
          const revoke = `REVOKE EXECUTE ON ${objType} ${signature} FROM PUBLIC;`;
          context.report({
            messageId: 'revoke',
            span,
            data,
            fixes: [{ title: `Revoke EXECUTE on ${header.name} from PUBLIC`, edits: [{ start: at, end: at, newText: `${hasSemicolon ? '' : ';'}\n${revoke}` }], preferred: true }],
          });
        }
      },
    };
  },
});

/** The AS keyword before the body, and the indentation to put back after an inserted line. */
function asToken(stmt: Statement): { start: number; atLineStart: boolean; indent: string } | undefined {
  const fn = (stmt.ast as any)?.CreateFunctionStmt;
  const as = (fn?.options ?? []).map((o: any) => o?.DefElem).find((d: any) => d?.defname === 'as');
  if (typeof as?.location !== 'number') return undefined;
  const start = stmt.at(as.location);
  const text = stmt.segment.text;
  const rel = start - stmt.segment.start;
  const lineStart = text.lastIndexOf('\n', rel - 1) + 1;
  const before = text.slice(lineStart, rel);
  // At the start of a line, keep that line's indentation; mid-line, continue on the same line.
  return /^\s*$/.test(before) ? { start, atLineStart: true, indent: before } : { start, atLineStart: false, indent: '' };
}
