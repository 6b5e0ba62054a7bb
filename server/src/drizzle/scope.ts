// File-level declarations that schema code refers to: customTypes, pgEnums, pgSchemas,
// pgTableCreators and local helper functions that return column builders (one level deep).
import ts from 'typescript';
import { importedName, propValue, stringValue, unwrap, type Imports } from './imports';
import { lazyNamedValues, readEnum, type DrizzleEnum } from './enums';
import type { ImportedEnum } from './module-exports';
import type { FileNodes, NodeFilter } from './file-nodes';

export interface CustomType {
  dataType?: string;
  /** `fromDriver` returns a JS number (Number(), parseFloat(), +x), or `data: number`. */
  jsNumber: boolean;
}

export interface Scope {
  imports: Imports;
  customTypes: Map<string, CustomType>;
  /** Local name -> the enum's type name as columns spell it (`payment_status`, `billing.state`). */
  enums: Map<string, string>;
  /** pgEnum declarations whose labels are literals, by local name. */
  enumDecls: Map<string, DrizzleEnum>;
  schemas: Map<string, string>;
  /** Table creator -> how it maps a name (`prefix_${name}`); identity when unknown. */
  creators: Map<string, (name: string) => string>;
  /** Helper function -> the builder expression it returns. */
  helpers: Map<string, ts.Expression>;
  casing?: 'snake_case';
  /** pgEnums imported from the workspace's other files (module-exports.ts), by local name; also in `enums`. */
  importedEnums?: Map<string, ImportedEnum>;
}

/** Adds the enums another file declares, unless a same-file declaration shadows the name. */
export function addImportedEnums(scope: Scope, imported: Map<string, ImportedEnum>): void {
  if (!imported.size) return;
  scope.importedEnums = imported;
  for (const [local, e] of imported) if (!scope.enums.has(local)) scope.enums.set(local, e.type);
}

function returnedExpression(fn: ts.ArrowFunction | ts.FunctionExpression | ts.FunctionDeclaration | ts.MethodDeclaration): ts.Expression | undefined {
  if (!fn.body) return undefined;
  if (!ts.isBlock(fn.body)) return fn.body;
  for (const st of fn.body.statements) if (ts.isReturnStatement(st) && st.expression) return st.expression;
  return undefined;
}

function methodOrFn(node: ts.Node | undefined): ts.ArrowFunction | ts.FunctionExpression | ts.MethodDeclaration | undefined {
  if (!node) return undefined;
  if (ts.isMethodDeclaration(node) || ts.isArrowFunction(node) || ts.isFunctionExpression(node)) return node;
  if (ts.isPropertyAssignment(node)) return methodOrFn(node.initializer);
  return undefined;
}

const NUMBER_CONVERSION = /\b(?:Number|parseFloat|parseInt)\s*\(|(?:^|[^\w+])\+\s*[A-Za-z_(]/;

function customTypeOf(call: ts.CallExpression, sf: ts.SourceFile): CustomType {
  const config = call.arguments[0];
  const obj = config && ts.isObjectLiteralExpression(config) ? config : undefined;
  const member = (k: string) => obj?.properties.find((p) => p.name && ts.isIdentifier(p.name) && p.name.text === k);
  const dataFn = methodOrFn(member('dataType'));
  const ret = dataFn ? returnedExpression(dataFn) : undefined;
  let dataType = stringValue(ret && unwrap(ret));
  if (ret && ts.isTemplateExpression(ret)) dataType = ret.head.text.replace(/\(\s*$/, '');
  const from = methodOrFn(member('fromDriver'));
  const fromText = from ? from.getText(sf) : '';
  const typeArg = call.typeArguments?.[0]?.getText(sf) ?? '';
  const jsNumber = NUMBER_CONVERSION.test(fromText.replace(/^[^=]*=>|^[^{]*\{/, '')) || /\bdata\s*:\s*number\b/.test(typeArg);
  return { dataType, jsNumber };
}

/** `(name) => `prefix_${name}`` -> name => 'prefix_' + name. */
function creatorMapping(arg: ts.Expression | undefined): (name: string) => string {
  const fn = arg && (ts.isArrowFunction(arg) || ts.isFunctionExpression(arg)) ? arg : undefined;
  const body = fn ? returnedExpression(fn) : undefined;
  if (body && ts.isTemplateExpression(body) && body.templateSpans.length === 1) {
    const head = body.head.text;
    const tail = body.templateSpans[0].literal.text;
    return (name) => head + name + tail;
  }
  return (name) => name;
}

/** The declarations `take` in collectScope reads: a named variable with an initializer, a named function. */
const mayDeclare: NodeFilter = (node) => (ts.isVariableDeclaration(node) ? ts.isIdentifier(node.name) && !!node.initializer : ts.isFunctionDeclaration(node) && !!node.name);

/** `nodes`: the file's listed nodes (file-nodes.ts), when the caller has them; otherwise the tree is walked here. */
export function collectScope(sf: ts.SourceFile, imports: Imports, nodes?: FileNodes): Scope {
  const scope: Scope = { imports, customTypes: new Map(), enums: new Map(), enumDecls: new Map(), schemas: new Map(), creators: new Map(), helpers: new Map() };
  const named = lazyNamedValues(sf);
  // `billing.enum(...)` needs the pgSchema variable, which may be declared after it in the file.
  const schemaEnums: Array<{ local: string; owner: string; call: ts.CallExpression }> = [];
  const addEnum = (local: string, call: ts.CallExpression, schema?: string) => {
    const name = stringValue(call.arguments[0]) ?? local;
    scope.enums.set(local, schema && schema !== 'public' ? `${schema}.${name}` : name);
    const decl = readEnum(local, call, schema, sf, named);
    if (decl) scope.enumDecls.set(local, decl);
  };
  const take = (node: ts.Node) => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
      const local = node.name.text;
      const init = unwrap(node.initializer);
      if (ts.isCallExpression(init)) {
        const callee = importedName(init.expression, imports);
        if (callee === 'customType') scope.customTypes.set(local, customTypeOf(init, sf));
        else if (callee === 'pgEnum') addEnum(local, init);
        else if (ts.isPropertyAccessExpression(init.expression) && init.expression.name.text === 'enum' && ts.isIdentifier(init.expression.expression)) {
          schemaEnums.push({ local, owner: init.expression.expression.text, call: init });
        }
        else if (callee === 'pgSchema') scope.schemas.set(local, stringValue(init.arguments[0]) ?? local);
        else if (callee === 'pgTableCreator') scope.creators.set(local, creatorMapping(init.arguments[0]));
        else if (callee === 'drizzle' && stringValue(propValue(init.arguments.at(-1), 'casing')) === 'snake_case') scope.casing = 'snake_case';
      } else if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) {
        const ret = returnedExpression(init);
        if (ret) scope.helpers.set(local, ret);
      }
    } else if (ts.isFunctionDeclaration(node) && node.name) {
      const ret = returnedExpression(node);
      if (ret) scope.helpers.set(node.name.text, ret);
    }
  };
  if (nodes) for (const node of nodes.select(mayDeclare)) take(node);
  else {
    const visit = (node: ts.Node): void => {
      take(node);
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  for (const e of schemaEnums) if (scope.schemas.has(e.owner)) addEnum(e.local, e.call, scope.schemas.get(e.owner));
  return scope;
}

export function snakeCase(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z])([A-Z][a-z])/g, '$1_$2').toLowerCase();
}
