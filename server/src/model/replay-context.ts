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
}

export class ReplayContext {
  stmt!: Statement;

  constructor(
    readonly schema: MutableSchema,
    readonly file: string,
    readonly order: number,
    readonly text: string,
    readonly out: FileContribution,
  ) {}

  begin(stmt: Statement): void {
    this.stmt = stmt;
  }

  /** The current statement's tokens, scanned on first use: most statements (queries) need none to replay. */
  get tokens(): readonly Token[] {
    return this.stmt.tokens();
  }

  ref(span: Span): SourceRef {
    return { file: this.file, span, order: this.order };
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
    if (key) this.out.touched.add(key);
  }
}

export function emptyContribution(): FileContribution {
  return { newTables: new Map(), touched: new Set(), failures: 0 };
}
