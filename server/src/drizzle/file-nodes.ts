// The nodes the Drizzle analyses read, gathered in one walk of the syntax tree: the scope, the
// database handles, the tables and the embedded SQL each used to walk the whole tree, which was a
// large part of a keystroke's re-check in a big schema file.
import ts from 'typescript';

export type ListedNode = ts.CallExpression | ts.VariableDeclaration | ts.ParameterDeclaration | ts.FunctionDeclaration | ts.TaggedTemplateExpression;

export interface FileNodes {
  /** Every listed node in document order (a parent before its children), as a recursive visit meets them. */
  ordered: ListedNode[];
  calls: ts.CallExpression[];
  variables: ts.VariableDeclaration[];
  functions: ts.FunctionDeclaration[];
}

export function collectNodes(sf: ts.SourceFile): FileNodes {
  const out: FileNodes = { ordered: [], calls: [], variables: [], functions: [] };
  const visit = (node: ts.Node): void => {
    switch (node.kind) {
      case ts.SyntaxKind.CallExpression:
        out.ordered.push(node as ts.CallExpression);
        out.calls.push(node as ts.CallExpression);
        break;
      case ts.SyntaxKind.VariableDeclaration:
        out.ordered.push(node as ts.VariableDeclaration);
        out.variables.push(node as ts.VariableDeclaration);
        break;
      case ts.SyntaxKind.FunctionDeclaration:
        out.ordered.push(node as ts.FunctionDeclaration);
        out.functions.push(node as ts.FunctionDeclaration);
        break;
      case ts.SyntaxKind.Parameter:
      case ts.SyntaxKind.TaggedTemplateExpression:
        out.ordered.push(node as ListedNode);
        break;
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}
