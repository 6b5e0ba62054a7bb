// Every libpg-query node of a statement, grouped by node type, computed once per distinct
// statement text. Rules ask for "all ColumnDef nodes" instead of walking the tree themselves,
// so a file with thousands of statements is walked once, not once per rule.

/** A node in its tree: `node` is the unwrapped object (e.g. the ColumnDef's fields). */
export interface NodeRef {
  type: string;
  node: any;
  parent?: NodeRef;
  /** The property of the parent object under which this node sits (e.g. 'tableElts'). */
  key?: string;
}

export type NodeIndex = Map<string, NodeRef[]>;

function isUpper(code: number): boolean {
  return code >= 65 && code <= 90;
}

/** `{ ColumnDef: {...} }` -> 'ColumnDef'; anything else -> undefined. */
export function nodeType(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  let only: string | undefined;
  for (const k in value as object) {
    if (only !== undefined) return undefined;
    only = k;
  }
  if (only === undefined || !isUpper(only.charCodeAt(0))) return undefined;
  const inner = (value as Record<string, unknown>)[only];
  return inner !== null && typeof inner === 'object' ? only : undefined;
}

/**
 * Per index: the objects of its tree with a string `relname` (RangeVars, wrapped or bare: the
 * `relation` of UPDATE, DELETE, INSERT, which the index does not list), in tree order, found by the
 * walk that builds the index instead of a walk of their own (model/range-var-names.ts).
 */
const relnameHolders = new WeakMap<NodeIndex, object[]>();

/** Where visit() puts relname holders while it builds an index (buildNodeIndex does not nest). */
let holders: object[] = [];

/**
 * How deep range-var-names.ts's own walk went (the tree's objects and arrays, a wrapper and its
 * fields counting as two levels): holders deeper than it looked are left out, so the answer is the
 * one that walk gave.
 */
const RELNAME_DEPTH = 500;

export function buildNodeIndex(root: unknown): NodeIndex {
  const index: NodeIndex = new Map();
  const found: object[] = (holders = []);
  if (root !== null && typeof root === 'object') visit(index, root as object, undefined, undefined, 0, 0);
  holders = [];
  relnameHolders.set(index, found);
  return index;
}

/** The objects with a string `relname` in the tree `index` was built from, in tree order. */
export function relnameHoldersOf(index: NodeIndex): readonly object[] {
  return relnameHolders.get(index) ?? [];
}

// Every statement's tree is walked once per run, and the CLI runs without the optimizing compiler
// (cli/v8-tiering.ts): no closure, and scalars (most of the values) are skipped before any call.
// `walkDepth`: see RELNAME_DEPTH.
function visit(index: NodeIndex, value: object, parent: NodeRef | undefined, key: string | undefined, depth: number, walkDepth: number): void {
  // Deeply nested expressions (thousands of ANDs) must not overflow the stack.
  if (depth > 2000) return;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (item !== null && typeof item === 'object') visit(index, item, parent, key, depth + 1, walkDepth + 1);
    }
    return;
  }
  const type = nodeType(value);
  const fields = (type ? (value as Record<string, unknown>)[type] : value) as Record<string, unknown>;
  const fieldsDepth = type ? walkDepth + 1 : walkDepth;
  let owner = parent;
  if (type) {
    owner = { type, node: fields, parent, key };
    const list = index.get(type);
    if (list) list.push(owner);
    else index.set(type, [owner]);
  }
  if (typeof fields.relname === 'string' && fieldsDepth <= RELNAME_DEPTH) holders.push(fields);
  for (const k in fields) {
    const v = fields[k];
    if (v !== null && typeof v === 'object') visit(index, v, owner, k, depth + 1, fieldsDepth + 1);
  }
}

/** The nearest ancestor of `ref` with one of the given types. */
export function ancestor(ref: NodeRef, ...types: string[]): NodeRef | undefined {
  for (let p = ref.parent; p; p = p.parent) if (types.includes(p.type)) return p;
  return undefined;
}
