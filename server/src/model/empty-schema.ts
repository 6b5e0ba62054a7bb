import type { SchemaModel } from './schema';
import { MutableSchema } from './schema-builder';

/** A schema with nothing in it, for linting a lone file outside any workspace. */
export function emptySchema(): SchemaModel {
  // A MutableSchema, so lookups fold names exactly like the workspace model (quoted names keep case).
  return new MutableSchema();
}
