// A front-end's contribution (a Drizzle schema's pgTable calls) kept through a keystroke: when the
// new contribution declares the same things as the last one replayed (same shape), in the same
// place and with the same file info, the built schema stays (and its identity, which rules' caches
// are keyed by) and only the source refs the last replay handed out are moved to the new spans, as
// a SQL file's query edit moves its refs (WorkspaceModel.keepSchema). The refs are listed in the
// order the contribution asked for them, which `spans()` must follow (test/model/kept-contribution).
import type { Span } from '../engine/types';
import type { FileEntry, FileInfo } from './file-entry';
import { sameInfo } from './file-entry';
import type { SourceRef } from './schema';

/** What a contribution declares, without where: contributions of the same shape replay into equal schemas but for the spans. */
export interface ContributionShape {
  /** Whether `last` (the shape of the contribution replayed last) declares the same things. */
  sameAs(last: ContributionShape): boolean;
  /** The spans the contribution passes to `ref`, in the order it passes them. */
  spans(): Span[];
}

/** What the last replay of a contribution handed out: kept on the file entry. */
export interface ReplayedContribution {
  shape: ContributionShape;
  info: FileInfo;
  refs: SourceRef[];
}

/** The ref maker a replay passes to a contribution, listing what it hands out in `into` when given. */
export function refMaker(file: string, order: number, into?: SourceRef[]): (span: Span) => SourceRef {
  if (!into) return (span) => ({ file, span, order });
  return (span) => {
    const ref = { file, span, order };
    into.push(ref);
    return ref;
  };
}

/**
 * The new spans of the refs the entry's last replay handed out, when its current contribution
 * declares what that one did; undefined when the schema must be replayed.
 */
export function keptContributionSpans(e: FileEntry): Span[] | undefined {
  const last = e.replayedContribution;
  const shape = e.applyShape;
  if (!e.apply || !last || !shape || !sameInfo(last.info, e.info) || !shape.sameAs(last.shape)) return undefined;
  const spans = shape.spans();
  return spans.length === last.refs.length ? spans : undefined;
}

/** Moves the last replay's refs to `spans` (from keptContributionSpans). */
export function moveContributionRefs(e: FileEntry, spans: readonly Span[]): void {
  const refs = e.replayedContribution!.refs;
  for (let i = 0; i < refs.length; i++) refs[i].span = spans[i];
}
