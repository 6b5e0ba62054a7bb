import type { Diagnostic } from 'vscode-languageserver';

/**
 * The column list the implicit-columns fix offers on a query's `SELECT *` (fixes travel inline to a
 * minimal client): which columns the server sees for the table, e.g. under the Drizzle casing.
 */
export function columnListFix(d: Diagnostic[]): string | undefined {
  const found = d.find((x) => x.code === 'implicit-columns');
  return ((found?.data as { fixes?: Array<{ title: string }> } | undefined)?.fixes ?? []).map((f) => f.title).find((t) => t.startsWith('List the columns'));
}
