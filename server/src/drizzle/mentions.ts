// The quick test on a TypeScript file's text, kept apart from the TypeScript compiler so that
// finding files (CLI, workspace) does not load the compiler when no file needs it.

/** Does the file import drizzle-orm or pg at all? (Before parsing.) */
export function mentionsDrizzleOrPg(text: string): boolean {
  return /(?:from|require\(|import)\s*\(?\s*['"](?:drizzle-orm(?:\/[^'"]*)?|pg|pg-pool)['"]/.test(text);
}
