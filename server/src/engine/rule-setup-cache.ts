// What the engine asks of a rule's visitors before dispatching statements to them (the node types
// it visits, whether it wants declarations or every statement), worked out once per rule and run
// instead of once per linted file. The CLI lints each file once, with ~70 rules: asking every
// fresh visitors object (Object.entries, a filter, megamorphic property reads under the CLI's
// baseline tiers) was a per-file cost paid ~70,000 times at 1,000 files.
//
// A rule's create() may return visitors of another shape from one file to the next (a hook only for
// migrations, say): the kept answer is used only while the new object has the same keys, in the
// same order, with values of the same kind; otherwise it is worked out again and kept instead.
import { nodeVisitorEntries, type RuleDefinition, type Visitors } from './rule';

type NodeVisitor = ReturnType<typeof nodeVisitorEntries>[number][1];

export interface VisitorSetup {
  /**
   * The node types visited, in the order of the visitors object's keys: the same array for every
   * visitors object of the rule's kept shape (rule-plan.ts keys its statement lists by it). Never changed.
   */
  types: readonly string[];
  /** The visitor of each of `types`, this object's own. */
  handlers: NodeVisitor[];
  /** The rule has declaration hooks (table, column, foreignKey). */
  decls: boolean;
  /** The rule visits every statement (declaration or statement hooks). */
  every: boolean;
}

/** A value's kind, as far as the setup depends on it: absent or falsy, a function, anything else. */
const FALSY = 0;
const FUNCTION = 1;
const OTHER = 2;

function kindOf(v: unknown): number {
  return typeof v === 'function' ? FUNCTION : v ? OTHER : FALSY;
}

interface Shape {
  keys: readonly string[];
  kinds: readonly number[];
  nodeTypes: readonly string[];
  decls: boolean;
  every: boolean;
}

const shapes = new WeakMap<RuleDefinition, Shape>();

function shapeOf(visitors: Visitors): Shape | undefined {
  // for-in (which the check below uses, for its enumeration cache) also lists inherited keys:
  // only plain objects, whose own keys are all it lists, are kept.
  if (Object.getPrototypeOf(visitors) !== Object.prototype) return undefined;
  const record = visitors as Record<string, unknown>;
  const keys = Object.keys(record);
  const decls = !!(visitors.column || visitors.foreignKey || visitors.table);
  return {
    keys,
    kinds: keys.map((k) => kindOf(record[k])),
    nodeTypes: nodeVisitorEntries(visitors).map((e) => e[0]),
    decls,
    every: decls || !!visitors.statement,
  };
}

function fits(shape: Shape, visitors: Visitors): boolean {
  if (Object.getPrototypeOf(visitors) !== Object.prototype) return false;
  const record = visitors as Record<string, unknown>;
  const { keys, kinds } = shape;
  let i = 0;
  // kindOf by hand: no call per key (the CLI runs on V8's baseline tiers, which do not inline).
  for (const k in record) {
    if (i >= keys.length || keys[i] !== k) return false;
    const v = record[k];
    if ((typeof v === 'function' ? FUNCTION : v ? OTHER : FALSY) !== kinds[i]) return false;
    i++;
  }
  return i === keys.length;
}

/** The setup of `visitors`, made by `rule`'s create(): the same answer nodeVisitorEntries and the hooks give. */
export function visitorSetup(rule: RuleDefinition, visitors: Visitors): VisitorSetup {
  let shape = shapes.get(rule);
  if (!shape || !fits(shape, visitors)) {
    shape = shapeOf(visitors);
    if (!shape) {
      const decls = !!(visitors.column || visitors.foreignKey || visitors.table);
      const entries = nodeVisitorEntries(visitors);
      return { types: entries.map((e) => e[0]), handlers: entries.map((e) => e[1]), decls, every: decls || !!visitors.statement };
    }
    shapes.set(rule, shape);
  }
  const types = shape.nodeTypes;
  const record = visitors as Record<string, NodeVisitor>;
  const handlers: NodeVisitor[] = new Array(types.length);
  for (let i = 0; i < types.length; i++) handlers[i] = record[types[i]];
  return { types, handlers, decls: shape.decls, every: shape.every };
}
