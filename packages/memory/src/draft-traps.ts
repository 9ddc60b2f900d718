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
  get(target: object, key: PropertyKey, receiver: unknown): unknown {
    if (!this.open) finished();
    if (typeof key === "symbol") {
      if (key === DRAFT_CALL) return this.call;
      if (key === DRAFT_NODE) return target;
    }
    const value: unknown = Reflect.get(target, key, receiver);
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

  get(target: Map<unknown, unknown> | Set<unknown>, key: PropertyKey): unknown {
    if (!this.open) finished();
    if (key === "size") {
      return target.size;
    }
    if (key === DRAFT_CALL) return this.call;
    if (key === DRAFT_NODE) return target;
    const method = this.methods.get(key);
    return method !== undefined ? method : Reflect.get(target, key, target);
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

/** The live node and the call of the draft a Map or Set method was called on. */
function receiverOf<T>(receiver: unknown, method: string): { node: T; call: DraftCall } {
  const call = typeof receiver === "object" && receiver !== null ? draftCallOf(receiver) : undefined;
  if (call === undefined) {
    throw new TypeError(`${method} called on an object that is not a draft of a memory state`);
  }
  return { node: draftNodeOf(receiver as object) as T, call };
}

type MapNode = Map<unknown, unknown>;

function mapValue(call: DraftCall, node: MapNode, key: unknown, value: unknown): unknown {
  return typeof value === "object" && value !== null ? call.child(node, ChangeKind.MapEntry, key, value) : value;
}

function* mapEntries(this: unknown): Generator<[unknown, unknown]> {
  const { node, call } = receiverOf<MapNode>(this, "Map.prototype.entries");
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
      const { node, call } = receiverOf<MapNode>(this, "Map.prototype.get");
      return mapValue(call, node, key, node.get(key));
    },
  ],
  [
    "has",
    function has(this: unknown, key: unknown): boolean {
      return receiverOf<MapNode>(this, "Map.prototype.has").node.has(key);
    },
  ],
  [
    "set",
    function set(this: unknown, key: unknown, value: unknown): unknown {
      const { node, call } = receiverOf<MapNode>(this, "Map.prototype.set");
      call.writeMapEntry(node, key, value);
      return this;
    },
  ],
  [
    "delete",
    function deleteEntry(this: unknown, key: unknown): boolean {
      const { node, call } = receiverOf<MapNode>(this, "Map.prototype.delete");
      return call.deleteFromCollection(node, key);
    },
  ],
  [
    "clear",
    function clear(this: unknown): void {
      const { node, call } = receiverOf<MapNode>(this, "Map.prototype.clear");
      call.clearCollection(node);
    },
  ],
  [
    "forEach",
    function forEach(this: unknown, callback: (value: unknown, key: unknown, map: unknown) => void, thisArg?: unknown): void {
      const { node, call } = receiverOf<MapNode>(this, "Map.prototype.forEach");
      node.forEach((value, key) => callback.call(thisArg, mapValue(call, node, key, value), key, this));
    },
  ],
  [
    "keys",
    function keys(this: unknown): Iterator<unknown> {
      return receiverOf<MapNode>(this, "Map.prototype.keys").node.keys();
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

type SetNode = Set<unknown>;

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
      return receiverOf<SetNode>(this, "Set.prototype.has").node.has(value);
    },
  ],
  [
    "add",
    function add(this: unknown, value: unknown): unknown {
      const { node, call } = receiverOf<SetNode>(this, "Set.prototype.add");
      call.addToSet(node, value);
      return this;
    },
  ],
  [
    "delete",
    function deleteMember(this: unknown, value: unknown): boolean {
      const { node, call } = receiverOf<SetNode>(this, "Set.prototype.delete");
      return call.deleteFromCollection(node, value);
    },
  ],
  [
    "clear",
    function clear(this: unknown): void {
      const { node, call } = receiverOf<SetNode>(this, "Set.prototype.clear");
      call.clearCollection(node);
    },
  ],
  [
    "forEach",
    function forEach(this: unknown, callback: (value: unknown, key: unknown, set: unknown) => void, thisArg?: unknown): void {
      receiverOf<SetNode>(this, "Set.prototype.forEach").node.forEach((value) => callback.call(thisArg, value, value, this));
    },
  ],
  [
    "values",
    function values(this: unknown): Iterator<unknown> {
      return receiverOf<SetNode>(this, "Set.prototype.values").node.values();
    },
  ],
  [
    "keys",
    function keys(this: unknown): Iterator<unknown> {
      return receiverOf<SetNode>(this, "Set.prototype.keys").node.keys();
    },
  ],
  [
    "entries",
    function entries(this: unknown): Iterator<[unknown, unknown]> {
      return receiverOf<SetNode>(this, "Set.prototype.entries").node.entries();
    },
  ],
  [
    Symbol.iterator,
    function iterator(this: unknown): Iterator<unknown> {
      return receiverOf<SetNode>(this, "Set.prototype.values").node.values();
    },
  ],
  ...SET_READERS.filter((name) => typeof (Set.prototype as unknown as Record<string, unknown>)[name] === "function").map(
    (name) =>
      [
        name,
        function read(this: unknown, other: unknown): unknown {
          const method = (Set.prototype as unknown as Record<string, (other: unknown) => unknown>)[name] as (other: unknown) => unknown;
          return method.call(receiverOf<SetNode>(this, `Set.prototype.${name}`).node, other);
        },
      ] as const,
  ),
]);
