// One Project per workspace folder (multi-root: each folder has its own ledgerlint.json and
// settings), plus a default one for files outside every folder.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CONFIG_FILE_NAME, Project } from '../engine/project';
import { readTypeScriptSchemas } from '../drizzle/project';
import { MAX_TYPESCRIPT_CHARS } from './typescript-checks';
import type { ConfigProblem } from '../engine/config';
import { editorConfig, type ServerSettings } from './settings';

export interface Folder {
  uri: string;
  root?: string;
  project: Project;
  settings?: ServerSettings;
  /** Whether the folder's .sql files have been read into the model. */
  indexed?: boolean;
  /** The last ledgerlint.json text that parsed, kept in effect while the file is broken mid-edit. */
  lastValidConfig?: string;
}

const INVALID_JSON = 'ledgerlint.json is not valid JSON';

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

/** The file as `npx ledgerlint check <file>` takes it from the folder's root (for notices). */
export function displayPath(uri: string, folder: Folder): string {
  try {
    const file = fileURLToPath(uri);
    return folder.root ? path.relative(folder.root, file) || path.basename(file) : path.basename(file);
  } catch {
    return path.extname(uri) === '.ts' ? 'file.ts' : 'file.sql';
  }
}

/**
 * A folder's project, which reads closed Drizzle schema files too (a .sql file then sees the tables the
 * CLI sees), except those too long to analyse in the editor, which an open one would not be either.
 */
function editorProject(root: string | undefined): Project {
  const project = new Project(root);
  project.typeScriptSchemas = (files, model) => readTypeScriptSchemas(files.map((f) => (f.text !== undefined && f.text.length > MAX_TYPESCRIPT_CHARS ? { path: f.path, text: undefined } : f)), model);
  return project;
}

export class Folders {
  private folders: Folder[] = [];
  readonly fallback: Folder = { uri: '', project: editorProject(undefined) };

  set(uris: readonly string[]): void {
    const old = new Map(this.folders.map((f) => [f.uri, f]));
    this.folders = uris.map((uri) => old.get(uri) ?? { uri, root: uriToPath(uri), project: editorProject(uriToPath(uri)) });
    // Longest first, so nested folders win over their parents.
    this.folders.sort((a, b) => b.uri.length - a.uri.length);
  }

  all(): Folder[] {
    return [...this.folders, this.fallback];
  }

  of(uri: string): Folder {
    return this.folders.find((f) => uri === f.uri || uri.startsWith(f.uri.endsWith('/') ? f.uri : f.uri + '/')) ?? this.fallback;
  }

  /**
   * Re-reads the folder's ledgerlint.json (or takes `text` from an open editor buffer). While it is
   * not valid JSON (saved half-typed), the last valid settings stay: otherwise every rule the team
   * turned off would flood the open files until the brace is closed.
   */
  loadConfig(folder: Folder, text?: string): ConfigProblem[] {
    if (text === undefined) text = this.configText(folder);
    const problems = folder.project.setConfigText(text);
    const broken = problems.filter((p) => p.message.startsWith(INVALID_JSON));
    if (!broken.length) {
      folder.lastValidConfig = text;
      return problems;
    }
    if (folder.lastValidConfig === undefined) return problems;
    folder.project.setConfigText(folder.lastValidConfig);
    folder.project.configProblems = broken.map((p) => ({ ...p, message: `${p.message}. Ledgerlint keeps the last valid settings until it is fixed.` }));
    return folder.project.configProblems;
  }

  /** The text of the folder's ledgerlint.json on disk, if there is one (positions of its problems need it). */
  configText(folder: Folder): string | undefined {
    if (!folder.root) return undefined;
    try {
      return fs.readFileSync(path.join(folder.root, CONFIG_FILE_NAME), 'utf8');
    } catch {
      return undefined;
    }
  }

  applySettings(folder: Folder, settings: ServerSettings): void {
    folder.settings = settings;
    folder.project.setEditorConfig(editorConfig(settings));
  }

  configUri(folder: Folder): string | undefined {
    return folder.root ? pathToUri(path.join(folder.root, CONFIG_FILE_NAME)) : undefined;
  }
}
