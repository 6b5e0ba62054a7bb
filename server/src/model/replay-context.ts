// What one file's replay carries around: where it is in migration order, the schema it fills,
// and the bookkeeping the workspace needs afterwards (tables it created, tables it touched).
import type { Span } from '../engine/types';
import type { Statement } from '../sql/document';
import type { Token } from '../sql/statement';
import type { SourceRef } from './schema';
import type { MutableSchema } from './schema-builder';

export interface FileContribution {
  /** Tables this file created (or renamed from one it created): key -> index of that statement. */
  newTables: Map<string, number>;
  /** Every table key the file's DDL created, altered, indexed, dropped or referenced. */
  touched: Set<string>;
  /** Statements skipped because replaying them threw (a bug or an AST shape not foreseen). */
  failures: number;
  /** The part of `touched` that came from schema-changing statements (not from queries' references). */
  schemaTouched?: Set<string>;
  /** Every ref handed out, with its statement: a query edit moves them without a replay (see WorkspaceModel). */
  refs?: Array<{ ref: SourceRef; index: number; base: number }>;
}

export class ReplayContext {
  stmt!: Statement;
  private schemaStatement = false;

  constructor(
    readonly schema: MutableSchema,
    readonly file: string,
    readonly order: number,
    readonly text: string,
    readonly out: FileContribution,
  ) {}

  begin(stmt: Statement, changesSchema = false): void {
    this.stmt = stmt;
    this.schemaStatement = changesSchema;
  }

  /** The current statement's tokens, scanned on first use: most statements (queries) need none to replay. */
  get tokens(): readonly Token[] {
    return this.stmt.tokens();
  }

  ref(span: Span): SourceRef {
    const ref = { file: this.file, span, order: this.order };
    if (this.stmt) this.out.refs?.push({ ref, index: this.stmt.index, base: this.stmt.segment.start });
    return ref;
  }

  statementRef(): SourceRef {
    return this.ref(this.stmt.span());
  }

  /** File offset of an AST location of the current statement. */
  at(location: number | undefined): number {
    return this.stmt.at(location ?? 0);
  }

  slice(span: Span): string {
    return this.text.slice(span.start, span.end);
  }

  touch(key: string): void {
    if (!key) return;
    this.out.touched.add(key);
    if (this.schemaStatement) this.out.schemaTouched?.add(key);
  }
}

export function emptyContribution(): FileContribution {
  return { newTables: new Map(), touched: new Set(), failures: 0, schemaTouched: new Set(), refs: [] };
}
