/**
 * The work an execution waits for, as a host reads it: all of it (a Step's `pending`, oldest first)
 * and what one step changed (`added`, `removed`), so that a host can keep its own set in O(1) per
 * change. Listing everything anew after each command made the natural host loop quadratic
 * (answering 8,000 tasks one by one: 4.2 s), so an index follows each line of executions (each
 * step's execution is made from the one before) and `pending` is a view on it: reading an item or
 * the length costs O(log n); only what needs the whole list (`map`, `JSON.stringify`) makes it.
 */
import { tableGet, tableValues } from "./table.js";
import type { Execution, Pending, Run, TaskWork, TimerWork, Writable } from "./model.js";

/** What one decision changed in the pending work: the ids that became pending (in the order made), and those that stopped. */
export class PendingChanges {
  readonly added = new Map<string, "task" | "timer">();
  readonly removed = new Set<string>();

  add(id: string, kind: "task" | "timer"): void {
    this.added.set(id, kind);
  }

  remove(id: string): void {
    // Made and gone within one step: the host never needs to hear of it.
    if (!this.added.delete(id)) this.removed.add(id);
  }
}

/** A task as the host sees it. Literals with the usual fields, the rare ones added after: no spreads per task. */
export function taskItem(task: TaskWork): Pending {
  const item: Writable<Extract<Pending, { kind: "task" }>> = { kind: "task", id: task.id, state: task.state, resource: task.resource, input: task.input };
  if (task.token !== undefined) item.token = task.token;
  if (task.timeoutSeconds !== undefined) item.timeoutSeconds = task.timeoutSeconds;
  if (task.heartbeatSeconds !== undefined) item.heartbeatSeconds = task.heartbeatSeconds;
  return Object.freeze(item);
}

/** A timer as the host sees it. */
export function timerItem(timer: TimerWork): Pending {
  const item: Writable<Extract<Pending, { kind: "timer" }>> =
    timer.state !== undefined
      ? { kind: "timer", id: timer.id, state: timer.state, until: timer.until, purpose: timer.purpose }
      : { kind: "timer", id: timer.id, until: timer.until, purpose: timer.purpose };
  if (timer.task !== undefined) item.task = timer.task;
  return Object.freeze(item);
}

/** Every pending task and timer of an execution, oldest first (a task before a timer its event also made): built from its tables. */
export function listOf(execution: Execution): Pending[] {
  const tasks: TaskWork[] = [];
  const collect = (run: Run): void => {
    const work = run.state?.work;
    if (work?.kind === "task") tasks.push(work.task);
  };
  collect(execution.root);
  for (const run of tableValues(execution.runs)) collect(run);
  const entries: Entry[] = tasks.map((task) => ({ item: taskItem(task), eventId: task.scheduledEventId }));
  for (const timer of tableValues(execution.timers)) entries.push({ item: timerItem(timer), eventId: timer.createdEventId });
  return entries.sort(byAge).map((entry) => entry.item);
}

/** An item of pending work with the event that made it: the order of `pending` (a task before a timer of the same event). */
interface Entry {
  readonly item: Pending;
  readonly eventId: number;
}

const byAge = (a: Entry, b: Entry): number =>
  a.eventId - b.eventId || (a.item.kind === b.item.kind ? (a.item.id < b.item.id ? -1 : 1) : a.item.kind === "task" ? -1 : 1);

const lowBit = (n: number): number => n & -n;

/**
 * The pending work of one execution, in order, with removed items left as holes that a Fenwick
 * tree of live counts skips: appending, removing and finding the i-th item each cost O(log n).
 */
class PendingIndex {
  private items: (Pending | undefined)[] = [];
  private readonly where = new Map<string, number>();
  /** Fenwick tree over the slots (1-based): counts of live items. */
  private tree: number[] = [0];
  size = 0;

  constructor(
    /** The execution the index describes; it moves on with each step made from it. */
    public current: Execution,
  ) {}

  private prefix(slots: number): number {
    let sum = 0;
    for (let k = slots; k > 0; k -= lowBit(k)) sum += this.tree[k] as number;
    return sum;
  }

  append(item: Pending): void {
    this.where.set(item.id, this.items.length);
    this.items.push(item);
    const k = this.items.length;
    this.tree.push(1 + this.prefix(k - 1) - this.prefix(k - lowBit(k)));
    this.size++;
  }

  remove(id: string): void {
    const slot = this.where.get(id);
    if (slot === undefined) return;
    this.where.delete(id);
    this.items[slot] = undefined;
    for (let k = slot + 1; k < this.tree.length; k += lowBit(k)) (this.tree[k] as number)--;
    this.size--;
    if (this.items.length > 64 && this.size * 2 < this.items.length) this.compact();
  }

  /** The i-th live item (0-based). */
  at(index: number): Pending | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= this.size) return undefined;
    // The smallest slot whose prefix count is index + 1, found by descending the tree.
    let slot = 0;
    let left = index + 1;
    for (let step = 2 ** Math.floor(Math.log2(this.tree.length - 1 || 1)); step > 0; step >>= 1) {
      const next = slot + step;
      if (next < this.tree.length && (this.tree[next] as number) < left) {
        slot = next;
        left -= this.tree[next] as number;
      }
    }
    return this.items[slot];
  }

  toArray(): Pending[] {
    return this.items.filter((item): item is Pending => item !== undefined);
  }

  /** Drops the holes once they are most of the slots. */
  private compact(): void {
    const live = this.toArray();
    this.items = [];
    this.where.clear();
    this.tree = [0];
    this.size = 0;
    for (const item of live) this.append(item);
  }
}

/** The index of each execution whose `pending` was listed, while it is current. */
const indexes = new WeakMap<Execution, PendingIndex>();

/** The index of `execution`, made from its tables when no step led to it (a stored or recovered execution). */
function indexOf(execution: Execution): PendingIndex {
  const known = indexes.get(execution);
  if (known !== undefined && known.current === execution) return known;
  const index = new PendingIndex(execution);
  for (const item of listOf(execution)) index.append(item);
  indexes.set(execution, index);
  return index;
}

/** The items that became pending in a step, oldest first. */
export function addedItems(execution: Execution, changes: PendingChanges, task: (id: string) => TaskWork | undefined): Entry[] {
  const entries: Entry[] = [];
  for (const [id, kind] of changes.added) {
    if (kind === "task") {
      const work = task(id);
      if (work !== undefined) entries.push({ item: taskItem(work), eventId: work.scheduledEventId });
    } else {
      const timer = tableGet(execution.timers, id);
      if (timer !== undefined) entries.push({ item: timerItem(timer), eventId: timer.createdEventId });
    }
  }
  return entries.sort(byAge);
}

/**
 * Moves the index of `before` on to `after` (a step's changes), when `before`'s index is current:
 * its `pending` view then lists `before` afresh if it is read again. Otherwise `after`'s index is
 * made when its `pending` is first read.
 */
export function advanceIndex(before: Execution | undefined, after: Execution, added: readonly Entry[], removed: ReadonlySet<string>): void {
  const index = before === undefined ? new PendingIndex(after) : indexes.get(before);
  if (index === undefined || (before !== undefined && index.current !== before)) return;
  for (const id of removed) index.remove(id);
  for (const entry of added) index.append(entry.item);
  index.current = after;
  indexes.set(after, index);
}

const isIndex = (key: string): boolean => key.length > 0 && key.length < 16 && /^(?:0|[1-9]\d*)$/.test(key);

/** What a view's target (an empty array, so that Array.isArray holds) carries, under symbols no one else reads. */
const EXECUTION: unique symbol = Symbol("pending of");
const WHOLE: unique symbol = Symbol("pending list");

interface ViewTarget extends Array<Pending> {
  [EXECUTION]: Execution;
  [WHOLE]?: Pending[];
}

/** The whole list of a view, made once. */
const wholeOf = (target: ViewTarget): Pending[] => (target[WHOLE] ??= Object.freeze(listOf(target[EXECUTION])) as Pending[]);

const refuse = (): boolean => {
  throw new TypeError("A Step's pending list cannot be changed");
};

/** One handler for every view: a Step costs an array and a Proxy, read or not. */
const VIEW: ProxyHandler<ViewTarget> = {
  get(target, key) {
    if (typeof key === "string") {
      const whole = target[WHOLE];
      if (key === "length") return whole?.length ?? indexOf(target[EXECUTION]).size;
      if (isIndex(key)) return whole ? whole[Number(key)] : indexOf(target[EXECUTION]).at(Number(key));
    }
    const list = wholeOf(target);
    const value: unknown = Reflect.get(list, key, list);
    return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(list) : value;
  },
  has: (target, key) => Reflect.has(wholeOf(target), key),
  ownKeys: (target) => Reflect.ownKeys(wholeOf(target)),
  getOwnPropertyDescriptor(target, key) {
    const descriptor = Reflect.getOwnPropertyDescriptor(wholeOf(target), key);
    // The target is an empty, extensible array: only `length` is fixed, and it must stay writable there.
    return descriptor && key === "length" ? { ...descriptor, writable: true } : descriptor && { ...descriptor, configurable: true };
  },
  set: refuse,
  defineProperty: refuse,
  deleteProperty: refuse,
  setPrototypeOf: refuse,
};

/**
 * A read-only array view of an execution's pending work. Item and `length` reads go to the index;
 * anything else (iteration helpers, keys, JSON) to the whole list, made once.
 */
export function pendingView(execution: Execution): readonly Pending[] {
  const target = [] as unknown as ViewTarget;
  Object.defineProperty(target, EXECUTION, { value: execution, configurable: true });
  return new Proxy(target, VIEW);
}
