import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createEventScope, streamEventVersions, type BatchDelivery } from "@projectionkit/core";
import { memoryProjection } from "@projectionkit/memory";
import { KEY } from "./fixtures.js";

// M1/M2 as a differential property: random events run on a plain-JavaScript model (a tree copy
// per event, so that committed states are values) and through the adapter's drafts, with throws,
// awaits, batches, parts written at two places, and reads of the state between and during events.
// The committed states must be equal, including the order of keys, entries and members.

type Item = number | { n: number; tags: string[] };
interface State {
  obj: Record<string, Item>;
  arr: Item[];
  map: Map<string, Item>;
  set: Set<string>;
  n: number;
  when: Date;
}

type Op =
  | { op: "objSet"; key: string; item: ItemSpec }
  | { op: "objDelete"; key: string }
  | { op: "objBump"; key: string }
  | { op: "arrPush" | "arrUnshift"; item: ItemSpec }
  | {
      op:
        | "arrPop"
        | "arrShift"
        | "arrReverse"
        | "arrSort"
        | "arrFilter"
        | "arrFindBump"
        | "objEntriesBump"
        | "mapValuesBump"
        | "mapForEachDelete"
        | "mapClear"
        | "setClear"
        | "await"
        | "throw"
        | "check";
    }
  | { op: "arrSplice"; start: number; remove: number; item: ItemSpec }
  | { op: "arrLength"; length: number }
  | { op: "arrSet"; index: number; item: ItemSpec }
  | { op: "mapSet"; key: string; item: ItemSpec }
  | { op: "mapDelete" | "mapBump" | "setAdd" | "setDelete"; key: string }
  | { op: "root"; n: number }
  | { op: "date"; time: number }
  | { op: "alias"; index: number; key: string }
  | { op: "moveToArr"; key: string }
  | { op: "spreadObj"; key: string; item: ItemSpec };

type ItemSpec = { n: number; object: boolean };
type Event = { type: "Ops"; ops: Op[] } | { type: "ReturnSpread"; n: number };

const keyArb = fc.constantFrom("a", "b", "c", "d");
const itemArb: fc.Arbitrary<ItemSpec> = fc.record({ n: fc.integer({ min: 0, max: 9 }), object: fc.boolean() });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant("objSet" as const), key: keyArb, item: itemArb }),
  fc.record({ op: fc.constant("objDelete" as const), key: keyArb }),
  fc.record({ op: fc.constant("objBump" as const), key: keyArb }),
  fc.record({ op: fc.constantFrom("arrPush" as const, "arrUnshift" as const), item: itemArb }),
  fc.record({
    op: fc.constantFrom(
      "arrPop" as const,
      "arrShift" as const,
      "arrReverse" as const,
      "arrSort" as const,
      "arrFilter" as const,
      "arrFindBump" as const,
      "objEntriesBump" as const,
      "mapValuesBump" as const,
      "mapForEachDelete" as const,
      "mapClear" as const,
      "setClear" as const,
      "await" as const,
      "throw" as const,
      "check" as const,
    ),
  }),
  fc.record({ op: fc.constant("arrSplice" as const), start: fc.integer({ min: 0, max: 4 }), remove: fc.integer({ min: 0, max: 2 }), item: itemArb }),
  fc.record({ op: fc.constant("arrLength" as const), length: fc.integer({ min: 0, max: 5 }) }),
  fc.record({ op: fc.constant("arrSet" as const), index: fc.integer({ min: 0, max: 6 }), item: itemArb }),
  fc.record({ op: fc.constant("mapSet" as const), key: keyArb, item: itemArb }),
  fc.record({ op: fc.constantFrom("mapDelete" as const, "mapBump" as const, "setAdd" as const, "setDelete" as const), key: keyArb }),
  fc.record({ op: fc.constant("root" as const), n: fc.integer({ min: 0, max: 99 }) }),
  fc.record({ op: fc.constant("date" as const), time: fc.integer({ min: 0, max: 1e12 }) }),
  fc.record({ op: fc.constant("alias" as const), index: fc.integer({ min: 0, max: 3 }), key: keyArb }),
  fc.record({ op: fc.constant("moveToArr" as const), key: keyArb }),
  fc.record({ op: fc.constant("spreadObj" as const), key: keyArb, item: itemArb }),
);
// A third of the events fail after their last op, so that undoing every kind of write is common.
const eventArb: fc.Arbitrary<Event> = fc.oneof(
  {
    weight: 9,
    arbitrary: fc
      .tuple(fc.array(opArb, { maxLength: 12, size: "medium" }), fc.integer({ min: 0, max: 2 }))
      .map(([ops, fail]) => ({ type: "Ops" as const, ops: fail === 0 ? [...ops, { op: "throw" as const }] : ops })),
  },
  { weight: 1, arbitrary: fc.record({ type: fc.constant("ReturnSpread" as const), n: fc.integer({ min: 0, max: 99 }) }) },
);

class Refused extends Error {}

function itemOf({ n, object }: ItemSpec): Item {
  return object ? { n, tags: [] } : n;
}

/** Runs `ops` on `state` (a draft or the model); the same code for both. */
function runOps(state: State, ops: readonly Op[], atCheck: (index: number) => void, pause: () => Promise<void>): void | Promise<void> {
  for (const [index, op] of ops.entries()) {
    switch (op.op) {
      case "objSet":
        state.obj[op.key] = itemOf(op.item);
        break;
      case "objDelete":
        delete state.obj[op.key];
        break;
      case "objBump": {
        const item = state.obj[op.key];
        if (typeof item === "object") {
          item.n += 1;
          item.tags.push(`t${item.n}`);
        }
        break;
      }
      case "arrPush":
        state.arr.push(itemOf(op.item));
        break;
      case "arrUnshift":
        state.arr.unshift(itemOf(op.item));
        break;
      case "arrPop":
        state.arr.pop();
        break;
      case "arrShift":
        state.arr.shift();
        break;
      case "arrReverse":
        state.arr.reverse();
        break;
      case "arrSort":
        state.arr.sort((x, y) => nOf(x) - nOf(y));
        break;
      case "arrFilter":
        state.arr = state.arr.filter((item) => nOf(item) % 2 === 0);
        break;
      case "arrFindBump": {
        const found = state.arr.find((item) => typeof item === "object");
        if (typeof found === "object") {
          found.n += 1;
        }
        break;
      }
      case "objEntriesBump":
        for (const [key, item] of Object.entries(state.obj)) {
          if (typeof item === "object") {
            item.tags.push(key);
          }
        }
        break;
      case "mapValuesBump":
        for (const item of state.map.values()) {
          if (typeof item === "object") {
            item.n += 2;
          }
        }
        break;
      case "mapForEachDelete":
        state.map.forEach((item, key) => {
          if (nOf(item) % 2 === 1) {
            state.map.delete(key);
          }
        });
        break;
      case "arrSplice":
        state.arr.splice(op.start, op.remove, itemOf(op.item));
        break;
      case "arrLength":
        state.arr.length = op.length;
        break;
      case "arrSet":
        state.arr[op.index] = itemOf(op.item);
        break;
      case "mapSet":
        state.map.set(op.key, itemOf(op.item));
        break;
      case "mapDelete":
        state.map.delete(op.key);
        break;
      case "mapClear":
        state.map.clear();
        break;
      case "mapBump": {
        const item = state.map.get(op.key);
        if (typeof item === "object") {
          item.n += 1;
        }
        break;
      }
      case "setAdd":
        state.set.add(op.key);
        break;
      case "setDelete":
        state.set.delete(op.key);
        break;
      case "setClear":
        state.set.clear();
        break;
      case "root":
        state.n = op.n;
        break;
      case "date":
        state.when = new Date(op.time);
        break;
      case "alias": {
        const item = state.arr[op.index];
        if (item !== undefined) {
          state.obj[op.key] = item;
        }
        break;
      }
      case "moveToArr": {
        const item = state.map.get(op.key);
        if (item !== undefined) {
          state.arr.push(item);
        }
        break;
      }
      case "spreadObj":
        state.obj = { ...state.obj, [op.key]: itemOf(op.item) };
        break;
      case "throw":
        throw new Refused("the handler failed");
      case "check":
        atCheck(index);
        break;
      case "await":
        return pause().then(() => runOps(state, ops.slice(index + 1), (at) => atCheck(index + 1 + at), pause));
    }
  }
}

function nOf(item: Item | undefined): number {
  return typeof item === "object" ? item.n : (item ?? -1);
}

/** The state as nested arrays, in iteration order: equal plain forms mean equal states, order included. */
function plain(value: unknown): unknown {
  if (value instanceof Date) {
    return { date: value.getTime() };
  }
  if (value instanceof Map) {
    return { map: [...value].map(([key, item]) => [key, plain(item)]) };
  }
  if (value instanceof Set) {
    return { set: [...value] };
  }
  if (Array.isArray(value)) {
    return { array: Array.from({ length: value.length }, (_, index) => (index in value ? plain(value[index]) : "<hole>")) };
  }
  if (typeof value === "object" && value !== null) {
    return { object: Object.entries(value).map(([key, item]) => [key, plain(item)]) };
  }
  return value;
}

/** A copy without shared parts: committed model states are values, as the adapter's are. */
function treeCopy<T>(value: T): T {
  if (value instanceof Date) {
    return new Date(value.getTime()) as T;
  }
  if (value instanceof Map) {
    return new Map([...value].map(([key, item]) => [key, treeCopy(item)])) as T;
  }
  if (value instanceof Set) {
    return new Set(value) as T;
  }
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    copy.length = value.length;
    for (const index of Object.keys(value)) {
      copy[Number(index)] = treeCopy(value[Number(index)]);
    }
    return copy as T;
  }
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, treeCopy(item)])) as T;
  }
  return value;
}

function initialState(): State {
  return {
    obj: { a: 1, b: { n: 2, tags: ["x"] }, c: 3 },
    arr: [3, { n: 4, tags: [] }, 5],
    map: new Map<string, Item>([
      ["a", { n: 5, tags: [] }],
      ["b", 6],
      ["c", { n: 7, tags: ["y"] }],
    ]),
    set: new Set(["a", "b", "c"]),
    n: 0,
    when: new Date(0),
  };
}

/** The model: the next committed state or the error, and the plain form of the draft at each check. */
async function modelApply(state: State, event: Event): Promise<{ next?: State; error?: unknown; checks: Map<number, unknown> }> {
  const draft = treeCopy(state);
  const checks = new Map<number, unknown>();
  try {
    if (event.type === "ReturnSpread") {
      return { next: { ...draft, n: event.n }, checks };
    }
    await runOps(draft, event.ops, (index) => checks.set(index, plain(draft)), () => Promise.resolve());
    return { next: draft, checks };
  } catch (error) {
    return { error, checks };
  }
}

function isDeeplyFrozen(value: unknown): boolean {
  if (typeof value !== "object" || value === null) {
    return true;
  }
  if (!Object.isFrozen(value)) {
    return false;
  }
  const children = value instanceof Map ? [...value.values()] : value instanceof Set ? [] : Object.values(value);
  return children.every(isDeeplyFrozen);
}

type Numbered = Event & { readonly seq: number };

describe("memory state: the adapter's drafts against a plain model", () => {
  it.each([{ freeze: true }, { freeze: false }])("M1/M2: the same committed states, whatever the handlers do or throw (%o)", { timeout: 600_000 }, async ({ freeze }) => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ events: fc.array(eventArb, { minLength: 1, maxLength: 4 }), read: fc.constantFrom("none", "none", "before", "during", "after") }), {
          minLength: 1,
          maxLength: 6,
        }),
        async (steps) => {
          let model = initialState();
          const checksBySeq = new Map<number, Map<number, unknown>>();
          const readsDuring: unknown[] = [];
          let readDuring = false;
          let seq = 0;
          const projection = memoryProjection<State, Numbered>(
            {
              configure(c) {
                c.identity("model", KEY);
                c.handlesEvents("Ops", "ReturnSpread");
              },
              initialState: initialState(),
              handleEvent(state, _scope, event) {
                if (event.type === "ReturnSpread") {
                  return { ...state, n: event.n };
                }
                return runOps(
                  state as State,
                  event.ops,
                  (index) => expect(plain(state)).toEqual(checksBySeq.get(event.seq)?.get(index)),
                  async () => {
                    if (readDuring) {
                      readsDuring.push(plain(projection.state));
                    }
                    await Promise.resolve();
                  },
                );
              },
            },
            { freeze },
          );
          let offset = 0;
          for (const { events, read } of steps) {
            if (read === "before") {
              expect(plain(projection.state)).toEqual(plain(model));
            }
            readDuring = read === "during";
            readsDuring.length = 0;
            const committedBefore = plain(model);
            const numbered: Numbered[] = events.map((event) => ({ ...event, seq: seq++ }));
            let applied = 0;
            for (const event of numbered) {
              const outcome = await modelApply(model, event);
              checksBySeq.set(event.seq, outcome.checks);
              if (outcome.next === undefined) {
                break;
              }
              model = outcome.next;
              applied++;
            }
            const deliveries: BatchDelivery<Numbered>[] = numbered.map((event, index) => ({ ...streamEventVersions("s", offset + index), event, scope: createEventScope() }));
            const { resource } = streamEventVersions("s", offset);
            if (numbered.length === 1) {
              // One event through handleEvent.
              const [delivery] = deliveries as [BatchDelivery<Numbered>];
              const outcome = await projection.handleEvent(resource, delivery.current, delivery.next, createEventScope(), delivery.event).then(
                (ok) => ok,
                (error: unknown) => error,
              );
              expect(outcome === true ? 1 : 0).toBe(applied);
              if (outcome !== true) {
                expect(outcome).toBeInstanceOf(Refused);
              }
            } else {
              // Several through one batch: one commit of the events before the first that fails.
              const result = await projection.handleEventBatch(resource, deliveries);
              expect(result.applied).toBe(applied);
              if (result.stopped !== undefined) {
                expect(result.stopped).toMatchObject({ index: applied, reason: "error" });
                expect((result.stopped as { error: unknown }).error).toBeInstanceOf(Refused);
              }
            }
            offset += applied;
            for (const during of readsDuring) {
              expect(during).toEqual(committedBefore);
            }
            // Reading shares the whole state, so later writes copy: read now and then only.
            if (read === "after") {
              expect(plain(projection.state)).toEqual(plain(model));
            }
          }
          expect(plain(projection.state)).toEqual(plain(model));
          if (freeze) {
            expect(isDeeplyFrozen(projection.state)).toBe(true);
          }
        },
      ),
    );
  });
});
