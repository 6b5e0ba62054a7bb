// Transaction units for the concurrency rules: the statements that run in one transaction, in
// order. At top level that is a written BEGIN ... COMMIT block (or the whole file when the runner
// wraps it); in PL/pgSQL it is a function body or DO block, which always runs inside its caller's
// transaction. Statements outside any transaction autocommit one by one and form no unit.
import type { FileInfo } from '../../engine/rule';
import type { Statement } from '../../sql/document';
import { plpgsqlBody, type Frame } from '../../sql/plpgsql';

export interface TxStep {
  stmt: Statement;
  /** Enclosing PL/pgSQL loops and branches (empty at top level). */
  frames: readonly Frame[];
}

export interface TxUnit {
  kind: 'block' | 'file' | 'body';
  steps: TxStep[];
  /** SERIALIZABLE was requested for this transaction (BEGIN ISOLATION LEVEL, SET TRANSACTION, session default). */
  serializable: boolean;
  /** ' in function `debit`', ' in a BEGIN ... COMMIT block', for messages. */
  where: string;
}

const OPENS = new Set(['TRANS_STMT_BEGIN', 'TRANS_STMT_START']);
const CLOSES = new Set(['TRANS_STMT_COMMIT', 'TRANS_STMT_ROLLBACK', 'TRANS_STMT_PREPARE']);

/** The isolation level a BEGIN / SET TRANSACTION / SET SESSION CHARACTERISTICS / SET default_transaction_isolation asks for. */
export function requestedIsolation(ast: any): string | undefined {
  const options: any[] = ast?.TransactionStmt?.options ?? (ast?.VariableSetStmt?.kind === 'VAR_SET_MULTI' ? ast.VariableSetStmt.args : undefined) ?? [];
  for (const o of options) {
    if (o?.DefElem?.defname === 'transaction_isolation') return String(o.DefElem.arg?.A_Const?.sval?.sval ?? '').toLowerCase();
  }
  const set = ast?.VariableSetStmt;
  if (set?.name === 'default_transaction_isolation' || set?.name === 'transaction_isolation') {
    return String(set.args?.[0]?.A_Const?.sval?.sval ?? '').toLowerCase() || undefined;
  }
  return undefined;
}

/** True when a session-wide setting (not SET LOCAL / SET TRANSACTION) made SERIALIZABLE the default. */
function setsSessionSerializable(ast: any): boolean {
  const set = ast?.VariableSetStmt;
  if (!set || set.is_local || set.name === 'TRANSACTION') return false;
  return requestedIsolation(ast) === 'serializable';
}

function routineWhere(stmt: Statement): string {
  const body = plpgsqlBody(stmt);
  if (!body) return '';
  return body.kind === 'do' ? ' in a DO block' : ` in ${body.kind} \`${body.name}\``;
}

/** Every transaction unit of the file: written blocks (or the runner-wrapped file) and PL/pgSQL bodies. */
export function transactionUnits(statements: readonly Statement[], info: FileInfo): TxUnit[] {
  const units: TxUnit[] = [];
  let sessionSerializable = false;
  let open: TxUnit | undefined = info.runnerWrapsTransaction ? { kind: 'file', steps: [], serializable: false, where: ' in this migration (the runner wraps it in one transaction)' } : undefined;
  if (open) units.push(open);
  for (const stmt of statements) {
    const ast = stmt.ast as any;
    const body = plpgsqlBody(stmt);
    if (body && !body.error) {
      const steps = body.steps.filter((s) => s.statement?.ast).map((s) => ({ stmt: s.statement!, frames: s.frames }));
      if (steps.length) units.push({ kind: 'body', steps, serializable: false, where: routineWhere(stmt) });
    }
    const kind = ast?.TransactionStmt?.kind as string | undefined;
    if (kind && OPENS.has(kind) && !info.runnerWrapsTransaction) {
      open = { kind: 'block', steps: [], serializable: sessionSerializable || requestedIsolation(ast) === 'serializable', where: ' in this BEGIN ... COMMIT block' };
      units.push(open);
      continue;
    }
    if (kind && CLOSES.has(kind) && !info.runnerWrapsTransaction) {
      open = undefined;
      continue;
    }
    if (setsSessionSerializable(ast)) sessionSerializable = true;
    if (!open) continue;
    if (ast?.VariableSetStmt?.name === 'TRANSACTION' && requestedIsolation(ast) === 'serializable') open.serializable = true;
    if (open.kind === 'file' && sessionSerializable) open.serializable = true;
    if (ast) open.steps.push({ stmt, frames: [] });
  }
  return units;
}
