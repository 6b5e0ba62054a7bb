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

export function buildNodeIndex(root: unknown): NodeIndex {
  const index: NodeIndex = new Map();
  const visit = (value: unknown, parent: NodeRef | undefined, key: string | undefined, depth: number): void => {
    // Deeply nested expressions (thousands of ANDs) must not overflow the stack.
    if (depth > 2000 || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      for (const item of value) visit(item, parent, key, depth + 1);
      return;
    }
    const type = nodeType(value);
    if (type) {
      const inner = (value as Record<string, unknown>)[type];
      const ref: NodeRef = { type, node: inner, parent, key };
      let list = index.get(type);
      if (!list) index.set(type, (list = []));
      list.push(ref);
      for (const k in inner as object) visit((inner as Record<string, unknown>)[k], ref, k, depth + 1);
      return;
    }
    for (const k in value as object) visit((value as Record<string, unknown>)[k], parent, k, depth + 1);
  };
  visit(root, undefined, undefined, 0);
  return index;
}

/** The nearest ancestor of `ref` with one of the given types. */
export function ancestor(ref: NodeRef, ...types: string[]): NodeRef | undefined {
  for (let p = ref.parent; p; p = p.parent) if (types.includes(p.type)) return p;
  return undefined;
}
