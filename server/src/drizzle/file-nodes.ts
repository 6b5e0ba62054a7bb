// The nodes the Drizzle analyses read, gathered in one walk of the syntax tree: the scope, the
// database handles, the tables and the embedded SQL each used to walk the whole tree, which was a
// large part of a keystroke's re-check in a big schema file. After an incremental re-parse, a
// top-level statement the parser reused (same node object, text unchanged, positions moved in
// place) keeps the list made for it, so a keystroke walks only the statements it touched.
import ts from 'typescript';

export type ListedNode = ts.CallExpression | ts.VariableDeclaration | ts.ParameterDeclaration | ts.FunctionDeclaration | ts.TaggedTemplateExpression;

export interface FileNodes {
  /** Every listed node in document order (a parent before its children), as a recursive visit meets them. */
  ordered: ListedNode[];
  calls: ts.CallExpression[];
  variables: ts.VariableDeclaration[];
  functions: ts.FunctionDeclaration[];
  /** The listed nodes `filter` keeps, in document order: filtered once per statement, kept with the statement's list. */
  select(filter: NodeFilter): ListedNode[];
}

/**
 * What one pass over the file may act on, judged from the node alone (its syntax, never the file's
 * imports or scope), so a statement's selection holds while the statement is reused. A pass over
 * the selection does what it did over every node: the nodes left out are those it would skip.
 * Filters are module constants: selections are kept per filter object.
 */
export type NodeFilter = (node: ListedNode) => boolean;

interface StatementNodes {
  /** The statement's full width when listed: a reused node keeps it, a re-parsed one is a new object anyway. */
  width: number;
  ordered: ListedNode[];
  selected?: Map<NodeFilter, ListedNode[]>;
}

const byStatement = new WeakMap<ts.Node, StatementNodes>();

function listStatement(st: ts.Statement): ListedNode[] {
  const ordered: ListedNode[] = [];
  const visit = (node: ts.Node): void => {
    switch (node.kind) {
      case ts.SyntaxKind.CallExpression:
      case ts.SyntaxKind.VariableDeclaration:
      case ts.SyntaxKind.FunctionDeclaration:
      case ts.SyntaxKind.Parameter:
      case ts.SyntaxKind.TaggedTemplateExpression:
        ordered.push(node as ListedNode);
        break;
    }
    ts.forEachChild(node, visit);
  };
  visit(st);
  return ordered;
}

function selectIn(entry: StatementNodes, filter: NodeFilter): ListedNode[] {
  entry.selected ??= new Map();
  let list = entry.selected.get(filter);
  if (!list) entry.selected.set(filter, (list = entry.ordered.filter(filter)));
  return list;
}

export function collectNodes(sf: ts.SourceFile): FileNodes {
  const entries: StatementNodes[] = [];
  const select = (filter: NodeFilter): ListedNode[] => {
    const out: ListedNode[] = [];
    for (const entry of entries) for (const node of selectIn(entry, filter)) out.push(node);
    return out;
  };
  for (const st of sf.statements) {
    const width = st.end - st.pos;
    let entry = byStatement.get(st);
    if (!entry || entry.width !== width) byStatement.set(st, (entry = { width, ordered: listStatement(st) }));
    entries.push(entry);
  }
  // The whole-file lists are made when first read: a schema file's keystroke reads selections only.
  let all: Omit<FileNodes, 'select'> | undefined;
  const lists = (): Omit<FileNodes, 'select'> => {
    if (all) return all;
    all = { ordered: [], calls: [], variables: [], functions: [] };
    for (const entry of entries) {
      for (const node of entry.ordered) {
        all.ordered.push(node);
        if (node.kind === ts.SyntaxKind.CallExpression) all.calls.push(node as ts.CallExpression);
        else if (node.kind === ts.SyntaxKind.VariableDeclaration) all.variables.push(node as ts.VariableDeclaration);
        else if (node.kind === ts.SyntaxKind.FunctionDeclaration) all.functions.push(node as ts.FunctionDeclaration);
      }
    }
    return all;
  };
  return {
    get ordered() {
      return lists().ordered;
    },
    get calls() {
      return lists().calls;
    },
    get variables() {
      return lists().variables;
    },
    get functions() {
      return lists().functions;
    },
    select,
  };
}
