/**
 * Which language server uses a workspace folder's shadow-database cluster. Two servers on one
 * folder (two editors, or a restart whose old server has not exited yet) must not share one: the
 * second would stop the first one's cluster when it starts ("a server left running: take the folder
 * back"), and the first would stop the second's when it shuts down. The first server claims the
 * folder's cluster with an owner file holding its pid; a server that finds a live owner gets a
 * private, temporary cluster instead. The pg_ctl-started cluster outlives a server that exits
 * without the shutdown request (client died), so on exit the clusters this server holds are told
 * to stop.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface ShadowClaim {
  /** The storage folder to give the shadow database. */
  dir: string;
  /** A temporary cluster of this server only, deleted when it is released. */
  private: boolean;
}

export class ShadowOwnership {
  private readonly held = new Set<string>();

  constructor(private readonly pid = process.pid) {}

  /** The cluster folder this server may use for the folder whose shared cluster lives in `shared`. */
  claim(shared: string): ShadowClaim {
    const owner = ownerFileOf(shared);
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        if (!fs.existsSync(path.dirname(owner))) {
          fs.mkdirSync(path.dirname(owner), { recursive: true });
          // As ShadowServer would have made it: the `postgres` user (root runs) must pass through, only pass.
          fs.chmodSync(path.dirname(owner), 0o711);
        }
        fs.writeFileSync(owner, String(this.pid), { flag: 'wx' });
        this.held.add(shared);
        return { dir: shared, private: false };
      } catch (error) {
        // An unwritable storage folder: a temporary cluster still works.
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') break;
        const holder = readPid(owner);
        if (holder === this.pid) {
          this.held.add(shared);
          return { dir: shared, private: false };
        }
        if (holder !== undefined && isAlive(holder)) break;
        // The owner died without releasing it: its cluster is taken over (ShadowServer stops a stale one).
        fs.rmSync(owner, { force: true });
      }
    }
    const dir = path.join(os.tmpdir(), 'ledgerlint-shadow-private', `${path.basename(shared)}-${this.pid}`);
    this.held.add(dir);
    return { dir, private: true };
  }

  /** After the shadow database stopped: the shared cluster is free again, a private one is deleted. */
  release(claim: ShadowClaim): void {
    this.held.delete(claim.dir);
    if (claim.private) fs.rmSync(claim.dir, { recursive: true, force: true });
    else if (readPid(ownerFileOf(claim.dir)) === this.pid) fs.rmSync(ownerFileOf(claim.dir), { force: true });
  }

  /**
   * Synchronous, for process exit without shutdown: asks each held cluster's postmaster to stop
   * (SIGINT, PostgreSQL's fast shutdown) and frees the shared claims. Nothing here may throw.
   */
  stopAllNow(): void {
    for (const dir of this.held) {
      try {
        const postmaster = readPid(path.join(dir, 'pgdata', 'postmaster.pid'));
        if (postmaster !== undefined) process.kill(postmaster, 'SIGINT');
      } catch {
        // already gone
      }
      try {
        if (readPid(ownerFileOf(dir)) === this.pid) fs.rmSync(ownerFileOf(dir), { force: true });
      } catch {
        // nothing to free
      }
    }
    this.held.clear();
  }
}

/** Beside the storage folder, not in it: the cluster's folder belongs to the `postgres` user when run as root. */
function ownerFileOf(storageDir: string): string {
  return `${storageDir}.owner`;
}

function readPid(file: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(file, 'utf8').split('\n')[0].trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
