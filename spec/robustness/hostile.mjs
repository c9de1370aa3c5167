/**
 * Hostile input, generated: the cases of the fuzz run (`npm run fuzz`) and of its short run in
 * `npm test` (hostile.spec.ts). Each case feeds one public entry point something an attacker, a
 * broken store or a careless host could give it, and checks what must hold whatever it is given:
 * - it returns, or throws one of the typed errors (DefinitionError, CommandRejected, HistoryMismatch);
 * - it finishes within a time budget;
 * - no prototype of the built-in objects changes, and no code runs in the host;
 * - what it was given is unchanged;
 * - an execution driven live and the same execution recovered from its log are the same.
 *
 * Plain JavaScript importing `stepfold` by name, so that the same cases run on the sources under
 * vitest and on the build under Node.
 */
import { isDeepStrictEqual } from "node:util";
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { CommandRejected, DefinitionError, HistoryMismatch, completeTask, failTask, fireTimer, heartbeat, parse, recover, resume, start, stopExecution, validate } from "stepfold";

const root = fileURLToPath(new URL("../../", import.meta.url));

/** How long one case may take, in milliseconds: far above any legitimate case. */
export const CASE_BUDGET_MS = 10_000;

// ---------------------------------------------------------------------------------------------
// Corpus

const readJson = (path) => JSON.parse(readFileSync(path, "utf8"));

/**
 * Valid definitions to mutate, each with an input it runs on: the fixtures, and the recorded AWS
 * cases when they are beside the repository.
 */
export function loadCorpus() {
  const folder = `${root}fixtures/definitions/valid/`;
  const corpus = readdirSync(folder).filter((name) => name.endsWith(".json")).map((name) => ({ definition: readJson(folder + name), input: {} }));
  const conformance = `${root}../shared/conformance/cases.json`;
  if (existsSync(conformance)) {
    const cases = readJson(conformance);
    for (const item of cases.cases ?? []) if (item && typeof item.definition === "object") corpus.push({ definition: item.definition, input: item.input ?? {} });
  }
  return corpus;
}

// ---------------------------------------------------------------------------------------------
// Values an attacker would try

const PAYLOAD = `"globalThis.stepfoldEscaped = true"`;

const HOSTILE_STRINGS = [
  "__proto__",
  "constructor",
  "prototype",
  "$",
  "$$",
  "$..*",
  "$.__proto__",
  "$.constructor.constructor",
  "$[?(@.constructor)]",
  "$$.Execution.Input",
  "States.StringToJson($.s)",
  "States.JsonMerge($.a, $.b, true)",
  "States.ArrayRange(1, 100000000, 1)",
  "States.Format('{}{}{}', $.a)",
  "{% $states.input.constructor %}",
  `{% $states.input.__lookupSetter__("__proto__") %}`,
  `{% {}.constructor.constructor(${PAYLOAD})() %}`,
  "{% (function($f){ $f($f) })(function($f){ $f($f) }) %}",
  "{% $contains($string($states.input), /(a+)+$/) %}",
  "{% $match('a', /(a)\\1/) %}",
  "{% [1..10000000] %}",
  '{% $pad("", 1e9) %}',
  '{% $count([1..100000]{"k": $}) %}',
  "{% $parse('[[[[[[[[[[') %}",
  '{% {"then": /x/} %}',
  "{% $states.context %}",
  "{%",
  "%}",
  "\u001b[31mred\u001b[0m",
  "\u202egnp.exe",
  "a".repeat(70_000),
  "2024-02-30T00:00:00Z",
  "9999-12-31T23:59:59-23:59",
  "arn:aws:states:::lambda:invoke.waitForTaskToken",
];

const HOSTILE_NUMBERS = [0, -1, 1.5, 1e13, 1e308, -1e308, 2 ** 31, 2 ** 53 + 1, 99_999_999, 100_000_000, Number.MAX_SAFE_INTEGER];

const deep = (depth) => JSON.parse(`${"[".repeat(depth)}1${"]".repeat(depth)}`);

/** A JSON value, weighted towards what breaks interpreters. */
export const hostileValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom(...HOSTILE_STRINGS),
    fc.constantFrom(...HOSTILE_NUMBERS),
    fc.constantFrom(null, true, false, {}, []),
    fc.string({ maxLength: 8 }),
    fc.integer(),
    fc.constant(0).map(() => deep(1200)),
    fc.constant(0).map(() => JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}')),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.constantFrom("__proto__", "constructor", "Type", "Next", "End", "a", "$"), fc.string({ maxLength: 4 })), tie("value"), { maxKeys: 4 }),
  ),
})).value;

// ---------------------------------------------------------------------------------------------
// Mutations of JSON trees

/** Every path (keys and indices) to a value inside `value`. */
function pathsOf(value, path = [], found = []) {
  found.push(path);
  if (found.length > 2000) return found;
  if (Array.isArray(value)) value.forEach((item, index) => pathsOf(item, [...path, index], found));
  else if (value && typeof value === "object") for (const key of Object.keys(value)) pathsOf(value[key], [...path, key], found);
  return found;
}

const clone = (value) => JSON.parse(JSON.stringify(value));

/** Applies one mutation to a clone of `tree`: delete, replace, rename or duplicate what is at a path. */
function mutate(tree, [pick, operation, replacement, name]) {
  const paths = pathsOf(tree);
  const path = paths[pick % paths.length];
  if (path.length === 0) return operation === "replace" ? replacement : tree;
  const parentPath = path.slice(0, -1);
  const key = path[path.length - 1];
  const parent = parentPath.reduce((node, step) => node[step], tree);
  switch (operation) {
    case "delete":
      if (Array.isArray(parent)) parent.splice(key, 1);
      else delete parent[key];
      break;
    case "replace":
      Object.defineProperty(parent, key, { value: replacement, enumerable: true, writable: true, configurable: true });
      break;
    case "rename":
      if (!Array.isArray(parent)) {
        const value = parent[key];
        delete parent[key];
        Object.defineProperty(parent, name, { value, enumerable: true, writable: true, configurable: true });
      }
      break;
    case "duplicate":
      if (Array.isArray(parent)) parent.push(clone(parent[key]));
      break;
  }
  return tree;
}

/** A sequence of mutations to apply to a tree. */
export const mutations = fc.array(
  fc.tuple(fc.nat(), fc.constantFrom("delete", "replace", "replace", "rename", "duplicate"), hostileValue, fc.constantFrom("__proto__", "constructor", "Type", "Next", "Default", "End", "x")),
  { minLength: 1, maxLength: 4 },
);

export const applyMutations = (tree, list) => list.reduce((current, step) => mutate(current, step), clone(tree));

// ---------------------------------------------------------------------------------------------
// The invariants

const PROTOTYPES = [Object.prototype, Array.prototype, Function.prototype, String.prototype, Number.prototype, Boolean.prototype, RegExp.prototype, Promise.prototype, Date.prototype, Error.prototype];
const snapshot = () => PROTOTYPES.map((prototype) => Reflect.ownKeys(prototype).map((key) => [key, Object.getOwnPropertyDescriptor(prototype, key)?.value]));
const prototypesBefore = snapshot();

/** The outcome of one call, by category: a typed error by its code, or what went wrong. */
function category(error) {
  if (error instanceof DefinitionError) return `DefinitionError:${error.problems[0]?.code ?? "?"}`;
  if (error instanceof CommandRejected) return `CommandRejected:${error.code}`;
  if (error instanceof HistoryMismatch) return `HistoryMismatch${error.code ? `:${error.code}` : ""}`;
  return undefined;
}

/** Raised by a case when an invariant breaks; the fuzz run reports it with the case. */
export class Violation extends Error {}

/** Calls `fn`; a typed error becomes its category, anything else is a violation. */
async function typed(what, fn) {
  try {
    return { value: await fn() };
  } catch (error) {
    const kind = category(error);
    if (kind === undefined) throw new Violation(`${what} threw ${error?.name ?? typeof error}: ${error?.message ?? String(error)}`.slice(0, 500));
    return { rejected: kind };
  }
}

const json = (value) => {
  try {
    return JSON.stringify(value);
  } catch (error) {
    throw new Violation(`a value handed out is not JSON: ${error.message}`);
  }
};

/** Checks what must hold after every case. */
export function checkAfter(argumentsBefore, argumentsNow) {
  if (!isDeepStrictEqual(snapshot(), prototypesBefore)) throw new Violation("a built-in prototype changed");
  if (globalThis.stepfoldEscaped !== undefined) throw new Violation("code ran in the host");
  for (let i = 0; i < argumentsBefore.length; i++) {
    if (json(argumentsNow[i]) !== argumentsBefore[i]) throw new Violation("an argument was changed");
  }
}

const T0 = "2024-01-01T00:00:00.000Z";

/**
 * Drives an execution for up to `moves` commands chosen by `choices` (completing, failing and
 * heartbeating tasks with hostile outputs, firing timers, stopping), checking every call; then
 * checks that recovering its log gives the same execution.
 */
/**
 * Checks a Step's account of its pending work: every item read by index is the one the whole list
 * has there, and the pending ids are the ones before, less `removed`, plus `added`.
 */
function checkPending(step, before) {
  if (step.status !== "continue") {
    const left = [...(before ?? [])].filter((id) => !step.removed.includes(id));
    if (left.length > 0 || step.added.length > 0) throw new Violation("an ended execution still owes work, by its added and removed");
    return new Set();
  }
  const byIndex = [];
  for (let i = 0; i < step.pending.length; i++) byIndex.push(step.pending[i]);
  const whole = JSON.parse(json(step.pending));
  if (json(byIndex) !== json(whole)) throw new Violation("pending read by index differs from the whole list");
  const ids = new Set(whole.map((item) => item.id));
  if (before !== undefined) {
    const expected = new Set([...before].filter((id) => !step.removed.includes(id)));
    for (const item of step.added) expected.add(item.id);
    if (json([...expected].sort()) !== json([...ids].sort())) throw new Violation("added and removed do not account for the pending work");
  }
  return ids;
}

async function drive(workflow, first, choices) {
  let step = first;
  let ids = checkPending(step, new Set());
  const log = [...step.events];
  for (const [pick, verb, payload] of choices) {
    if (step.status !== "continue") break;
    const pending = step.pending;
    if (pending.length === 0) break;
    const item = pending[pick % pending.length];
    const at = new Date(Date.parse(step.execution.time) + 1000).toISOString();
    const command =
      item.kind === "timer"
        ? fireTimer(item.id)
        : verb === "fail"
          ? failTask(item.id, typeof payload === "string" ? payload.slice(0, 200) : "Error", undefined, at)
          : verb === "heartbeat"
            ? heartbeat(item.id, at)
            : verb === "stop"
              ? stopExecution("Stopped", undefined, at)
              : completeTask(item.token && pick % 2 ? item.token : item.id, payload, at);
    const before = json(step.execution);
    const commandBefore = json(command);
    const next = await typed("resume", () => resume(step.execution, command));
    checkAfter([before, commandBefore], [step.execution, command]);
    if (next.rejected) continue;
    step = next.value;
    ids = checkPending(step, ids);
    log.push(...step.events);
  }
  const recovered = await typed("recover", () => recover(workflow, log));
  if (recovered.rejected) throw new Violation(`recover refused the live log: ${recovered.rejected}`);
  if (json(recovered.value.execution) !== json(step.execution)) throw new Violation("recover gave another execution than the live run");
  return { step, log };
}

// ---------------------------------------------------------------------------------------------
// The kinds of case

/** A definition mutated, validated, parsed, started with hostile input and driven. */
export function definitionCase(corpus) {
  return fc.record({
    index: fc.nat(),
    mutations,
    input: fc.oneof(hostileValue, fc.constant(undefined)),
    moves: fc.array(fc.tuple(fc.nat(), fc.constantFrom("complete", "complete", "fail", "heartbeat", "stop"), hostileValue), { maxLength: 6 }),
  }).map(({ index, mutations: list, input, moves }) => {
    const entry = corpus[index % corpus.length];
    return { definition: applyMutations(entry.definition, list), input: input === undefined ? entry.input : input, moves };
  });
}

export async function runDefinitionCase({ definition, input, moves }) {
  const before = [json(definition), json(input)];
  const problems = await typed("validate", () => validate(definition));
  if (problems.rejected) throw new Violation(`validate threw ${problems.rejected}`);
  const parsed = await typed("parse", () => parse(definition));
  if ((problems.value.length === 0) !== (parsed.rejected === undefined)) throw new Violation("parse and validate disagree");
  checkAfter(before, [definition, input]);
  if (parsed.rejected) return parsed.rejected;
  const started = await typed("start", () => start(parsed.value, { input, at: T0, seed: 7 }));
  checkAfter(before, [definition, input]);
  if (started.rejected) return started.rejected;
  const { step } = await drive(parsed.value, started.value, moves);
  return `Step:${step.status}`;
}

/** A log of a driven execution, cut, reordered or edited, then recovered and resumed. */
export function logCase(corpus) {
  return fc.record({
    index: fc.nat(),
    moves: fc.array(fc.tuple(fc.nat(), fc.constantFrom("complete", "fail"), fc.jsonValue({ maxDepth: 1 })), { maxLength: 5 }),
    edit: fc.oneof(
      fc.record({ cut: fc.nat() }),
      fc.record({ swap: fc.tuple(fc.nat(), fc.nat()) }),
      fc.record({ mutations }),
      fc.record({ repeat: fc.nat() }),
    ),
  }).map((spec) => ({ ...spec, ...corpus[spec.index % corpus.length] }));
}

export async function runLogCase({ definition, input, moves, edit }) {
  const parsed = await typed("parse", () => parse(definition));
  if (parsed.rejected) return "skipped";
  const started = await typed("start", () => start(parsed.value, { input, at: T0, seed: 7 }));
  if (started.rejected) return "skipped";
  const { log } = await drive(parsed.value, started.value, moves);
  let edited = clone(log);
  if (edit.cut !== undefined) edited = edited.slice(0, edit.cut % (edited.length + 1));
  if (edit.swap) {
    const [a, b] = edit.swap.map((n) => n % edited.length);
    [edited[a], edited[b]] = [edited[b], edited[a]];
  }
  if (edit.repeat !== undefined) edited.splice(edit.repeat % edited.length, 0, edited[edit.repeat % edited.length]);
  if (edit.mutations) edited = applyMutations(edited, edit.mutations);
  const before = json(edited);
  const recovered = await typed("recover", () => recover(parsed.value, edited));
  checkAfter([before], [edited]);
  if (recovered.rejected) return recovered.rejected;
  const step = recovered.value;
  // A log recovered must be an execution resume can work on.
  if (step.status === "continue") {
    const item = step.pending[0];
    const command = item === undefined ? stopExecution("Stopped", undefined, step.execution.time) : item.kind === "timer" ? fireTimer(item.id) : completeTask(item.id, {}, step.execution.time);
    const resumed = await typed("resume after recover", () => resume(step.execution, command));
    if (resumed.rejected) return `recovered, then ${resumed.rejected}`;
  }
  return `Step:${step.status}`;
}

/** A stored execution edited by hand, then resumed. */
export function executionCase(corpus) {
  return fc.record({ index: fc.nat(), mutations, move: fc.tuple(fc.nat(), fc.constantFrom("complete", "fail", "timer", "stop")) }).map((spec) => ({
    ...spec,
    ...corpus[spec.index % corpus.length],
  }));
}

export async function runExecutionCase({ definition, input, mutations: list, move }) {
  const parsed = await typed("parse", () => parse(definition));
  if (parsed.rejected) return "skipped";
  const started = await typed("start", () => start(parsed.value, { input, at: T0, seed: 7 }));
  if (started.rejected || started.value.status !== "continue") return "skipped";
  const tampered = applyMutations(started.value.execution, list);
  const pending = started.value.pending;
  const item = pending[move[0] % Math.max(1, pending.length)];
  const at = new Date(Date.parse(started.value.execution.time) + 1000).toISOString();
  const command =
    move[1] === "stop" || item === undefined
      ? stopExecution("Stopped", undefined, at)
      : item.kind === "timer"
        ? fireTimer(item.id)
        : move[1] === "fail"
          ? failTask(item.id, "Error", undefined, at)
          : completeTask(item.id, {}, at);
  const before = json(tampered);
  const resumed = await typed("resume", () => resume(tampered, command));
  checkAfter([before], [tampered]);
  if (resumed.value) json(resumed.value.execution);
  return resumed.rejected ?? `Step:${resumed.value.status}`;
}

const NAMES = ["constructor", "__proto__", "prototype", "__lookupSetter__", "__lookupGetter__", "__defineGetter__", "hasOwnProperty", "isPrototypeOf", "valueOf", "toString", "call", "apply", "bind", "next", "then", "environment", "lookup", "input", "a"];

/** A JSONata expression chaining property names and calls, in a Pass state's Output. */
export const jsonataCase = fc
  .tuple(
    fc.constantFrom("$states.input", "$states.context", "{}", '{"a": {"b": 1}}', "[1, {}]", '$string("s")', "/a/", '$match("a", /a/)', "(function(){1})", "$sum", "$spread({})", "$each"),
    fc.array(
      fc.oneof(
        fc.constantFrom(...NAMES).map((n) => `.${n}`),
        fc.constantFrom(...NAMES).map((n) => `[${JSON.stringify(n)}]`),
        fc.constantFrom(PAYLOAD, '"__proto__"', "{}", "$states.input", "1").map((a) => `(${a})`),
        fc.constantFrom(".*", ".**", ".%", "@$v.$v", "#$i.$i"),
        fc.constantFrom(...NAMES).map((n) => ` ~> |$|{"${n}": true}|`),
        fc.constantFrom(...NAMES).map((n) => ` ~> $lookup("${n}")`),
        fc.constantFrom(" ~> $spread()", " ~> $keys()", " ~> $string()", " ~> $merge()", " ~> $sift(function(){true})"),
      ),
      { minLength: 1, maxLength: 6 },
    ),
    fc.boolean(),
  )
  .map(([head, steps, bound]) => {
    const chain = head + steps.join("");
    return bound ? `($o := {"a": 1}; $x := ${chain}; $o.$x($o); $x($o))` : chain;
  });

export async function runJsonataCase(expression) {
  const definition = { QueryLanguage: "JSONata", StartAt: "P", States: { P: { Type: "Pass", Output: `{% ${expression} %}`, End: true } } };
  const parsed = await typed("parse", () => parse(definition));
  if (parsed.rejected) return parsed.rejected;
  const input = { a: 1, items: [{ b: 2 }], s: "aaaa" };
  const before = [json(input)];
  const step = await typed("start", () => start(parsed.value, { input, at: T0, seed: 7 }));
  checkAfter(before, [input]);
  if (step.rejected) throw new Violation(`start refused: ${step.rejected}`);
  json(step.value.events);
  return step.value.status === "failed" ? `Step:failed:${step.value.error}` : `Step:${step.value.status}`;
}

// ---------------------------------------------------------------------------------------------
// Running

/** Definitions whose executions wait for the host (a Task or a Wait): the ones worth storing and resuming. */
const waiting = (corpus) => corpus.filter(({ definition }) => /"Type":"(?:Task|Wait)"/.test(JSON.stringify(definition)));

/** The kinds of case, by name: the generator and the runner. */
export function kinds(corpus = loadCorpus()) {
  return {
    definitions: { arbitrary: definitionCase(corpus), run: runDefinitionCase },
    logs: { arbitrary: logCase(waiting(corpus)), run: runLogCase },
    executions: { arbitrary: executionCase(waiting(corpus)), run: runExecutionCase },
    jsonata: { arbitrary: jsonataCase, run: runJsonataCase },
  };
}

/**
 * Runs `runs` cases of one kind from `seed`; returns the count of each outcome and the violations,
 * each with the case that caused it.
 */
export async function fuzz(kind, { runs, seed }) {
  const outcomes = new Map();
  const violations = [];
  const property = fc.asyncProperty(kind.arbitrary, async (value) => {
    const started = Date.now();
    let outcome;
    try {
      outcome = await kind.run(value);
    } catch (error) {
      outcome = error instanceof Violation ? `VIOLATION: ${error.message}` : `VIOLATION: the case itself failed: ${error?.stack ?? error}`;
    }
    const took = Date.now() - started;
    if (took > CASE_BUDGET_MS) outcome = `VIOLATION: took ${took} ms`;
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    if (outcome.startsWith("VIOLATION")) violations.push({ outcome, value });
  });
  await fc.assert(property, { numRuns: runs, seed });
  return { outcomes, violations };
}

/** The outcome counts of a run as table rows: kind, outcome, count. */
export function table(results) {
  const rows = ["| kind | outcome | cases |", "|---|---|---|"];
  for (const [name, { outcomes }] of Object.entries(results)) {
    for (const [outcome, count] of [...outcomes.entries()].sort((a, b) => b[1] - a[1])) rows.push(`| ${name} | ${outcome.slice(0, 120)} | ${count} |`);
  }
  return rows.join("\n");
}
