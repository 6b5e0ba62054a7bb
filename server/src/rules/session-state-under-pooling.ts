import { defineRule } from '../engine/rule';
import type { Fix, Span } from '../engine/types';
import type { Statement } from '../sql/document';
import { embeddedStatements } from '../sql/plpgsql';
import { funcName, keywordSpan, nodeSpan } from './lib/ast';
import { whereText } from './lib/flow-context';

interface Hit {
  what: string;
  instead: string;
  span: Span;
  fixes?: Fix[];
}

function hitsOf(stmt: Statement): Hit[] {
  const ast = stmt.ast as any;
  if (!ast) return [];
  const hits: Hit[] = [];
  const set = ast.VariableSetStmt;
  if (set && !set.is_local && (set.kind === 'VAR_SET_VALUE' || set.kind === 'VAR_SET_DEFAULT' || set.kind === 'VAR_SET_CURRENT')) {
    const setWord = keywordSpan(stmt, ['set'], stmt.segment.start);
    const name = String(set.name ?? '');
    hits.push({
      what: `SET ${name} (without LOCAL) changes the whole session`,
      instead: `use SET LOCAL ${name} inside the transaction, or set_config('${name}', value, true)`,
      span: stmt.firstLine(),
      fixes: setWord && !name.includes('session_authorization') ? [{ title: 'Use SET LOCAL', edits: [{ start: setWord.end, end: setWord.end, newText: ' LOCAL' }], preferred: true }] : undefined,
    });
  }
  if (ast.ListenStmt) hits.push({ what: `LISTEN ${ast.ListenStmt.conditionname ?? ''} registers on one server connection`, instead: 'listen on a dedicated, unpooled connection', span: stmt.firstLine() });
  if (ast.PrepareStmt) hits.push({ what: `PREPARE ${ast.PrepareStmt.name ?? ''} creates a prepared statement in one server session`, instead: 'use the driver\'s protocol-level prepared statements (PgBouncer 1.21+ tracks them) or plain parameterized queries', span: stmt.firstLine() });
  const rel = ast.CreateStmt?.relation ?? ast.CreateTableAsStmt?.into?.rel;
  const onCommit = ast.CreateStmt?.oncommit ?? ast.CreateTableAsStmt?.into?.onCommit;
  if (rel?.relpersistence === 't' && onCommit !== 'ONCOMMIT_DROP') {
    hits.push({ what: `CREATE TEMP TABLE ${rel.relname ?? ''} lives as long as the server session`, instead: 'add ON COMMIT DROP so it disappears with the transaction, or use a CTE', span: stmt.firstLine() });
  }
  for (const ref of stmt.nodes().get('FuncCall') ?? []) {
    const call = ref.node;
    const third = call.args?.[2]?.A_Const;
    if (funcName(call) !== 'set_config' || !third?.boolval || third.boolval.boolval === true) continue;
    hits.push({ what: 'set_config(..., false) changes the whole session', instead: 'pass true as the third argument (transaction-local)', span: nodeSpan(stmt, call) });
  }
  return hits;
}

export default defineRule({
  meta: {
    id: 'session-state-under-pooling',
    category: 'concurrency',
    severity: 'info',
    description: 'Session state in application queries (SET without LOCAL, LISTEN, CREATE TEMP TABLE, PREPARE, set_config(..., false)) leaks to other clients or vanishes under transaction pooling.',
    rationale:
      'Behind PgBouncer in transaction mode (and most managed poolers) each transaction may run on a different server connection, and the connection goes back to the pool afterwards. A session `SET` (a tenant id used by row-level security, a role, a time zone that decides which day a payment is booked on) then applies to whichever client gets that connection next, and is missing from this client\'s next transaction. Temp tables and prepared statements outlive the request the same way, and `LISTEN` receives nothing once the connection is handed to someone else. Transaction-scoped forms (`SET LOCAL`, `set_config(name, value, true)`, `ON COMMIT DROP`) end with the transaction. Migration files are exempt (they run on a direct connection); statements inside function bodies are checked everywhere because they run at request time.',
    messages: {
      sessionState: '{{what}}{{where}}: under transaction pooling the next transaction may run on another connection, and this state leaks to whichever client gets this one (for a tenant id or role: their rows, your rights). Instead, {{instead}}.',
    },
    fix: 'quickfix',
    languages: ['sql'],
    examples: {
      incorrect: [{ code: "CREATE FUNCTION as_tenant(p_tenant bigint) RETURNS void LANGUAGE plpgsql AS $$\nBEGIN\n  PERFORM set_config('app.tenant_id', p_tenant::text, false);\nEND $$;" }],
      correct: [{ code: "CREATE FUNCTION as_tenant(p_tenant bigint) RETURNS void LANGUAGE plpgsql AS $$\nBEGIN\n  PERFORM set_config('app.tenant_id', p_tenant::text, true);\nEND $$;" }],
    },
  },
  scope: 'file',
  stateless: true,
  // A statement's settings are judged on their own (and by the file's role): cached per statement.
  cache: 'statement',
  create(context) {
    const report = (stmt: Statement) => {
      for (const h of hitsOf(stmt)) {
        context.report({ messageId: 'sessionState', span: h.span, data: { what: h.what, instead: h.instead, where: whereText(stmt) }, fixes: h.fixes });
      }
    };
    return {
      statement(stmt) {
        // Migrations run on a direct connection, once; their session settings are intended.
        if (!context.fileInfo.migration) report(stmt);
        // Function bodies run at request time wherever they are defined; a DO block in a migration runs once.
        for (const inner of embeddedStatements(stmt)) if (!(context.fileInfo.migration && inner.container?.kind === 'do')) report(inner);
      },
    };
  },
});
