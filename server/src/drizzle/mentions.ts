// The quick test on a TypeScript file's text, kept apart from the TypeScript compiler so that
// finding files (CLI, workspace) does not load the compiler when no file needs it.

/** Does the file import drizzle-orm or pg at all? (Before parsing.) */
export function mentionsDrizzleOrPg(text: string): boolean {
  return /(?:from|require\(|import)\s*\(?\s*['"](?:drizzle-orm(?:\/[^'"]*)?|pg|pg-pool)['"]/.test(text);
}

/**
 * Could the file shape the workspace schema: declare tables or enums (pgTable, pgSchema, pgEnum,
 * also through `import * as p`), or set the casing that names their columns (a drizzle() or
 * defineConfig call; see casing.ts fileCasing)? A superset, tested before a closed file is parsed.
 */
export function mayShapeSchema(text: string): boolean {
  return /\bpg(?:Table|Enum|Schema)|\bdrizzle\s*\(|defineConfig/.test(text);
}
