// The parses of dormant files (see file-entry.ts) kept between replays, up to a budget of statements.
// A rebuild replays every file from the first changed one to the end of the run order, so the files
// latest in that order are replayed by every rebuild, whichever file was edited: those are kept, and
// the earliest go first. Editing the newest migration of 2,000 then replays its predecessors (and
// answers schemaBefore) from kept parses, as when every file kept its parse, for ~5 KB of heap per
// statement kept; an edit far back in the history parses the files beyond the budget again.
import { parseSqlFile, StatementCache, type SqlFile } from '../sql/document';
import type { FileEntry } from './file-entry';

interface Kept {
  file: SqlFile;
  cache: StatementCache;
  version: number;
}

export class DormantParses {
  private kept = new Map<FileEntry, Kept>();
  private statements = 0;
  /** Parses made here (not served from a kept one). */
  parses = 0;

  constructor(private readonly budget: number) {}

  /** The dormant entry's parse: kept from an earlier use of the same text, or made now (and kept if it fits). */
  parse(e: FileEntry, text: string): SqlFile {
    const hit = this.kept.get(e);
    if (hit && hit.version === e.version) return hit.file;
    if (hit) this.delete(e);
    const cache = new StatementCache();
    this.parses++;
    const file = parseSqlFile(e.path, text, cache);
    this.keep(e, { file, cache, version: e.version });
    return file;
  }

  /** Hands over a kept parse (the file was opened: its parse and cache become the entry's own). */
  take(e: FileEntry): Kept | undefined {
    const hit = this.kept.get(e);
    this.delete(e);
    return hit && hit.version === e.version ? hit : undefined;
  }

  delete(e: FileEntry): void {
    const hit = this.kept.get(e);
    if (!hit) return;
    this.kept.delete(e);
    this.statements -= hit.file.statements.length;
  }

  private keep(e: FileEntry, k: Kept): void {
    const size = k.file.statements.length;
    if (size > this.budget) return;
    const order = e.info.order;
    while (this.statements + size > this.budget) {
      let earliest: FileEntry | undefined;
      for (const other of this.kept.keys()) if (!earliest || other.info.order < earliest.info.order) earliest = other;
      // Nothing kept runs earlier than this file: it is the one not worth keeping.
      if (!earliest || earliest.info.order > order) return;
      this.delete(earliest);
    }
    this.kept.set(e, k);
    this.statements += size;
  }

  /** Statements kept (for stats and tests). */
  get size(): number {
    return this.statements;
  }
}
