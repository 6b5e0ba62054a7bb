// The notification the VS Code client sends with what is on screen, shared by both sides (the
// client imports only this file: it must stay free of server code).
import type { Range } from 'vscode-languageserver-types';

/** The client's visible editors and the lines each shows, all of them every time. */
export interface VisibleRangesParams {
  editors: Array<{ uri: string; ranges: Range[] }>;
}

export const VISIBLE_RANGES_NOTIFICATION = 'ledgerlint/visibleRanges';
