import type { DraftCall } from "./draft-call.js";
import { DRAFT_CALL, DRAFT_NODE, draftCallOf, draftNodeOf } from "./draft-symbols.js";
import { InvalidStateUpdateError } from "./state-update-error.js";
import { ChangeKind } from "./undo-log.js";

// The proxy handlers of drafts. Reads return drafts of the containers they reach; writes go to the
// live node in place, after the call logged what they overwrite. A handler instance belongs to one
// call; when the call ends, every trap throws, as a revoked proxy would.

function refuseShapeChange(what: string): never {
  throw new InvalidStateUpdateError(`${what} is not supported on a draft of a memory state; assign properties instead`);
}

function finished(): never {
  throw new TypeError("a draft of a memory state cannot be used after its handler call finished");
}

/**
 * What the traps of one call share.
 *
 * @internal
 */
abstract class DraftTraps<T extends object> implements ProxyHandler<T> {
  readonly call: DraftCall;
  /** Whether the call is still running; its drafts refuse everything once it is not. */
  open = true;

  constructor(call: DraftCall) {
    this.call = call;
  }

  has(target: T, key: PropertyKey): boolean {
    if (!this.open) finished();
    return Reflect.has(target, key);
  }

  ownKeys(target: T): ArrayLike<string | symbol> {
    if (!this.open) finished();
    return Reflect.ownKeys(target);
  }

  defineProperty(): boolean {
    if (!this.open) finished();
    return refuseShapeChange("Object.defineProperty");
  }

  setPrototypeOf(): boolean {
    if (!this.open) finished();
    return refuseShapeChange("Changing the prototype");
  }

  preventExtensions(): boolean {
    if (!this.open) finished();
    return refuseShapeChange("Freezing, sealing or preventing extensions");
  }
}

/**
 * Traps of plain-object and array drafts.
 *
 * @internal
 */
export class ObjectTraps extends DraftTraps<object> {
  get(target: object, key: PropertyKey): unknown {
    if (!this.open) finished();
    if (typeof key === "symbol") {
      if (key === DRAFT_CALL) return this.call;
      if (key === DRAFT_NODE) return target;
    }
    const value: unknown = (target as Record<PropertyKey, unknown>)[key];
    if (typeof value !== "object" || value === null || !Object.hasOwn(target, key)) {
      return value;
    }
    return this.call.child(target, ChangeKind.Slot, key, value);
  }

  set(target: object, key: PropertyKey, value: unknown): boolean {
    if (!this.open) finished();
    this.call.writeSlot(target, key, value);
    return true;
  }

  deleteProperty(target: object, key: PropertyKey): boolean {
    if (!this.open) finished();
    return this.call.deleteSlot(target, key);
  }

  getOwnPropertyDescriptor(target: object, key: PropertyKey): PropertyDescriptor | undefined {
    if (!this.open) finished();
    const descriptor = Reflect.getOwnPropertyDescriptor(target, key);
    if (descriptor !== undefined && typeof descriptor.value === "object" && descriptor.value !== null) {
      descriptor.value = this.call.child(target, ChangeKind.Slot, key, descriptor.value);
    }
    return descriptor;
  }
}

/**
 * Traps of Map and Set drafts: their methods come from a table of functions that find the live
 * node and the call through the receiver, and properties of the collection object itself cannot
 * change.
 *
 * @internal
 */
export class CollectionTraps extends DraftTraps<Map<unknown, unknown> | Set<unknown>> {
  readonly methods: ReadonlyMap<PropertyKey, unknown>;

  constructor(call: DraftCall, methods: ReadonlyMap<PropertyKey, unknown>) {
    super(call);
    this.methods = methods;
  }

  get(target: Map<unknown, unknown> | Set<unknown>, key: PropertyKey, receiver: unknown): unknown {
    if (!this.open) finished();
    if (key === "size") {
      return target.size;
    }
    if (key === DRAFT_CALL) return this.call;
    if (key === DRAFT_NODE) return target;
    const method = this.methods.get(key);
    if (method === undefined) {
      return Reflect.get(target, key, target);
    }
    rememberLookup(receiver, target, this);
    return method;
  }

  set(): boolean {
    if (!this.open) finished();
    return refuseShapeChange("Setting a property of a Map or Set");
  }

  deleteProperty(): boolean {
    if (!this.open) finished();
    return refuseShapeChange("Deleting a property of a Map or Set");
  }

  getOwnPropertyDescriptor(target: Map<unknown, unknown> | Set<unknown>, key: PropertyKey): PropertyDescriptor | undefined {
    if (!this.open) finished();
    return Reflect.getOwnPropertyDescriptor(target, key);
  }
}

// The draft whose method was looked up last, with its live node and traps. `draft.get(key)` looks
// the method up (a trap) and calls it on the same draft at once: the method then finds the node and
// the call here, instead of asking the draft through two more traps. Each trap costs a call into
// the engine's runtime, which checks the proxy's invariants, so this saves most of the cost of a
// Map or Set access. The entry is dropped when its call ends (`forgetLookups`).
let lookedUpDraft: unknown;
let lookedUpNode: object | undefined;
let lookedUpTraps: CollectionTraps | undefined;

function rememberLookup(receiver: unknown, target: object, traps: CollectionTraps): void {
  lookedUpDraft = receiver;
  lookedUpNode = target;
  lookedUpTraps = traps;
}

/**
 * Forgets the remembered lookup if it was made through `traps`, whose call has ended: nothing of a
 * finished call stays reachable from here.
 *
 * @internal
 */
export function forgetLookups(traps: CollectionTraps): void {
  if (lookedUpTraps === traps) {
    lookedUpDraft = lookedUpNode = lookedUpTraps = undefined;
  }
}

/** The call of the draft a Map or Set method was called on; a `TypeError` for anything else. */
function callOf(receiver: unknown, method: string): DraftCall {
  if (receiver === lookedUpDraft && lookedUpTraps !== undefined) {
    if (!lookedUpTraps.open) finished();
    return lookedUpTraps.call;
  }
  const call = typeof receiver === "object" && receiver !== null ? draftCallOf(receiver) : undefined;
  if (call === undefined) {
    throw new TypeError(`${method} called on an object that is not a draft of a memory state`);
  }
  return call;
}

/** The live node of a draft whose call {@link callOf} found. */
function nodeOf<T>(receiver: unknown): T {
  return (receiver === lookedUpDraft && lookedUpNode !== undefined ? lookedUpNode : draftNodeOf(receiver as object)) as T;
}

type MapNode = Map<unknown, unknown>;
type SetNode = Set<unknown>;

/** `delete` of a Map or a Set draft: the write goes through the draft's call, which logs it. */
function deleteMethod(owner: "Map" | "Set"): (this: unknown, member: unknown) => boolean {
  const method = `${owner}.prototype.delete`;
  return function deleteMember(this: unknown, member: unknown): boolean {
    const call = callOf(this, method);
    return call.deleteFromCollection(nodeOf<MapNode | SetNode>(this), member);
  };
}

/** `clear` of a Map or a Set draft: the write goes through the draft's call, which logs it. */
function clearMethod(owner: "Map" | "Set"): (this: unknown) => void {
  const method = `${owner}.prototype.clear`;
  return function clear(this: unknown): void {
    const call = callOf(this, method);
    call.clearCollection(nodeOf<MapNode | SetNode>(this));
  };
}

function mapValue(call: DraftCall, node: MapNode, key: unknown, value: unknown): unknown {
  return typeof value === "object" && value !== null ? call.child(node, ChangeKind.MapEntry, key, value) : value;
}

function* mapEntries(this: unknown): Generator<[unknown, unknown]> {
  const call = callOf(this, "Map.prototype.entries");
  const node = nodeOf<MapNode>(this);
  for (const [key, value] of node) {
    yield [key, mapValue(call, node, key, value)];
  }
}

/**
 * The methods of Map drafts.
 *
 * @internal
 */
export const MAP_METHODS: ReadonlyMap<PropertyKey, unknown> = new Map<PropertyKey, unknown>([
  [
    "get",
    function get(this: unknown, key: unknown): unknown {
      const call = callOf(this, "Map.prototype.get");
      const node = nodeOf<MapNode>(this);
      return mapValue(call, node, key, node.get(key));
    },
  ],
  [
    "has",
    function has(this: unknown, key: unknown): boolean {
      return (callOf(this, "Map.prototype.has"), nodeOf<MapNode>(this)).has(key);
    },
  ],
  [
    "set",
    function set(this: unknown, key: unknown, value: unknown): unknown {
      const call = callOf(this, "Map.prototype.set");
      const node = nodeOf<MapNode>(this);
      call.writeMapEntry(node, key, value);
      return this;
    },
  ],
  ["delete", deleteMethod("Map")],
  ["clear", clearMethod("Map")],
  [
    "forEach",
    function forEach(this: unknown, callback: (value: unknown, key: unknown, map: unknown) => void, thisArg?: unknown): void {
      const call = callOf(this, "Map.prototype.forEach");
      const node = nodeOf<MapNode>(this);
      node.forEach((value, key) => callback.call(thisArg, mapValue(call, node, key, value), key, this));
    },
  ],
  [
    "keys",
    function keys(this: unknown): Iterator<unknown> {
      return (callOf(this, "Map.prototype.keys"), nodeOf<MapNode>(this)).keys();
    },
  ],
  [
    "values",
    function* values(this: unknown): Generator<unknown> {
      for (const [, value] of mapEntries.call(this)) {
        yield value;
      }
    },
  ],
  ["entries", mapEntries],
  [Symbol.iterator, mapEntries],
]);


const SET_READERS = ["union", "intersection", "difference", "symmetricDifference", "isSubsetOf", "isSupersetOf", "isDisjointFrom"] as const;

/**
 * The methods of Set drafts. Members are primitives, so reads return them as they are.
 *
 * @internal
 */
export const SET_METHODS: ReadonlyMap<PropertyKey, unknown> = new Map<PropertyKey, unknown>([
  [
    "has",
    function has(this: unknown, value: unknown): boolean {
      return (callOf(this, "Set.prototype.has"), nodeOf<SetNode>(this)).has(value);
    },
  ],
  [
    "add",
    function add(this: unknown, value: unknown): unknown {
      const call = callOf(this, "Set.prototype.add");
      const node = nodeOf<SetNode>(this);
      call.addToSet(node, value);
      return this;
    },
  ],
  ["delete", deleteMethod("Set")],
  ["clear", clearMethod("Set")],
  [
    "forEach",
    function forEach(this: unknown, callback: (value: unknown, key: unknown, set: unknown) => void, thisArg?: unknown): void {
      (callOf(this, "Set.prototype.forEach"), nodeOf<SetNode>(this)).forEach((value) => callback.call(thisArg, value, value, this));
    },
  ],
  [
    "values",
    function values(this: unknown): Iterator<unknown> {
      return (callOf(this, "Set.prototype.values"), nodeOf<SetNode>(this)).values();
    },
  ],
  [
    "keys",
    function keys(this: unknown): Iterator<unknown> {
      return (callOf(this, "Set.prototype.keys"), nodeOf<SetNode>(this)).keys();
    },
  ],
  [
    "entries",
    function entries(this: unknown): Iterator<[unknown, unknown]> {
      return (callOf(this, "Set.prototype.entries"), nodeOf<SetNode>(this)).entries();
    },
  ],
  [
    Symbol.iterator,
    function iterator(this: unknown): Iterator<unknown> {
      return (callOf(this, "Set.prototype.values"), nodeOf<SetNode>(this)).values();
    },
  ],
  ...SET_READERS.filter((name) => typeof (Set.prototype as unknown as Record<string, unknown>)[name] === "function").map(
    (name) =>
      [
        name,
        function read(this: unknown, other: unknown): unknown {
          const method = (Set.prototype as unknown as Record<string, (other: unknown) => unknown>)[name] as (other: unknown) => unknown;
          callOf(this, `Set.prototype.${name}`);
          return method.call(nodeOf<SetNode>(this), other);
        },
      ] as const,
  ),
]);
