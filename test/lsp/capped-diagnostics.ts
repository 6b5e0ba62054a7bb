// What the publish-cap tests read from a capped publish (SQL and TypeScript alike).
import type { Diagnostic } from 'vscode-languageserver';

/** The note on line 1 of a capped file. */
export const isNotice = (d: Diagnostic) => d.code === undefined && /not shown/.test(String(d.message));

/** Lines of the published money-float-type diagnostics. */
export const moneyLines = (ds: Diagnostic[]) => ds.filter((d) => d.code === 'money-float-type').map((d) => d.range.start.line);

/** A ledgerlint/visibleRanges notification: one editor showing lines `from` to `to`. */
export const view = (uri: string, from: number, to: number) => ({ editors: [{ uri, ranges: [{ start: { line: from, character: 0 }, end: { line: to, character: 0 } }] }] });
