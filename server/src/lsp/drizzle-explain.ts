// The `ledgerlint/explain` request (plan view, EXPLAIN ANALYZE, copy JSON) on a Drizzle query chain:
// the hover's links carry the chain's start offset, and the request explains the SQL derived from
// the chain there, the same text the hover planned. The plan view's query tab shows Drizzle's SQL.
import { drizzleChainInText } from '../drizzle/to-sql/locate';
import { planText } from '../drizzle/to-sql/hover';
import type { ReadFile } from '../drizzle/to-sql/table-resolver';
import type { ExplainService } from '../explain/explain-service';
import type { ExplainParams, ExplainResult } from '../protocol';
import { toExplainResult } from './explain-wiring';

export interface DrizzleExplainInput {
  params: ExplainParams;
  path: string;
  text: string;
  offset: number;
  read: ReadFile;
  service: ExplainService;
}

const KIND_WORD = { select: 'SELECT', insert: 'INSERT', update: 'UPDATE', delete: 'DELETE' } as const;

/** undefined when there is no Drizzle chain at the offset (the caller answers as for plain SQL). */
export async function drizzleExplain(input: DrizzleExplainInput): Promise<ExplainResult | undefined> {
  const chain = drizzleChainInText(input.path, input.text, input.offset, input.read);
  if (!chain) return undefined;
  const t = chain.translation;
  if (!t.ok) return { markdown: '', error: `Ledgerlint cannot derive the SQL of this Drizzle chain statically: ${t.reason}.` };
  const { analyze } = input.params;
  if (analyze === 'select' && t.kind !== 'select') {
    return {
      markdown: '',
      sql: t.sql,
      requiresConfirmation: {
        statementKind: KIND_WORD[t.kind],
        message: 'EXPLAIN ANALYZE runs the SQL this Drizzle chain sends. Ledgerlint rolls the transaction back, but triggers fire and sequences advance. Run it?',
      },
    };
  }
  const result = await input.service.hover(planText(t), {
    analyze: analyze === 'dml-confirmed' ? 'dml-confirmed' : analyze === 'select' ? 'select' : undefined,
    commandArgs: { uri: input.params.uri, offset: chain.start },
  });
  const params = t.params.length ? `\n-- ${t.params.map((p, i) => `$${i + 1} = ${p.source.replace(/\s+/g, ' ').slice(0, 40)}`).join(', ')}` : '';
  return { ...toExplainResult(result), sql: `${t.sql}${params}` };
}
