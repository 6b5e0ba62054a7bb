// The editor's side of the workspace casing (casing.ts): open TypeScript files were checked with the
// casing the workspace had then, so when a drizzle.config.* or a drizzle() call changes the
// workspace's answer, the language server re-checks them. These helpers say when it changed.
import * as path from 'node:path';
import { configFileCasing, workspaceCasingOf, type WorkspaceCasingState } from './casing';
import { isDrizzleConfigPath } from './config-files';

/** The casing the editor's TypeScript checks of this workspace (keyed by its model) use now. */
export function casingStateOf(model: object): WorkspaceCasingState {
  return workspaceCasingOf(model).state();
}

/**
 * A drizzle.config.* document was edited (`text`: its buffer, what drizzle-kit reads once saved) or
 * closed (`text` undefined: the file on disk, or nothing if it was deleted). Returns whether the
 * workspace casing changed; false for any other file.
 */
export function configDocumentChanged(model: object, file: string, text: string | undefined): boolean {
  if (!isDrizzleConfigPath(file) || !path.isAbsolute(file)) return false;
  const casing = workspaceCasingOf(model);
  const before = casing.state();
  // Marks the folders as searched, so a later findConfigs does not re-read the disk over the buffer.
  casing.findConfigs(path.dirname(file));
  casing.setFile(file, configFileCasing(file, text));
  return casing.state() !== before;
}
