/**
 * What one evaluation carries beside the data: its random source, its clock reading, and the
 * budgets that stop a runaway expression. JSONata can loop forever (`function($f){$f($f)}`), so
 * every evaluation is bounded by counts, never by wall-clock time, to stay deterministic:
 * - steps: AST nodes jsonata evaluates, lambda calls weighing more, and the work jsonata does on
 *   whole values (building, searching, comparing, flattening, grouping), charged by their size
 *   (AWS stops at 1 s: "Expression evaluation timeout");
 * - call depth: lambda bodies entered and not yet left ("Stack overflow error");
 * - size: any intermediate string, array or value past a bound ("Expression evaluation memory limit exceeded").
 *
 * jsonata calls {@link enterNode} before and {@link exitNode} after every node it evaluates; both
 * also make each value safe for the next step (see sandbox.ts).
 */
import { JSONATA_LIMITS, LimitExceeded } from "./limits.js";
import { admit, allowFunctionValue, checkTransformTarget, looksLikeFunctionValue, NotData, settleTransformCopy } from "./sandbox.js";

export { JSONATA_LIMITS, LIMIT_MESSAGES, LimitExceeded, type LimitKind } from "./limits.js";

/** Nodes of a compiled expression whose evaluation costs more than a step (found when it is compiled). */
export interface CostMarks {
  /** Lambda bodies: entering one is a call. */
  readonly lambdaBodies: ReadonlySet<object>;
  /** Nodes whose whole value their parent reads (operands of `&`, `and`, `or`, `in`, conditions, predicates). */
  readonly wholeValues: ReadonlySet<object>;
  /** Operands of `=` and `!=`, which jsonata compares deeply. */
  readonly comparedValues: ReadonlySet<object>;
  /** Nodes that carry a grouping (`{key: value}` after a path). */
  readonly groupOwners: ReadonlySet<object>;
  /** Key expressions of groupings, with the node carrying the grouping. */
  readonly groupKeys: ReadonlyMap<object, object>;
  /** Items of array constructors (`[a, b, ...]`), with the constructor's item count. */
  readonly constructorItems: ReadonlyMap<object, number>;
  /** String concatenations (`&`), whose result is a new string. */
  readonly concatenations: ReadonlySet<object>;
  /** Value expressions of object constructors and groupings. */
  readonly objectValues: ReadonlySet<object>;
  /** The update clauses of transforms (`|pattern|update|`), evaluated on each match before it is changed. */
  readonly transformUpdates: ReadonlySet<object>;
  /** The first term of each order-by (`^(...)`), with the order-by: it is evaluated twice per comparison. */
  readonly sortTerms: ReadonlyMap<object, object>;
}

/** Values a condition or `in` reads (deep for nested arrays) that count as a step (measured ~150 ns each). */
const WHOLE_VALUES_PER_STEP = 8;

/** Values deep equality compares that count as a step (it sorts every object's keys: ~1 µs a member). */
const COMPARED_VALUES_PER_STEP = 1;

/** How many items each key of one grouping has gathered, while the grouping is being evaluated. */
interface GroupCounts {
  active: number;
  readonly counts: Map<string, number>;
}

/** Per-evaluation state, reachable from jsonata's environment under {@link RUN_BINDING}. */
export interface Run {
  /** Returns 0 ≤ n < 1; the evaluation's only source of randomness. */
  readonly random: () => number;
  /** Milliseconds since the epoch that `$now()`/`$millis()` report. */
  readonly nowMillis: number;
  readonly marks: CostMarks;
  readonly groups: Map<object, GroupCounts>;
  /** Comparisons made by each order-by, per environment it runs in (one sort each). */
  readonly sorts: WeakMap<object, Map<object, number>>;
  steps: number;
  depth: number;
  started: boolean;
  /** Set when the evaluation has returned: stray concurrent branches stop at their next step. */
  finished: boolean;
}

/**
 * The binding name under which the {@link Run} travels. JSONata variable names cannot contain a
 * space, so no expression can read or rebind it.
 */
export const RUN_BINDING = "stepfold run";

/** jsonata's environment (frame) as the hooks and registered functions see it. */
export interface Frame {
  lookup(name: string | symbol): unknown;
  timestamp?: unknown;
}

/** The Run of the evaluation `frame` belongs to. */
export const runOf = (frame: Frame | undefined): Run | undefined => {
  const run = frame?.lookup(RUN_BINDING);
  return typeof run === "object" && run !== null ? (run as Run) : undefined;
};

/** Counts `steps` of work against the evaluation's budget. */
export function charge(run: Run, steps: number): void {
  run.steps += steps;
  if (run.steps > JSONATA_LIMITS.maxSteps) throw new LimitExceeded("timeout");
}

/** Counts work on `values` values (array items, members). */
export const chargeValues = (run: Run, values: number): void => charge(run, values / JSONATA_LIMITS.valuesPerStep);

/** Counts `values` values made (new arrays and objects, their members). */
export const chargeMade = (run: Run, values: number): void => charge(run, values / JSONATA_LIMITS.madePerStep);

/** Counts work on `characters` characters. */
export const chargeCharacters = (run: Run, characters: number): void => charge(run, characters / JSONATA_LIMITS.charactersPerStep);

/** Counts `characters` characters of new strings. */
export const chargeCharactersMade = (run: Run, characters: number): void => charge(run, characters / JSONATA_LIMITS.charactersMadePerStep);

/** Refuses a string or array past the size bounds. */
export function checkSize(value: unknown): void {
  if (typeof value === "string" && value.length > JSONATA_LIMITS.maxStringLength) throw new LimitExceeded("memory");
  if (Array.isArray(value) && value.length > JSONATA_LIMITS.maxArrayLength) throw new LimitExceeded("memory");
}

/** jsonata's `__evaluate_entry` hook: counts a step, enters a lambda body, fixes the clock once. */
export function enterNode(node: unknown, input: unknown, frame: Frame): void {
  const run = runOf(frame);
  if (run === undefined) return;
  if (run.finished) throw new LimitExceeded("timeout");
  if (!run.started) {
    run.started = true;
    // jsonata read the wall clock for this evaluation; replace it before any frame copies it.
    frame.timestamp = new Date(run.nowMillis);
  }
  const key = node as object;
  const call = run.marks.lambdaBodies.has(key);
  charge(run, call ? 1 + JSONATA_LIMITS.callCost : 1);
  if (call && ++run.depth > JSONATA_LIMITS.maxCallDepth) throw new LimitExceeded("depth");
  if (run.marks.transformUpdates.has(key)) checkTransformTarget(input);
  // A transform hands its pattern a fresh copy that no step has seen yet.
  const size = admit(input);
  // A field of an array is read from every item, nested arrays included; a wildcard or descendant
  // step reads all that is below it.
  const type = (node as { type?: unknown }).type;
  if ((Array.isArray(input) && type === "name") || (typeof input === "object" && input !== null && (type === "wildcard" || type === "descendant"))) {
    chargeValues(run, size);
  }
  const sort = run.marks.sortTerms.get(key);
  if (sort !== undefined) chargeSortStep(run, sort, frame);
  if (run.marks.groupOwners.has(key)) {
    const group = run.groups.get(key);
    if (group === undefined) run.groups.set(key, { active: 1, counts: new Map() });
    else group.active++;
  }
}

/** jsonata's `__evaluate_exit` hook: leaves a lambda body, admits and bounds what was computed. */
export function exitNode(node: unknown, _input: unknown, frame: Frame, result: unknown): void {
  const run = runOf(frame);
  if (run === undefined) return;
  const key = node as object;
  const { marks } = run;
  if (marks.lambdaBodies.has(key)) run.depth--;
  checkSize(result);
  // An object holding a JavaScript function under `then` is a thenable: jsonata would await it
  // forever. Only lambdas (which are not JavaScript functions) may be stored in objects.
  if (marks.objectValues.has(key) && holdsFunction(result)) throw new NotData("A function given as an argument or a regular expression cannot be stored in an object.");
  const type = (node as { type?: unknown }).type;
  if (makesFunctionValue(node as Record<string, unknown>) && typeof result === "object" && result !== null && looksLikeFunctionValue(result)) {
    allowFunctionValue(result);
    if (type === "transform") settleWhenReturned(result);
  }
  const size = admit(result, (made) => chargeMade(run, made));
  if (marks.wholeValues.has(key) && typeof result === "object" && result !== null) charge(run, size / WHOLE_VALUES_PER_STEP);
  if (marks.comparedValues.has(key) && typeof result === "object" && result !== null) charge(run, size / COMPARED_VALUES_PER_STEP);
  if (marks.concatenations.has(key) && typeof result === "string") chargeCharactersMade(run, result.length);
  const items = marks.constructorItems.get(key);
  // Each item is appended to a copy of all items before it.
  if (items !== undefined) chargeValues(run, items * (Array.isArray(result) ? result.length : 1));
  const owner = marks.groupKeys.get(key);
  if (owner !== undefined && typeof result === "string") countGroupKey(run, owner, result);
  if (marks.groupOwners.has(key)) leaveGroup(run, key);
}

/** A JavaScript function, or a one-item sequence of one (jsonata unwraps it after this hook). */
const holdsFunction = (value: unknown): boolean => typeof value === "function" || (Array.isArray(value) && value.length === 1 && typeof value[0] === "function");

/**
 * True for a node whose value, when it looks like a function value, is one jsonata made: a lambda,
 * a partial application or a transform, with nothing (a predicate, a grouping) applied to it.
 */
const makesFunctionValue = (node: Record<string, unknown>): boolean =>
  (node["type"] === "lambda" || node["type"] === "partial" || node["type"] === "transform") && node["predicate"] === undefined && node["group"] === undefined && node["stages"] === undefined;

/**
 * One evaluation of an order-by's first term. jsonata's merge copies the rest of a list for each
 * item it takes: sorting n items copies about n²/2, over about n·log2(n) comparisons. Charging
 * c / (2·log2(c)²) values at the c-th evaluation adds up to that.
 */
function chargeSortStep(run: Run, sort: object, frame: Frame): void {
  let counts = run.sorts.get(frame);
  if (counts === undefined) run.sorts.set(frame, (counts = new Map()));
  const count = (counts.get(sort) ?? 0) + 1;
  counts.set(sort, count);
  const log = Math.log2(count + 2);
  chargeValues(run, count / (2 * log * log));
}

/** A key of a grouping: the item joins that key's items, which jsonata copies to add it. */
function countGroupKey(run: Run, owner: object, key: string): void {
  const group = run.groups.get(owner);
  if (group === undefined) return;
  const count = group.counts.get(key) ?? 0;
  chargeValues(run, count);
  group.counts.set(key, count + 1);
}

function leaveGroup(run: Run, owner: object): void {
  const group = run.groups.get(owner);
  if (group !== undefined && --group.active <= 0) run.groups.delete(owner);
}

/** A transform changes its copy in place: once it returns, the copy may be measured and is changed no more. */
function settleWhenReturned(transform: object): void {
  const definition = transform as { implementation?: unknown };
  const original = definition.implementation;
  if (typeof original !== "function") return;
  definition.implementation = async function transformed(this: unknown, value: unknown): Promise<unknown> {
    const result: unknown = await (original as (this: unknown, value: unknown) => unknown).call(this, value);
    settleTransformCopy(result);
    return result;
  };
}
