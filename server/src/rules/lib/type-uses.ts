// Where a type is written outside the column declarations that the `column(decl)` hook already
// covers: casts, domains, function signatures, `ALTER COLUMN ... TYPE`, composite types and
// foreign tables. Type rules use both, so "the `money` type anywhere" really means anywhere.
import type { Span } from '../../engine/types';
import type { TypeRef } from '../../model/schema';
import type { Statement } from '../../sql/document';
import type { NodeRef } from '../../sql/node-index';
import { tokenIndexAt } from '../../sql/tokens';
import { typeRefOf } from '../../sql/type-name';
import { nodeSpan } from './ast';

export type TypeUseKind = 'cast' | 'domain' | 'parameter' | 'return' | 'alter-column' | 'other-column';

export interface TypeUse {
  kind: TypeUseKind;
  type: TypeRef;
  /** The type as written: what a fix replaces. */
  typeSpan: Span;
  /** The finding's anchor: the whole cast, or the name through the type. */
  span: Span;
  /** The table (or composite type) of an `alter-column` / `other-column` use. */
  table?: string;
  /** Column, parameter, domain or function name, when there is one. */
  name?: string;
  /** For casts: the expression being cast (AST node). */
  castArg?: unknown;
}

type UseVisitor = (ref: NodeRef, stmt: Statement) => void;

function names(list: unknown): string {
  return Array.isArray(list) ? list.map((n: any) => String(n?.String?.sval ?? '')).join('.') : '';
}

function hull(a: Span, b: Span): Span {
  return { start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}

/** True when `sql-decls.ts` turns this ColumnDef into a ColumnDecl (CREATE TABLE, ADD COLUMN). */
function isDeclaredColumn(ref: NodeRef, stmt: Statement): boolean {
  const parent = ref.parent;
  if (parent?.type === 'CreateStmt') return parent.parent === undefined; // the statement itself
  return parent?.type === 'AlterTableCmd' && parent.node?.subtype === 'AT_AddColumn' && (stmt.ast as any)?.AlterTableStmt?.objtype === 'OBJECT_TABLE';
}

/**
 * Node visitors that call `onUse` for each type written outside CREATE TABLE / ADD COLUMN column
 * definitions. `source` is the rule's context, whose `text` (the file text) is read when visiting:
 * a one-shot run keeps a statement rule's visitors from one file to the next (engine/one-shot-rules.ts).
 */
export function typeUseVisitors(source: { readonly text: string }, onUse: (use: TypeUse, stmt: Statement) => void): Record<'TypeCast' | 'CreateDomainStmt' | 'CreateFunctionStmt' | 'ColumnDef', UseVisitor> {
  const typeOf = (typeName: any, stmt: Statement) => (typeName?.names ? typeRefOf(typeName, stmt, source.text) : undefined);
  return {
    TypeCast(ref, stmt) {
      const t = typeOf(ref.node?.typeName, stmt);
      if (!t) return;
      onUse({ kind: 'cast', type: t.type, typeSpan: t.span, span: hull(nodeSpan(stmt, ref.node), t.span), castArg: ref.node?.arg }, stmt);
    },
    CreateDomainStmt(ref, stmt) {
      const t = typeOf(ref.node?.typeName, stmt);
      if (!t) return;
      // The AST has no location for the domain name: it is the token after DOMAIN.
      const tokens = stmt.tokens();
      const k = tokens.findIndex((tok) => tok.keyword === 'domain');
      const start = k >= 0 && tokens[k + 1] ? tokens[k + 1].start : t.span.start;
      onUse({ kind: 'domain', type: t.type, typeSpan: t.span, span: hull({ start, end: start }, t.span), name: names(ref.node?.domainname) }, stmt);
    },
    CreateFunctionStmt(ref, stmt) {
      const fn = names(ref.node?.funcname);
      for (const p of ref.node?.parameters ?? []) {
        const param = p?.FunctionParameter;
        const t = typeOf(param?.argType, stmt);
        if (!t) continue;
        const start = typeof param?.location === 'number' && param.location >= 0 ? stmt.at(param.location) : t.span.start;
        const kind = param?.mode === 'FUNC_PARAM_TABLE' ? 'return' : 'parameter';
        onUse({ kind, type: t.type, typeSpan: t.span, span: hull({ start, end: start }, t.span), name: param?.name ? `${fn}(${param.name})` : fn }, stmt);
      }
      const r = typeOf(ref.node?.returnType, stmt);
      if (r) onUse({ kind: 'return', type: r.type, typeSpan: r.span, span: r.span, name: fn }, stmt);
    },
    ColumnDef(ref, stmt) {
      if (isDeclaredColumn(ref, stmt)) return;
      const t = typeOf(ref.node?.typeName, stmt);
      if (!t) return;
      const parent: any = ref.parent?.type === 'AlterTableCmd' ? ref.parent : undefined;
      const alter = parent?.node?.subtype === 'AT_AlterColumnType';
      const ast: any = stmt.ast;
      const table = alter ? ast?.AlterTableStmt?.relation?.relname : ast?.CompositeTypeStmt?.typevar?.relname ?? ast?.CreateForeignTableStmt?.base?.relation?.relname;
      const name = alter ? parent.node?.name : ref.node?.colname;
      const loc = ref.node?.location;
      const nameStart = typeof loc === 'number' && loc >= 0 ? stmt.tokens()[tokenIndexAt(stmt.tokens(), stmt.at(loc))]?.start ?? t.span.start : t.span.start;
      onUse({ kind: alter ? 'alter-column' : 'other-column', type: t.type, typeSpan: t.span, span: hull({ start: nameStart, end: nameStart }, t.span), table: table ? String(table) : undefined, name: name ? String(name) : undefined }, stmt);
    },
  };
}

/** The array part of a type as written (`[]`, `[][]`, ` ARRAY[4]`), to keep it in replacements. */
export function arraySuffix(written: string): string {
  const m = /((?:\s*\[\s*\d*\s*\])+|\s+array(?:\s*\[\s*\d*\s*\])?)\s*$/i.exec(written);
  if (!m) return '';
  const suffix = m[1].trimStart();
  return /^array/i.test(suffix) ? ` ${suffix}` : suffix;
}

/** `base` with the type's modifiers and array part kept: ('timestamptz', timestamp(3)[]) -> timestamptz(3)[]. */
export function sameShape(base: string, type: TypeRef, keepMods = true): string {
  const mods = keepMods && type.mods.length ? `(${type.mods.join(',')})` : '';
  return base + mods + arraySuffix(type.written);
}
