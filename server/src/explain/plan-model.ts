/**
 * EXPLAIN (FORMAT JSON) -> a tree with totals that can be compared across nodes.
 *
 * PostgreSQL reports `Actual Rows`, `Actual Total Time` and `Rows Removed by ...` per loop, but buffers,
 * `Heap Fetches` and heap block counts as totals. Parallel workers run at the same time, so under a
 * Gather the summed per-loop time is divided by workers launched + 1 to get elapsed time.
 */

type Raw = Record<string, unknown>;

export interface Buffers {
  sharedHit: number;
  sharedRead: number;
  sharedDirtied: number;
  sharedWritten: number;
  tempRead: number;
  tempWritten: number;
}

export interface PlanNode {
  /** Pre-order index, 0 for the root. */
  id: number;
  nodeType: string;
  parentRelationship?: string;
  subplanName?: string;
  relationName?: string;
  schema?: string;
  alias?: string;
  indexName?: string;
  cteName?: string;
  children: PlanNode[];
  parentId?: number;
  depth: number;
  startupCost: number;
  totalCost: number;
  planRows: number;
  /** Cost without the children's cost (never negative). */
  exclusiveCost: number;
  /** ANALYZE only: */
  loops?: number;
  actualRows?: number;
  /** Elapsed ms over all loops, parallel-adjusted, including children. */
  totalTime?: number;
  /** Elapsed ms spent in this node alone. */
  exclusiveTime?: number;
  rowsRemovedByFilter?: number;
  rowsRemovedByJoinFilter?: number;
  rowsRemovedByIndexRecheck?: number;
  heapFetches?: number;
  exactHeapBlocks?: number;
  lossyHeapBlocks?: number;
  buffers: Buffers;
  /** Workers launched + 1 of the enclosing Gather (1 outside parallel plans). */
  workerDivisor: number;
  disabled: boolean;
  raw: Raw;
}

export interface Trigger {
  name: string;
  relation?: string;
  time: number;
  calls: number;
}

/** An index the fix must not suggest again: from pg_index, or created by a migration in the workspace. */
export interface ExistingIndex {
  table: string;
  name: string;
  /** Key columns in order, `created_at DESC` for descending ones; expressions as PostgreSQL prints them. */
  columns: string[];
  /** The WHERE of a partial index. */
  predicate?: string;
  method: string;
  unique: boolean;
  /** false for an index a failed CREATE INDEX CONCURRENTLY left behind: the planner ignores it. */
  valid: boolean;
  source: 'database' | 'workspace';
  /** The file that creates a workspace index. */
  file?: string;
}

export interface Plan {
  root: PlanNode;
  nodes: PlanNode[];
  analyzed: boolean;
  planningTime?: number;
  executionTime?: number;
  triggers: Trigger[];
  jit?: { functions: number; totalTime: number };
  /** Non-default settings that influenced planning (from `SETTINGS`). */
  settings: Record<string, string>;
  /** Table sizes (pg_class.reltuples) the runner looked up, for judging estimated plans. */
  tableRows?: Record<string, number>;
  /** Indexes of the tables in the plan (the runner's pg_index lookup, plus the workspace model's). */
  existingIndexes?: ExistingIndex[];
  /** The denominator for shares: execution time when analyzed, else the root's total cost. */
  total: number;
  raw: Raw;
}

const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** Accepts the array EXPLAIN returns, its first element, or a JSON string of either. */
export function parsePlan(input: unknown): Plan {
  let doc: unknown = typeof input === 'string' ? JSON.parse(input) : input;
  if (Array.isArray(doc)) doc = doc[0];
  if (!doc || typeof doc !== 'object' || !(doc as Raw).Plan) {
    throw new Error('This is not EXPLAIN (FORMAT JSON) output: there is no "Plan" object.');
  }
  const top = doc as Raw;
  const nodes: PlanNode[] = [];
  const root = buildNode(top.Plan as Raw, undefined, 0, 1, nodes);
  const analyzed = root.totalTime !== undefined;
  for (const node of nodes) computeExclusive(node, nodes);
  const triggers = ((top.Triggers as Raw[] | undefined) ?? []).map((t) => ({
    name: str(t['Trigger Name']) ?? str(t['Constraint Name']) ?? 'trigger',
    relation: str(t.Relation),
    time: num(t.Time) ?? 0,
    calls: num(t.Calls) ?? 0,
  }));
  const jitRaw = top.JIT as Raw | undefined;
  const jitTiming = jitRaw?.Timing as Raw | undefined;
  const jitTotal = num(jitTiming?.Total);
  const executionTime = num(top['Execution Time']);
  return {
    root,
    nodes,
    analyzed,
    planningTime: num(top['Planning Time']),
    executionTime,
    triggers,
    jit: jitRaw ? { functions: num(jitRaw.Functions) ?? 0, totalTime: jitTotal ?? 0 } : undefined,
    settings: Object.fromEntries(Object.entries((top.Settings as Raw | undefined) ?? {}).map(([k, v]) => [k, String(v)])),
    total: analyzed ? Math.max(executionTime ?? root.totalTime ?? 0, root.totalTime ?? 0) : root.totalCost,
    raw: top,
  };
}

function buildNode(raw: Raw, parent: PlanNode | undefined, depth: number, workerDivisor: number, nodes: PlanNode[]): PlanNode {
  const loops = num(raw['Actual Loops']);
  const perLoopRows = num(raw['Actual Rows']);
  const perLoopTime = num(raw['Actual Total Time']);
  const times = (perLoop: number | undefined) => (perLoop !== undefined && loops !== undefined ? perLoop * loops : undefined);
  const node: PlanNode = {
    id: nodes.length,
    nodeType: str(raw['Node Type']) ?? 'Unknown',
    parentRelationship: str(raw['Parent Relationship']),
    subplanName: str(raw['Subplan Name']),
    relationName: str(raw['Relation Name']),
    schema: str(raw.Schema),
    alias: str(raw.Alias),
    indexName: str(raw['Index Name']),
    cteName: str(raw['CTE Name']),
    children: [],
    parentId: parent?.id,
    depth,
    startupCost: num(raw['Startup Cost']) ?? 0,
    totalCost: num(raw['Total Cost']) ?? 0,
    planRows: num(raw['Plan Rows']) ?? 0,
    exclusiveCost: 0,
    loops,
    actualRows: times(perLoopRows),
    // A node that never ran reports loops = 0 and no meaningful time.
    totalTime: perLoopTime !== undefined && loops !== undefined ? (perLoopTime * loops) / workerDivisor : undefined,
    rowsRemovedByFilter: times(num(raw['Rows Removed by Filter'])),
    rowsRemovedByJoinFilter: times(num(raw['Rows Removed by Join Filter'])),
    rowsRemovedByIndexRecheck: times(num(raw['Rows Removed by Index Recheck'])),
    heapFetches: num(raw['Heap Fetches']),
    exactHeapBlocks: num(raw['Exact Heap Blocks']),
    lossyHeapBlocks: num(raw['Lossy Heap Blocks']),
    buffers: {
      sharedHit: num(raw['Shared Hit Blocks']) ?? 0,
      sharedRead: num(raw['Shared Read Blocks']) ?? 0,
      sharedDirtied: num(raw['Shared Dirtied Blocks']) ?? 0,
      sharedWritten: num(raw['Shared Written Blocks']) ?? 0,
      tempRead: num(raw['Temp Read Blocks']) ?? 0,
      tempWritten: num(raw['Temp Written Blocks']) ?? 0,
    },
    workerDivisor,
    disabled: raw.Disabled === true,
    raw,
  };
  nodes.push(node);
  const isGather = node.nodeType === 'Gather' || node.nodeType === 'Gather Merge';
  const launched = num(raw['Workers Launched']) ?? num(raw['Workers Planned']) ?? 0;
  const childDivisor = isGather ? launched + 1 : workerDivisor;
  for (const child of (raw.Plans as Raw[] | undefined) ?? []) {
    node.children.push(buildNode(child, node, depth + 1, childDivisor, nodes));
  }
  return node;
}

const isInitPlan = (node: PlanNode) => node.parentRelationship === 'InitPlan';

function computeExclusive(node: PlanNode, all: PlanNode[]): void {
  // Init plan costs are charged to the parent's cost, so all children come off the cost.
  const childCost = node.children.reduce((sum, c) => sum + c.totalCost, 0);
  node.exclusiveCost = Math.max(0, node.totalCost - childCost);
  if (node.totalTime === undefined) return;
  // Init plans run once, outside the parent's per-row work; CTE bodies are charged to the CTE Scans.
  let childTime = node.children.filter((c) => !isInitPlan(c)).reduce((sum, c) => sum + (c.totalTime ?? 0), 0);
  if (node.nodeType === 'CTE Scan' && node.cteName) childTime += cteShare(node, all);
  node.exclusiveTime = Math.max(0, node.totalTime - childTime);
}

/** The part of a CTE's own time that this CTE Scan caused, in proportion to the rows it read. */
function cteShare(scan: PlanNode, all: PlanNode[]): number {
  const body = all.find((n) => n.subplanName === `CTE ${scan.cteName}`);
  if (!body || body.totalTime === undefined) return 0;
  const scans = all.filter((n) => n.nodeType === 'CTE Scan' && n.cteName === scan.cteName);
  const rows = scans.reduce((sum, s) => sum + (s.actualRows ?? 0), 0);
  const fraction = rows > 0 ? (scan.actualRows ?? 0) / rows : 1 / scans.length;
  return body.totalTime * fraction;
}

const AGGREGATE_NAMES: Record<string, string> = { Sorted: 'GroupAggregate', Hashed: 'HashAggregate', Mixed: 'MixedAggregate' };

/** `payments` or `public.payments AS p` for messages. */
export function nodeLabel(node: PlanNode): string {
  // ModifyTable prints as `Delete on payments` in text EXPLAIN; users know that form.
  const operation = node.nodeType === 'ModifyTable' ? str(node.raw.Operation) : undefined;
  const strategy = node.nodeType === 'Aggregate' ? AGGREGATE_NAMES[str(node.raw.Strategy) ?? ''] : undefined;
  const parts = [operation ?? strategy ?? node.nodeType];
  if (node.relationName) parts.push(`on ${node.relationName}${node.alias && node.alias !== node.relationName ? ` ${node.alias}` : ''}`);
  else if (node.cteName) parts.push(`on ${node.cteName}`);
  if (node.indexName) parts.push(`using ${node.indexName}`);
  return parts.join(' ');
}

/** The share of the whole statement this node alone accounts for (time when analyzed, else cost). */
export function exclusiveShare(plan: Plan, node: PlanNode): number {
  if (plan.total <= 0) return 0;
  const part = plan.analyzed ? node.exclusiveTime ?? 0 : node.exclusiveCost;
  return Math.min(1, part / plan.total);
}
