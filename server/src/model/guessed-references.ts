// The tables a `*_id` column may point at by its name alone. id-column-without-fk suggests
// REFERENCES to the first of them the workspace has, so a file declaring such a column depends on
// whether those tables exist: the workspace re-checks it when another file creates or drops one.
import { wordsOf } from '../engine/vocabulary';
import type { SchemaModel } from './schema';

/** `payer_account_id` -> payer_account, payer_accounts, ..., account, accounts, ... (in lookup order). */
export function guessedTargetTables(column: string): string[] {
  const words = wordsOf(column);
  if (words.length < 2 || words[words.length - 1] !== 'id') return [];
  const prefix = words.slice(0, -1);
  const bases = [prefix.join('_'), prefix[prefix.length - 1]];
  return bases.flatMap((b) => [b, `${b}s`, `${b}es`, b.replace(/y$/, 'ies')]);
}

/** Per built schema: guessed table name -> the files declaring a `*_id` column that guesses it. */
const guessersBySchema = new WeakMap<SchemaModel, Map<string, Set<string>>>();

/**
 * The files whose id-column-without-fk findings depend on whether a table named in `touched` exists:
 * those declaring a column of the final schema whose name guesses it (a column dropped later is not
 * judged, so it does not count).
 */
export function filesGuessingTables(schema: SchemaModel, touched: Iterable<string>): Set<string> {
  let guessers = guessersBySchema.get(schema);
  if (!guessers) {
    guessers = new Map();
    for (const table of schema.tables.values()) {
      for (const column of table.columns.values()) {
        const file = column.source?.file;
        if (!file || !ID_SUFFIX.test(column.name)) continue;
        for (const name of guessedTargetTables(column.name)) {
          let files = guessers.get(name);
          if (!files) guessers.set(name, (files = new Set()));
          files.add(file);
        }
      }
    }
    guessersBySchema.set(schema, guessers);
  }
  const out = new Set<string>();
  for (const key of touched) {
    // Keys are schema-qualified outside public; the rule looks tables up by bare name.
    for (const file of guessers.get(key.slice(key.lastIndexOf('.') + 1)) ?? []) out.add(file);
  }
  return out;
}

/** A cheap pre-check before splitting a column name into words. */
const ID_SUFFIX = /id$/i;
