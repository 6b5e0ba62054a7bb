// Indexes, policies, triggers, grants and functions.
import type { FunctionModel, GrantModel, TriggerModel } from './schema';
import { nameListKey, rangeVarKey } from './schema-builder';
import type { ReplayContext } from './replay-context';
import { parenthesized, strings } from './replay-columns';
import { closingParen, findKeywords, qualifiedNameEnd, spanOf, splitAtCommas, tokenAt } from './tokens-util';

/** Text of an index key as written: a column name, or `(` + the expression. */
function indexKey(ctx: ReplayContext, elem: any, range: [number, number] | undefined): string {
  if (elem.name) return String(elem.name);
  if (!range) return '(';
  const { tokens } = ctx;
  const [first] = range;
  if (tokens[first]?.text === '(') {
    const close = closingParen(tokens, first);
    return '(' + (close > first + 1 ? ctx.slice(spanOf(tokens, first + 1, close - 1)) : '');
  }
  const last = tokens[first + 1]?.text === '(' ? closingParen(tokens, first + 1) : first;
  return '(' + ctx.slice(spanOf(tokens, first, last));
}

export function replayCreateIndex(ctx: ReplayContext, node: any): void {
  const key = rangeVarKey(node.relation);
  if (!key) return;
  ctx.touch(key);
  const table = ctx.schema.ensureTable(key);
  if (node.if_not_exists && node.idxname && table.indexes.some((i) => i.name === node.idxname)) return;
  const { tokens } = ctx;
  let open = qualifiedNameEnd(tokens, tokenAt(tokens, ctx.at(node.relation?.location))) + 1;
  if (tokens[open]?.keyword === 'using') open += 2;
  const close = tokens[open]?.text === '(' ? closingParen(tokens, open) : open;
  const ranges = tokens[open]?.text === '(' ? splitAtCommas(tokens, open + 1, close) : [];
  const columns = (node.indexParams ?? []).map((p: any, i: number) => indexKey(ctx, p.IndexElem ?? {}, ranges[i]));
  const whereAt = node.whereClause ? findKeywords(tokens, close + 1, tokens.length - 1, 'where') : -1;
  const where = whereAt >= 0 && whereAt + 1 < tokens.length ? ctx.slice(spanOf(tokens, whereAt + 1, tokens.length - 1)) : undefined;
  const source = ctx.statementRef();
  table.indexes.push({
    name: node.idxname,
    table: key,
    columns,
    method: String(node.accessMethod ?? 'btree'),
    unique: !!node.unique,
    where,
    concurrently: !!node.concurrent,
    source,
  });
  // A unique index enforces uniqueness exactly like a UNIQUE constraint (partial ones only where the predicate holds).
  if (node.unique) table.uniques.push({ name: node.idxname, columns, where, source });
}

const COMMANDS = new Set(['all', 'select', 'insert', 'update', 'delete']);

export function replayCreatePolicy(ctx: ReplayContext, node: any): void {
  const key = rangeVarKey(node.table);
  if (!key) return;
  ctx.touch(key);
  const table = ctx.schema.ensureTable(key);
  const { tokens } = ctx;
  const last = tokens.length - 1;
  const usingAt = node.qual ? findKeywords(tokens, 0, last, 'using') : -1;
  const checkAt = node.with_check ? findKeywords(tokens, 0, last, 'with', 'check') : -1;
  const cmd = String(node.cmd_name ?? 'all');
  const name = String(node.policy_name ?? '');
  table.policies = table.policies.filter((p) => p.name !== name);
  table.policies.push({
    name,
    command: (COMMANDS.has(cmd) ? cmd : 'all') as 'all',
    using: usingAt >= 0 ? parenthesized(ctx, usingAt, last) : undefined,
    withCheck: checkAt >= 0 ? parenthesized(ctx, checkAt, last) : undefined,
    source: ctx.statementRef(),
  });
}

// Bits of pg_trigger.tgtype, which CreateTrigStmt's `timing` and `events` reuse.
const TRIGGER_BEFORE = 2;
const TRIGGER_INSTEAD = 64;
const EVENT_BITS: Array<[number, TriggerModel['events'][number]]> = [
  [4, 'insert'],
  [8, 'delete'],
  [16, 'update'],
  [32, 'truncate'],
];

export function replayCreateTrigger(ctx: ReplayContext, node: any): void {
  const key = rangeVarKey(node.relation);
  if (!key) return;
  ctx.touch(key);
  const table = ctx.schema.ensureTable(key);
  const timing = Number(node.timing ?? 0);
  const events = Number(node.events ?? 0);
  const name = String(node.trigname ?? '');
  table.triggers = table.triggers.filter((t) => t.name !== name);
  table.triggers.push({
    name,
    timing: timing & TRIGGER_INSTEAD ? 'instead of' : timing & TRIGGER_BEFORE ? 'before' : 'after',
    events: EVENT_BITS.filter(([bit]) => events & bit).map(([, e]) => e),
    level: node.row ? 'row' : 'statement',
    func: nameListKey(node.funcname),
    constraint: !!node.isconstraint,
    deferrable: !!node.deferrable,
    source: ctx.statementRef(),
  });
}

function granteeName(g: any): string {
  const r = g?.RoleSpec ?? {};
  if (r.roletype === 'ROLESPEC_PUBLIC') return 'public';
  if (r.rolename) return String(r.rolename);
  return String(r.roletype ?? '').replace('ROLESPEC_', '').toLowerCase();
}

export function replayGrant(ctx: ReplayContext, node: any): void {
  const privileges = node.privileges ? (node.privileges as any[]).map((p) => String(p.AccessPriv?.priv_name ?? 'all')) : ['all'];
  const grantees = (node.grantees ?? []).map(granteeName);
  const revoke = !node.is_grant;
  if (node.objtype === 'OBJECT_FUNCTION' || node.objtype === 'OBJECT_PROCEDURE' || node.objtype === 'OBJECT_ROUTINE') {
    return grantExecute(ctx, node, privileges, grantees, revoke);
  }
  if (node.objtype !== 'OBJECT_TABLE') return;
  const grant: GrantModel = { privileges, grantees, revoke, source: ctx.statementRef() };
  if (node.targtype === 'ACL_TARGET_ALL_IN_SCHEMA') {
    // ON ALL TABLES IN SCHEMA applies to the tables that exist when it runs, not to later ones.
    const schemas = new Set(strings(node.objects));
    for (const [key, t] of [...ctx.schema.tables]) {
      if (!schemas.has(t.schema ?? 'public')) continue;
      ctx.touch(key);
      ctx.schema.mutable(key)?.grants.push(grant);
    }
    return;
  }
  for (const obj of node.objects ?? []) {
    const key = rangeVarKey(obj.RangeVar ?? obj);
    if (!key) continue;
    ctx.touch(key);
    ctx.schema.ensureTable(key).grants.push(grant);
  }
}

function grantExecute(ctx: ReplayContext, node: any, privileges: string[], grantees: string[], revoke: boolean): void {
  if (!grantees.includes('public') || !privileges.some((p) => p === 'execute' || p === 'all')) return;
  let names: string[];
  if (node.targtype === 'ACL_TARGET_ALL_IN_SCHEMA') {
    const schemas = new Set(strings(node.objects));
    names = [...ctx.schema.functions.keys()].filter((k) => schemas.has(k.includes('.') ? k.split('.')[0] : 'public'));
  } else {
    names = (node.objects ?? []).map((o: any) => nameListKey(o.ObjectWithArgs?.objname)).filter(Boolean);
  }
  for (const n of names) {
    if (revoke) ctx.schema.revokedExecute.add(n);
    else ctx.schema.revokedExecute.delete(n);
  }
}

function applyFunctionOptions(fn: FunctionModel, options: any[] | undefined): void {
  for (const o of options ?? []) {
    const d = o.DefElem;
    if (!d) continue;
    if (d.defname === 'language') fn.language = String(d.arg?.String?.sval ?? fn.language).toLowerCase();
    else if (d.defname === 'security') fn.securityDefiner = !!d.arg?.Boolean?.boolval;
    else if (d.defname === 'set' && d.arg?.VariableSetStmt?.name === 'search_path') {
      fn.setsSearchPath = d.arg.VariableSetStmt.kind !== 'VAR_RESET';
    }
  }
}

export function replayCreateFunction(ctx: ReplayContext, node: any): void {
  const name = nameListKey(node.funcname);
  if (!name) return;
  const fn: FunctionModel = { name, language: 'sql', securityDefiner: false, setsSearchPath: false, source: ctx.statementRef() };
  applyFunctionOptions(fn, node.options);
  ctx.schema.setFunction(name, fn);
}

export function replayAlterFunction(ctx: ReplayContext, node: any): void {
  const fn = ctx.schema.mutableFunction(nameListKey(node.func?.objname));
  if (fn) applyFunctionOptions(fn, node.actions);
}
