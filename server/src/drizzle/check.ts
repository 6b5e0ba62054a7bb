// Drizzle-side rules: checks that read the TypeScript itself (query builders, handles, options)
// rather than the front-end-neutral declarations. They share ids with catalogue rules; when a
// SQL rule of the same id exists, its meta is reused with the TypeScript messages added.
import type { SchemaModel } from '../model/schema';
import type { RuleMeta, Report } from '../engine/types';
import type { Vocabulary } from '../engine/vocabulary';
import type { TsAnalysis } from './analysis';

export interface DrizzleCheckContext {
  readonly analysis: TsAnalysis;
  readonly vocabulary: Vocabulary;
  /** The workspace schema (SQL migrations and pgTable calls) when the file is linted in a workspace. */
  readonly schema?: SchemaModel;
  report(report: Report): void;
}

export interface DrizzleCheck {
  meta: RuleMeta;
  check(context: DrizzleCheckContext): void;
}

export function defineDrizzleCheck(check: DrizzleCheck): DrizzleCheck {
  return check;
}
