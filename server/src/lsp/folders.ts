// One Project per workspace folder (multi-root: each folder has its own ledgerlint.json and
// settings), plus a default one for files outside every folder.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CONFIG_FILE_NAME, Project } from '../engine/project';
import type { ConfigProblem } from '../engine/config';
import { editorConfig, type ServerSettings } from './settings';

export interface Folder {
  uri: string;
  root?: string;
  project: Project;
  settings?: ServerSettings;
  /** Whether the folder's .sql files have been read into the model. */
  indexed?: boolean;
}

export function uriToPath(uri: string): string | undefined {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
  } catch {
    return undefined;
  }
}

export function pathToUri(p: string): string {
  return pathToFileURL(p).href;
}

export class Folders {
  private folders: Folder[] = [];
  readonly fallback: Folder = { uri: '', project: new Project(undefined) };

  set(uris: readonly string[]): void {
    const old = new Map(this.folders.map((f) => [f.uri, f]));
    this.folders = uris.map((uri) => old.get(uri) ?? { uri, root: uriToPath(uri), project: new Project(uriToPath(uri)) });
    // Longest first, so nested folders win over their parents.
    this.folders.sort((a, b) => b.uri.length - a.uri.length);
  }

  all(): Folder[] {
    return [...this.folders, this.fallback];
  }

  of(uri: string): Folder {
    return this.folders.find((f) => uri === f.uri || uri.startsWith(f.uri.endsWith('/') ? f.uri : f.uri + '/')) ?? this.fallback;
  }

  /** Re-reads the folder's ledgerlint.json (or takes `text` from an open editor buffer). */
  loadConfig(folder: Folder, text?: string): ConfigProblem[] {
    if (text === undefined && folder.root) {
      try {
        text = fs.readFileSync(path.join(folder.root, CONFIG_FILE_NAME), 'utf8');
      } catch {
        text = undefined;
      }
    }
    return folder.project.setConfigText(text);
  }

  applySettings(folder: Folder, settings: ServerSettings): void {
    folder.settings = settings;
    folder.project.setEditorConfig(editorConfig(settings));
  }

  configUri(folder: Folder): string | undefined {
    return folder.root ? pathToUri(path.join(folder.root, CONFIG_FILE_NAME)) : undefined;
  }
}
