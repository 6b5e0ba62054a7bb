// Hovering a Drizzle query chain: the SQL Drizzle will send (derived statically) and its plan, or
// why Ledgerlint cannot tell, instead of a plan for a guessed query.
import * as fs from 'node:fs';
import { drizzleChainInText } from './locate';
import type { ReadFile } from './table-resolver';
import type { Param, Translation } from './types';

export interface DrizzleHoverInput {
  path: string;
  text: string;
  offset: number;
  /**
   * Explains one SQL statement and returns the plan hover's markdown. `chainStart` (UTF-16 offset of
   * the chain) is what the plan-view / EXPLAIN ANALYZE / copy JSON links carry back to the server.
   */
  explain: (sql: string, chainStart: number) => Promise<{ markdown: string }>;
  /** Text of another project file; defaults to the disk (open editors should take precedence). */
  read?: ReadFile;
}

export interface DrizzleHover {
  markdown: string;
  start: number;
  end: number;
  translation: Translation;
}

export const readFromDisk: ReadFile = (p) => {
  try {
    return fs.readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
};

function sqlLiteral(value: Param['literal']): string {
  if (value === null) return 'NULL';
  if (typeof value === 'string') return `'${value.replace(/'/g, "''")}'`;
  return String(value);
}

/**
 * The statement with each `$n` replaced by its literal from the code, when every parameter is a
 * literal: a plan for `status = 'pending'` can use a partial index that a generic plan for
 * `status = $1` cannot. Quoted identifiers are skipped.
 */
export function withLiterals(sql: string, params: Param[]): string | undefined {
  if (!params.length || params.some((p) => p.literal === undefined)) return undefined;
  let out = '';
  for (let i = 0; i < sql.length; i++) {
    const ch = sql[i];
    if (ch === '"') {
      const end = sql.indexOf('"', i + 1);
      const stop = end < 0 ? sql.length : end + 1;
      out += sql.slice(i, stop);
      i = stop - 1;
      continue;
    }
    const m = ch === '$' ? /^\$(\d+)/.exec(sql.slice(i)) : null;
    if (m) {
      out += sqlLiteral(params[Number(m[1]) - 1]?.literal);
      i += m[0].length - 1;
      continue;
    }
    out += ch;
  }
  return out;
}

/** The text to plan: with the code's literals when all are known, else Drizzle's `$n` text. */
export function planText(t: { sql: string; params: Param[] }): string {
  return withLiterals(t.sql, t.params) ?? t.sql;
}

function paramLines(params: Param[]): string {
  if (!params.length) return '';
  const shown = params.map((p, i) => `\`$${i + 1}\` = ${p.literal !== undefined ? `\`${sqlLiteral(p.literal)}\`` : `\`${p.source.replace(/`/g, "'").slice(0, 40)}\` (known at run time)`}`);
  return `\n${shown.join(', ')}\n`;
}

export async function drizzleHover(input: DrizzleHoverInput): Promise<DrizzleHover | undefined> {
  const chain = drizzleChainInText(input.path, input.text, input.offset, input.read ?? readFromDisk);
  if (!chain) return undefined;
  const t = chain.translation;
  if (!t.ok) {
    const markdown = `**Drizzle query**: Ledgerlint cannot derive the SQL of this chain statically: ${t.reason}. No plan is shown rather than a plan for a guessed query.\n`;
    return { markdown, start: chain.start, end: chain.end, translation: t };
  }
  const literal = withLiterals(t.sql, t.params);
  const plan = await input.explain(literal ?? t.sql, chain.start);
  const note = literal ? '_Planned with the literal values from the code._\n\n' : t.params.length ? '_Planned generically: some values are only known at run time._\n\n' : '';
  const markdown = `**Drizzle query**: the SQL Drizzle sends (derived from the code, which is never run):\n\n\`\`\`sql\n${t.sql}\n\`\`\`\n${paramLines(t.params)}\n---\n\n${note}${plan.markdown}`;
  return { markdown, start: chain.start, end: chain.end, translation: t };
}
