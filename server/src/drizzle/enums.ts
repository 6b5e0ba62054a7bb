// `pgEnum('payment_status', ['pending', 'settled'])` (and `pgSchema(...).enum(...)`) -> DrizzleEnum,
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
  /** The whole pgEnum call, its name argument, and the values array (where the array is written). */
  span: Span;
  nameSpan: Span;
  arraySpan: Span;
}

const spanOf = (node: ts.Node, sf: ts.SourceFile): Span => ({ start: node.getStart(sf), end: node.end });

/** `const STATUSES = ['a', 'b'] as const` declared in the file, by name. */
function constArrays(sf: ts.SourceFile): Map<string, ts.ArrayLiteralExpression> {
  const out = new Map<string, ts.ArrayLiteralExpression>();
  const visit = (node: ts.Node) => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
      const init = unwrap(node.initializer);
      if (ts.isArrayLiteralExpression(init)) out.set(node.name.text, init);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** The values array of a pgEnum call: written inline, or a const array of the same file. Undefined when not all labels are literals. */
function valuesArray(arg: ts.Expression | undefined, arrays: () => Map<string, ts.ArrayLiteralExpression>): ts.ArrayLiteralExpression | undefined {
  if (!arg) return undefined;
  const a = unwrap(arg);
  const array = ts.isArrayLiteralExpression(a) ? a : ts.isIdentifier(a) ? arrays().get(a.text) : undefined;
  if (!array || !array.elements.every((e) => stringValue(unwrap(e)) !== undefined)) return undefined;
  return array;
}

export function readEnum(local: string, call: ts.CallExpression, schema: string | undefined, sf: ts.SourceFile, arrays: () => Map<string, ts.ArrayLiteralExpression>): DrizzleEnum | undefined {
  const nameNode = call.arguments[0];
  const name = stringValue(nameNode);
  const array = valuesArray(call.arguments[1], arrays);
  if (name === undefined || !nameNode || !array) return undefined;
  return {
    local,
    name,
    schema: schema && schema !== 'public' ? schema : undefined,
    values: array.elements.map((e) => ({ label: stringValue(unwrap(e))!, span: spanOf(e, sf) })),
    span: spanOf(call, sf),
    nameSpan: spanOf(nameNode, sf),
    arraySpan: spanOf(array, sf),
  };
}

/** A lazily built lookup of the file's const arrays (most files with a pgEnum write the array inline). */
export function lazyConstArrays(sf: ts.SourceFile): () => Map<string, ts.ArrayLiteralExpression> {
  let cached: Map<string, ts.ArrayLiteralExpression> | undefined;
  return () => (cached ??= constArrays(sf));
}
