// The PL/pgSQL front-end: bodies of CREATE FUNCTION / PROCEDURE ... LANGUAGE plpgsql and DO
// blocks, as embedded statements for statement rules and as an ordered list of steps for flow rules.
// The analysis is cached on the owner's ParsedEntry (once per distinct statement text); views in
// file offsets are cached per owner statement object.
import type { Span } from '../../engine/types';
import type { ParsedEntry, Statement } from '../document';
import { scanText } from '../parser';
import type { ContainerInfo } from '../statement';
import { convertTokens } from '../tokens';
import { analyzeRoutine, type BodyData, type StepData } from './analyze';
import { bodyOffset } from './body-source';
import { EmbeddedStatement } from './embedded-statement';
import type { Frame, RawStepKind } from './walk';

export type { Frame, FrameKind } from './walk';

export interface BodyStep {
  kind: RawStepKind;
  /** PL/pgSQL node type, e.g. `PLpgSQL_stmt_execsql`, `PLpgSQL_stmt_dynexecute`, `PLpgSQL_stmt_assign`. */
  type: string;
  node: any;
  lineno: number;
  /** Enclosing constructs, outermost first. */
  frames: readonly Frame[];
  /** File span of the PL/pgSQL statement (up to before its `;`), when it could be located. */
  span?: Span;
  /** kind 'sql': the embedded statement. */
  statement?: Statement;
  /** kind 'sql': the SQL text; kind 'execute': the dynamic string expression text. */
  query?: string;
  /** kind 'execute': file span of the string expression. */
  exprSpan?: Span;
  into?: string[];
  strict?: boolean;
  using?: string[];
  assign?: { variable: string; expr: string };
}

export interface PlpgsqlBody {
  kind: ContainerInfo['kind'];
  name: string;
  language: string;
  securityDefiner: boolean;
  setsSearchPath: boolean;
  argTypes: string[];
  owner: Statement;
  /** File span of the body's value (between the delimiters). */
  bodySpan: Span;
  steps: BodyStep[];
  /** Embedded SQL statements in body order (a body that fails to parse gives one error statement). */
  statements: Statement[];
  /** Declared variables and parameters: lower-cased name -> type name (`bigint`, `text`, `numeric(19,4)`). */
  variables: ReadonlyMap<string, string>;
  error?: { message: string; span: Span };
}

interface EntryWithBody extends ParsedEntry {
  plpgsql?: BodyData | null;
}

function routineData(stmt: Statement): BodyData | undefined {
  const entry = stmt.entry as EntryWithBody;
  if (entry.plpgsql === undefined) {
    const ast = entry.parsed.ast as any;
    if (!ast?.CreateFunctionStmt && !ast?.DoStmt) entry.plpgsql = null;
    else {
      if (!entry.tokens) entry.tokens = convertTokens(scanText(entry.text), entry.toUtf16);
      try {
        entry.plpgsql = analyzeRoutine(entry, entry.tokens) ?? null;
      } catch {
        entry.plpgsql = null; // bad input never crashes the linter; the body is just not analysed
      }
    }
  }
  return entry.plpgsql ?? undefined;
}

function forUpdate(ast: any): boolean {
  const clauses: any[] = ast?.SelectStmt?.lockingClause ?? [];
  return clauses.some((c) => ['LCS_FORUPDATE', 'LCS_FORNOKEYUPDATE'].includes(c?.LockingClause?.strength));
}

const views = new WeakMap<Statement, PlpgsqlBody | null>();

export function plpgsqlBody(stmt: Statement): PlpgsqlBody | undefined {
  if (stmt.container) return undefined;
  // Most statements are not routines: answered from their entry without a WeakMap entry per
  // statement object (a big file's statements are new objects after every keystroke).
  if ((stmt.entry as EntryWithBody).plpgsql === null) return undefined;
  const cached = views.get(stmt);
  if (cached !== undefined) return cached ?? undefined;
  const data = routineData(stmt);
  const view = data ? buildView(stmt, data) : null;
  views.set(stmt, view);
  return view ?? undefined;
}

function buildView(owner: Statement, data: BodyData): PlpgsqlBody {
  const base = owner.segment.start;
  const ownerText = owner.segment.text;
  const { header } = data;
  const shift = (s: Span | undefined) => (s ? { start: s.start + base, end: s.end + base } : undefined);
  const containerFor = (step?: StepData): ContainerInfo => ({
    kind: header.kind,
    name: header.name,
    securityDefiner: header.securityDefiner,
    language: header.language,
    ownerStatementIndex: owner.index,
    into: step?.raw.into,
    forUpdate: forUpdate(step?.embedded?.entry.parsed.ast),
    frames: step?.frames ?? [],
    plpgsqlType: step?.raw.type ?? '',
    plpgsqlNode: step?.raw.node,
  });
  const statements: Statement[] = [];
  const steps: BodyStep[] = data.steps.map((s) => {
    let statement: Statement | undefined;
    if (s.embedded) {
      statement = new EmbeddedStatement(owner.index, s.embedded.entry, s.embedded, s.embedded.span, base, ownerText, containerFor(s), s.embedded.error);
      statements.push(statement);
    }
    const { raw } = s;
    return {
      kind: raw.kind, type: raw.type, node: raw.node, lineno: raw.lineno, frames: raw.frames, span: shift(s.span), statement,
      query: raw.query, exprSpan: shift(s.exprSpan), into: raw.into, strict: raw.strict, using: raw.using, assign: raw.assign,
    };
  });
  if (data.error) {
    const bodyEnd = bodyOffset(data.body, data.body.value.length);
    const rel = { start: data.error.span.start, end: Math.max(bodyEnd, data.error.span.end) };
    const entry: ParsedEntry = { text: '', parsed: { error: { message: data.error.message, cursor: 0 } }, toUtf16: () => 0 };
    statements.push(new EmbeddedStatement(owner.index, entry, undefined, rel, base, ownerText, containerFor(), { message: data.error.message, offset: data.error.span.start }));
  }
  return {
    kind: header.kind,
    name: header.name,
    language: header.language,
    securityDefiner: header.securityDefiner,
    setsSearchPath: header.setsSearchPath,
    argTypes: header.argTypes,
    owner,
    bodySpan: { start: base + bodyOffset(data.body, 0), end: base + bodyOffset(data.body, data.body.value.length) },
    steps,
    statements,
    variables: data.variables,
    error: data.error ? { message: data.error.message, span: shift(data.error.span)! } : undefined,
  };
}

/** The SQL statements inside a routine body or DO block (none for other statements). */
export function embeddedStatements(stmt: Statement): readonly Statement[] {
  return plpgsqlBody(stmt)?.statements ?? [];
}
