// `pgEnum('payment_status', ['pending', 'settled'])` (also a const array, a const object or a TypeScript
// enum of string labels, and `pgSchema(...).enum(...)`) -> DrizzleEnum,
// with the TypeScript span of every label, so enum findings sit on the array element itself.
import ts from 'typescript';
import type { Span } from '../engine/types';
import { stringValue, unwrap } from './imports';

export interface DrizzleEnumValue {
  label: string;
  span: Span;
}

export interface DrizzleEnum {
  /** Local variable name (`paymentStatus`). */
  local: string;
  name: string;
  schema?: string;
  values: DrizzleEnumValue[];
  /** The whole pgEnum call, its name argument, and the values array, object or TypeScript enum (where it is written). */
  span: Span;
  nameSpan: Span;
  valuesSpan: Span;
}

const spanOf = (node: ts.Node, sf: ts.SourceFile): Span => ({ start: node.getStart(sf), end: node.end });

type Values = ts.ArrayLiteralExpression | ts.ObjectLiteralExpression | ts.EnumDeclaration;

/** What a pgEnum's second argument can name: `const STATUSES = [...] as const`, `const Status = { ... } as const`, `enum Status { ... }`. */
function namedValues(sf: ts.SourceFile): Map<string, Values> {
  const out = new Map<string, Values>();
  const visit = (node: ts.Node) => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
      const init = unwrap(node.initializer);
      if (ts.isArrayLiteralExpression(init) || ts.isObjectLiteralExpression(init)) out.set(node.name.text, init);
    } else if (ts.isEnumDeclaration(node)) {
      out.set(node.name.text, node);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** The label literals, in declaration order (the order drizzle-orm passes to CREATE TYPE); undefined unless all are string literals. */
function labelNodes(values: Values): ts.Expression[] | undefined {
  let nodes: Array<ts.Expression | undefined>;
  if (ts.isArrayLiteralExpression(values)) nodes = [...values.elements];
  else if (ts.isEnumDeclaration(values)) nodes = values.members.map((m) => m.initializer);
  else nodes = values.properties.map((p) => (ts.isPropertyAssignment(p) ? p.initializer : undefined));
  const all = nodes.filter((n): n is ts.Expression => !!n && stringValue(unwrap(n)) !== undefined);
  return all.length === nodes.length && all.length > 0 ? all : undefined;
}

function valuesOf(arg: ts.Expression | undefined, named: () => Map<string, Values>): { node: Values; labels: ts.Expression[] } | undefined {
  if (!arg) return undefined;
  const a = unwrap(arg);
  const node = ts.isArrayLiteralExpression(a) ? a : ts.isIdentifier(a) ? named().get(a.text) : undefined;
  const labels = node && labelNodes(node);
  return node && labels ? { node, labels } : undefined;
}

export function readEnum(local: string, call: ts.CallExpression, schema: string | undefined, sf: ts.SourceFile, named: () => Map<string, Values>): DrizzleEnum | undefined {
  const nameNode = call.arguments[0];
  const name = stringValue(nameNode);
  const values = valuesOf(call.arguments[1], named);
  if (name === undefined || !nameNode || !values) return undefined;
  return {
    local,
    name,
    schema: schema && schema !== 'public' ? schema : undefined,
    values: values.labels.map((e) => ({ label: stringValue(unwrap(e))!, span: spanOf(e, sf) })),
    span: spanOf(call, sf),
    nameSpan: spanOf(nameNode, sf),
    valuesSpan: spanOf(values.node, sf),
  };
}

/** A lazily built lookup of the file's named arrays, objects and enums (most files with a pgEnum write the array inline). */
export function lazyNamedValues(sf: ts.SourceFile): () => Map<string, Values> {
  let cached: Map<string, Values> | undefined;
  return () => (cached ??= namedValues(sf));
}
