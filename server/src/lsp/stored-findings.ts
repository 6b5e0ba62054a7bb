// The findings of each document's last check, kept so code actions and fix-all read their fixes
// from them instead of from the diagnostics (which carry only a key when the client resolves code
// actions) and never lint again.
import type { Finding } from '../engine/types';
import type { LineIndex } from '../sql/offsets';
import { fixKeyOf, toWireFix, type WireFix } from './diagnostics';

/** Fixes of the finding a diagnostic's `data.key` names; none when the key is not in the last check. */
export type FixLookup = (key: number) => readonly WireFix[];

interface Check {
  /** The document version the findings' offsets belong to. */
  version: number | undefined;
  lines: LineIndex;
  findingOf: (key: number) => Finding | undefined;
}

export class StoredFindings {
  private readonly checks = new Map<string, Check>();

  set(uri: string, version: number | undefined, lines: LineIndex, findings: readonly Finding[]): void {
    // Built on the first code action: most checks (every keystroke) are never asked.
    let byKey: Map<number, Finding> | undefined;
    const findingOf = (key: number) => (byKey ??= new Map(findings.filter((f) => f.fixes?.length).map((f) => [fixKeyOf(f), f]))).get(key);
    this.checks.set(uri, { version, lines, findingOf });
  }

  /** A check converted statement by statement (lsp/statement-diagnostics.ts), whose findings are made only when a code action asks. */
  setConverted(uri: string, version: number | undefined, lines: LineIndex, findingOf: (key: number) => Finding | undefined): void {
    this.checks.set(uri, { version, lines, findingOf });
  }

  delete(uri: string): void {
    this.checks.delete(uri);
  }

  /**
   * The lookup for a document at `version`. A check of another version answers nothing: its offsets
   * belong to another text, and an edit at a wrong offset would corrupt the file.
   */
  lookup(uri: string, version: number | undefined): FixLookup {
    const check = this.checks.get(uri);
    if (!check || check.version !== version) return () => [];
    return (key) => check.findingOf(key)?.fixes?.map((fix) => toWireFix(check.lines, fix)) ?? [];
  }
}
