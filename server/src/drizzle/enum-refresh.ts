// The editor's side of pgEnums imported across files (module-exports.ts): imports resolve against
// the open buffers first and the disk otherwise, and when an open file's exported enums change
// (a label, a name, a re-export), the files that imported through it are re-checked, as
// casing-refresh.ts does for the workspace casing.
import type { TsAnalysis } from './analysis';
import type { KnownExports } from './handles';
import type { Imports } from './imports';
import { DiskTexts, exportsSignature, moduleFacts, ModuleExports, type ModuleFacts, type ReadText } from './module-exports';

const disk = new DiskTexts();
let buffers: ReadText = () => undefined;
const editorExports = new ModuleExports((file) => buffers(file) ?? disk.read(file));
/** Open files whose exports changed since importers last read them. */
const changed = new Set<string>();

/** Where the open documents' texts are (project.ts keeps them). */
export function readBuffersWith(read: ReadText): void {
  buffers = read;
}

/** The editor's KnownExports for `importer`: no handle facts (the editor has no index), the imported pgEnums. */
export function editorKnownExports(importer: string): KnownExports {
  return Object.assign(() => undefined, { importedEnums: (imports: Imports) => editorExports.enumsImportedBy(importer, imports) });
}

/** After an open document's check: its exports as importers will now read them. */
export function documentChecked(file: string, analysis: TsAnalysis): void {
  const facts = moduleFacts(analysis.sf, analysis.imports, analysis.scope);
  const before = editorExports.known(file);
  editorExports.remember(file, facts);
  // No earlier facts: no importer resolved through this file yet, so none saw another version.
  if (before && exportsSignature(before) !== exportsSignature(facts)) changed.add(file);
}

/**
 * An open document that is not analysed (no drizzle-orm import) was opened or edited: importers read
 * its buffer, so when the exports they resolved through it change, they are re-checked.
 */
export function documentUnanalysed(file: string): void {
  const before = editorExports.known(file);
  if (!before) return;
  const after = editorExports.current(file);
  if (!after || exportsSignature(before) !== exportsSignature(after)) changed.add(file);
}

/**
 * The files (open or closed) that import pgEnums through the open document `file`, when its exports
 * changed since they were checked: the language server then checks them again. Answers once per change.
 */
export function changedEnumImporters(file: string): string[] {
  if (!changed.delete(file)) return [];
  return editorExports.importersOf(file);
}

/**
 * The files that imported pgEnums through `file`, read from disk again (a closed file changed on disk
 * or closed unsaved), when its exports differ from what they resolved: closed ones are read again.
 * `analysis`: the file's text just analysed, whose syntax tree gives its exports without parsing it again.
 */
export function importersOfChangedFile(file: string, analysis?: TsAnalysis): string[] {
  const before = editorExports.known(file);
  if (!before) return [];
  let after: ModuleFacts | undefined;
  if (analysis) editorExports.remember(file, (after = moduleFacts(analysis.sf, analysis.imports, analysis.scope)));
  else after = editorExports.current(file);
  if (after && exportsSignature(before) === exportsSignature(after)) return [];
  return editorExports.importersOf(file);
}
