// Whether the workspace maps Drizzle property keys to snake_case. `casing: 'snake_case'` is set on
// `drizzle(...)` (queries) and in drizzle.config.ts (drizzle-kit's migrations), usually in files other
// than the schema: each file's fact is recorded here and the workspace's answer is their sum.
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { configFolders, DRIZZLE_CONFIG_FILES } from './config-files';
import { collectImports, importedName, propValue, stringValue, unwrap, type Imports } from './imports';

/** What one file says: a drizzle()/defineConfig call with this casing, or with none ('none'). */
export type CasingFact = 'snake_case' | 'camelCase' | 'none';
/** The workspace: some call sets snake_case; calls were seen and none does; or no call was seen. */
export type WorkspaceCasingState = 'snake_case' | 'unset' | 'unknown';

export { DRIZZLE_CONFIG_FILES };

/** snake_case anywhere wins: the calls that set it decide the names, the others follow or are stale. */
const RANK: Record<CasingFact, number> = { none: 0, camelCase: 1, snake_case: 2 };

function casingOfOptions(options: ts.Expression | undefined): CasingFact {
  const value = stringValue(propValue(options, 'casing'));
  return value === 'snake_case' || value === 'camelCase' ? value : 'none';
}

/** `defineConfig` imported from drizzle-kit (drizzle-kit is not in `imports.named`, which holds drizzle-orm and pg). */
function isDefineConfig(expr: ts.Expression, imports: Imports): boolean {
  return ts.isIdentifier(expr) && imports.local.get(expr.text)?.module === 'drizzle-kit' && imports.local.get(expr.text)?.name === 'defineConfig';
}

/** The strongest casing among the file's drizzle() and defineConfig() calls (and a config file's default export). */
export function fileCasing(sf: ts.SourceFile, imports: Imports = collectImports(sf)): CasingFact | undefined {
  // Most files call neither: a text test spares the walk.
  if (!/\bdrizzle\s*\(|defineConfig|export\s+default/.test(sf.text)) return undefined;
  let fact: CasingFact | undefined;
  const add = (f: CasingFact) => {
    if (!fact || RANK[f] > RANK[fact]) fact = f;
  };
  const isConfigFile = DRIZZLE_CONFIG_FILES.includes(path.basename(sf.fileName));
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      // drizzle(client, { casing }), drizzle({ client, casing }), drizzle(url): options are the last object.
      if (importedName(node.expression, imports) === 'drizzle') {
        const last = node.arguments.length ? unwrap(node.arguments[node.arguments.length - 1]) : undefined;
        add(last && ts.isObjectLiteralExpression(last) ? casingOfOptions(last) : 'none');
      } else if (isDefineConfig(node.expression, imports)) add(casingOfOptions(node.arguments[0] && unwrap(node.arguments[0])));
    } else if (isConfigFile && ts.isExportAssignment(node)) {
      // `export default { dialect, schema } satisfies Config`
      const e = unwrap(node.expression);
      const obj = ts.isSatisfiesExpression(e) ? unwrap(e.expression) : e;
      if (ts.isObjectLiteralExpression(obj) && (propValue(obj, 'dialect') || propValue(obj, 'schema'))) add(casingOfOptions(obj));
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return fact;
}

/**
 * A drizzle.config.* read from disk (it imports drizzle-kit, not drizzle-orm, so it is not among the
 * checked files), or from `text` (the editor's buffer); undefined when it cannot be read.
 */
export function configFileCasing(file: string, text?: string): CasingFact | undefined {
  try {
    const source = text ?? fs.readFileSync(file, 'utf8');
    return fileCasing(ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true)) ?? 'none';
  } catch {
    return undefined;
  }
}

/** The facts of a workspace's files, by path. */
export class WorkspaceCasing {
  private readonly facts = new Map<string, CasingFact>();
  private readonly searched = new Set<string>();

  setFile(file: string, fact: CasingFact | undefined): void {
    if (fact) this.facts.set(file, fact);
    else this.facts.delete(file);
  }

  forget(file: string): void {
    this.facts.delete(file);
  }

  /**
   * Reads the drizzle.config.* files of `dir` and its parents, up to the project's root (the first
   * folder with a package.json or .git), once per folder.
   */
  findConfigs(dir: string): void {
    for (const d of configFolders(dir, this.searched)) {
      for (const name of DRIZZLE_CONFIG_FILES) {
        const file = path.join(d, name);
        if (fs.existsSync(file)) this.setFile(file, configFileCasing(file));
      }
    }
  }

  state(): WorkspaceCasingState {
    if (this.facts.size === 0) return 'unknown';
    for (const f of this.facts.values()) if (f === 'snake_case') return 'snake_case';
    return 'unset';
  }
}

const byOwner = new WeakMap<object, WorkspaceCasing>();

/** One WorkspaceCasing per workspace (the language server keys it by the folder's workspace model). */
export function workspaceCasingOf(owner: object): WorkspaceCasing {
  let c = byOwner.get(owner);
  if (!c) byOwner.set(owner, (c = new WorkspaceCasing()));
  return c;
}
