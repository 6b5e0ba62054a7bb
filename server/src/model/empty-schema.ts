import type { SchemaModel } from './schema';

/** A schema with nothing in it, for linting a lone file outside any workspace. */
export function emptySchema(): SchemaModel {
  const tables = new Map();
  return {
    tables,
    functions: new Map(),
    revokedExecute: new Set(),
    table: (name: string) => tables.get(name.toLowerCase()),
  };
}
