/**
 * A throw-away folder per run, so nothing lands in the user's home: HOME, XDG_* and TMPDIR all
 * point inside it, for code-server, its extension host, our language server and Chromium.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface Scratch {
  dir: string;
  env: NodeJS.ProcessEnv;
  /** Copies a fixture folder into the scratch folder, so tests may edit it freely. */
  copy(from: string, name: string): string;
  remove(): void;
}

export function makeScratch(prefix: string): Scratch {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `ledgerlint-${prefix}-`)));
  const sub = (name: string) => {
    const p = path.join(dir, name);
    fs.mkdirSync(p, { recursive: true });
    return p;
  };
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: sub('home'),
    XDG_CONFIG_HOME: sub('xdg/config'),
    XDG_DATA_HOME: sub('xdg/data'),
    XDG_CACHE_HOME: sub('xdg/cache'),
    XDG_STATE_HOME: sub('xdg/state'),
    XDG_RUNTIME_DIR: sub('xdg/runtime'),
    TMPDIR: sub('tmp'),
  };
  fs.chmodSync(path.join(dir, 'xdg/runtime'), 0o700);
  return {
    dir,
    env,
    copy(from, name) {
      const target = path.join(dir, name);
      fs.cpSync(from, target, { recursive: true });
      return target;
    },
    remove() {
      fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    },
  };
}
