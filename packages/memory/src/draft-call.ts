import { draftCallOf, draftNodeOf } from "./draft-symbols.js";
import { CollectionTraps, forgetLookups, MAP_METHODS, ObjectTraps, SET_METHODS } from "./draft-traps.js";
import { StateDate, toStateDate } from "./state-date.js";
import { InvalidStateUpdateError } from "./state-update-error.js";
import {
  childPath,
  containerKind,
  defineDataProperty,
  enterContainer,
  isLeaf,
  requireDataProperties,
  requireKeepableKey,
  requireKeepableMembers,
  unkeepableValue,
  type ContainerKind,
} from "./state-values.js";
import { ChangeKind, type UndoLog } from "./undo-log.js";

/**
 * What a {@link DraftCall} needs of the transaction it belongs to.
 *
 * @internal
 */
export interface DraftContext {
  /** Where writes in place are logged. */
  readonly log: UndoLog;
  /** The live root of the state. */
  root: unknown;
  /**
   * Whether `node` is shared: checked, and possibly reachable from elsewhere (a committed state read
   * by someone, another place in this state, a reference the handler kept). Shared nodes are never
   * written in place.
   */
  isShared(node: object): boolean;
  /**
   * Marks `node` and everything below it as shared.
   *
   * @throws `InvalidStateUpdateError` if `node` is reachable from itself.
   */
  share(node: object): void;
}

type Slots = Record<PropertyKey, unknown>;

/**
 * The drafts of one call of a user's function (one event, or one compaction).
 *
 * The function changes the live state in place, through proxies. Before a write, the call logs
 * what it overwrites, so that the transaction can undo it; a node reachable from elsewhere
 * (`isShared`) is copied on first access and the copy takes its place (copy on read, logged too).
 * Values written in are admitted: dates become {@link StateDate}s, drafts their live nodes, and
 * new containers are checked once the function returned ({@link DraftCall.finish}). When the call
 * ends, every proxy it made is revoked.
 *
 * @internal
 */
export class DraftCall {
  readonly #context: DraftContext;
  /** The root node and its draft, kept apart from the others: most calls draft nothing else. */
  #rootNode: object | undefined;
  #rootProxy: object | undefined;
  /** The draft of each other node drafted so far. */
  #proxies: Map<object, object> | undefined;
  /** Nodes made or written in during this call: nothing to undo inside them. */
  #fresh: Set<object> | undefined;
  /** Nodes whose whole contents were logged during this call: later writes need no entry. */
  #contentsLogged: Set<object> | undefined;
  /** New containers written in, with where, to check and share when the call finishes. */
  #admitted: Array<{ readonly value: object; readonly path: string }> | undefined;
  /** Live nodes written in at a second place (a draft assigned elsewhere). */
  #aliased: object[] | undefined;
  #objectTraps: ObjectTraps | undefined;
  #mapTraps: CollectionTraps | undefined;
  #setTraps: CollectionTraps | undefined;
  #rootDraft: unknown;
  #open = true;
  /** Whether the function wrote anything (reading never counts). */
  mutated = false;

  constructor(context: DraftContext) {
    this.#context = context;
  }

  /** The draft of the root, or the root itself when it is a primitive. */
  rootDraft(): unknown {
    let root = this.#context.root;
    if (isLeaf(root)) {
      this.#rootDraft = root;
      return root;
    }
    if (this.#mustCopy(root as object)) {
      const copy = shallowCopy(root as object);
      this.#markFresh(copy);
      this.#context.log.record(ChangeKind.Root, undefined, undefined, true, root);
      this.#context.root = root = copy;
    }
    this.#rootNode = root as object;
    this.#rootProxy = new Proxy(root as object, this.#trapsFor(containerKind(root as object)));
    this.#rootDraft = this.#rootProxy;
    return this.#rootDraft;
  }

  /** Throws if the call has finished: its drafts are revoked. */
  requireOpen(): void {
    if (!this.#open) {
      throw new TypeError("a draft of a memory state cannot be used after its handler call finished");
    }
  }

  /**
   * What a read of `parent`'s `key` returns: a draft of the container there (a copy in its place
   * if it is shared), or the value itself.
   */
  child(parent: object, kind: typeof ChangeKind.Slot | typeof ChangeKind.MapEntry, key: unknown, value: object): unknown {
    this.requireOpen();
    if (value instanceof StateDate || draftCallOf(value) !== undefined) {
      return value;
    }
    const containerOfValue = containerKind(value);
    if (containerOfValue === undefined) {
      return value; // not checked yet: written in during this call, refused when it finishes
    }
    let node = value;
    if (this.#mustCopy(value)) {
      node = shallowCopy(value, containerOfValue);
      if (kind === ChangeKind.Slot) {
        this.#logSlot(parent, key as PropertyKey);
        defineDataProperty(parent, key as PropertyKey, node);
      } else {
        this.#logMapEntry(parent as Map<unknown, unknown>, key);
        (parent as Map<unknown, unknown>).set(key, node);
      }
      this.#markFresh(node);
    }
    return this.#draftOf(node, containerOfValue);
  }

  /** `target[key] = value` on an object or array draft. */
  writeSlot(target: object, key: PropertyKey, value: unknown): void {
    this.requireOpen();
    const stored = this.#admit(value, key);
    if (Array.isArray(target)) {
      this.#logArrayWrite(target, key, stored);
    } else {
      this.#logSlot(target, key);
    }
    this.mutated = true;
    defineDataProperty(target, key, stored);
  }

  /** `delete target[key]` on an object or array draft. */
  deleteSlot(target: object, key: PropertyKey): boolean {
    this.requireOpen();
    if (Object.hasOwn(target, key) && !this.#isFresh(target)) {
      if (Array.isArray(target)) {
        this.#logSlot(target, key);
      } else {
        this.#logContents(target, "object");
      }
    }
    this.mutated = true;
    return Reflect.deleteProperty(target, key);
  }

  /** `map.set(key, value)` on a Map draft. */
  writeMapEntry(map: Map<unknown, unknown>, key: unknown, value: unknown): void {
    this.requireOpen();
    requireKeepableKey(key, "a Map in the state");
    const stored = this.#admit(value, key);
    this.#logMapEntry(map, key);
    this.mutated = true;
    map.set(key, stored);
  }

  /** `set.add(value)` on a Set draft. */
  addToSet(set: Set<unknown>, value: unknown): void {
    this.requireOpen();
    if (!isLeaf(value) || value instanceof StateDate) {
      throw unkeepableValue("a member of a Set in the state", value);
    }
    if (set.has(value)) {
      return;
    }
    if (!this.#isFresh(set) && this.#contentsLogged?.has(set) !== true) {
      this.#context.log.record(ChangeKind.SetMember, set, value, false, undefined);
    }
    this.mutated = true;
    set.add(value);
  }

  /** `delete` on a Map or Set draft. */
  deleteFromCollection(collection: Map<unknown, unknown> | Set<unknown>, key: unknown): boolean {
    this.requireOpen();
    if (!collection.has(key)) {
      return false;
    }
    this.#logContents(collection, collection instanceof Map ? "map" : "set");
    this.mutated = true;
    return collection.delete(key);
  }

  /** `clear` on a Map or Set draft. */
  clearCollection(collection: Map<unknown, unknown> | Set<unknown>): void {
    this.requireOpen();
    if (collection.size === 0) {
      return;
    }
    this.#logContents(collection, collection instanceof Map ? "map" : "set");
    this.mutated = true;
    collection.clear();
  }

  /**
   * Ends the call after the function returned `result`: a result other than `undefined` or the
   * root draft replaces the root; new containers are checked and become shared, as do live nodes
   * written in at a second place; every draft is revoked.
   *
   * @throws `InvalidStateUpdateError` if the function both wrote and returned a state, or wrote in
   *   something a state cannot keep. The caller undoes the call then.
   */
  finish(result: unknown): void {
    try {
      if (result !== undefined && result !== this.#rootDraft) {
        if (this.mutated) {
          throw new InvalidStateUpdateError("the handler both changed its draft and returned a new state; do one or the other");
        }
        const stored = this.#admit(result, undefined);
        this.#context.log.record(ChangeKind.Root, undefined, undefined, true, this.#context.root);
        this.#context.root = stored;
      }
      if (this.#admitted !== undefined) {
        const ancestors = new Set<object>();
        const adopted = new Set<object>();
        for (const { value, path } of this.#admitted) {
          this.#adopt(value, path, ancestors, adopted);
        }
        // Only once everything passed: a refused call leaves the values it wrote in unmarked.
        for (const node of adopted) {
          this.#context.share(node);
        }
      }
      for (const node of this.#aliased ?? []) {
        this.#context.share(node);
      }
    } finally {
      this.revoke();
    }
  }

  /** Ends the call: every draft it made refuses to be used from now on, as a revoked proxy would. */
  revoke(): void {
    this.#open = false;
    if (this.#objectTraps !== undefined) {
      this.#objectTraps.open = false;
    }
    if (this.#mapTraps !== undefined) {
      this.#mapTraps.open = false;
      forgetLookups(this.#mapTraps);
    }
    if (this.#setTraps !== undefined) {
      this.#setTraps.open = false;
      forgetLookups(this.#setTraps);
    }
    this.#proxies = undefined;
    this.#rootNode = this.#rootProxy = undefined;
  }

  #draftOf(node: object, kind: ContainerKind | undefined = containerKind(node)): object {
    if (node === this.#rootNode) {
      return this.#rootProxy as object;
    }
    const proxies = (this.#proxies ??= new Map());
    const existing = proxies.get(node);
    if (existing !== undefined) {
      return existing;
    }
    const proxy = new Proxy(node, this.#trapsFor(kind));
    proxies.set(node, proxy);
    return proxy;
  }

  #trapsFor(kind: ContainerKind | undefined): ProxyHandler<object> {
    switch (kind) {
      case "map":
        return (this.#mapTraps ??= new CollectionTraps(this, MAP_METHODS)) as ProxyHandler<object>;
      case "set":
        return (this.#setTraps ??= new CollectionTraps(this, SET_METHODS)) as ProxyHandler<object>;
      default:
        return (this.#objectTraps ??= new ObjectTraps(this));
    }
  }

  #markFresh(node: object): void {
    (this.#fresh ??= new Set()).add(node);
  }

  #isFresh(node: object): boolean {
    return this.#fresh !== undefined && this.#fresh.has(node);
  }

  /**
   * What is stored for a value written in: leaves as they are, dates as state dates, drafts of this
   * call as their live nodes, shared nodes as they are, and new containers (copied if frozen, to be
   * checked when the call finishes).
   */
  #admit(value: unknown, key: unknown): unknown {
    if (isLeaf(value)) {
      return value;
    }
    const call = draftCallOf(value as object);
    if (call !== undefined) {
      if (call !== this) {
        throw new InvalidStateUpdateError("a draft of another memory state was written into this one; write values, not drafts");
      }
      const node = draftNodeOf(value as object);
      (this.#aliased ??= []).push(node);
      return node;
    }
    const path = key === undefined ? "the returned state" : `the value written at ${writtenKey(key)}`;
    if (value instanceof Date && Object.getPrototypeOf(value) === Date.prototype) {
      return toStateDate(value);
    }
    const kind = containerKind(value as object);
    if (kind === undefined) {
      throw unkeepableValue(path, value);
    }
    if (this.#context.isShared(value as object)) {
      return value;
    }
    const stored = Object.isExtensible(value) ? (value as object) : shallowCopy(value as object, kind);
    this.#markFresh(stored);
    (this.#admitted ??= []).push({ value: stored, path });
    return stored;
  }

  /**
   * Checks a container written in during this call, replaces what it holds by the forms a state
   * keeps (dates, live nodes for drafts), and marks it shared: the function may still hold it.
   */
  #adopt(value: object, path: string, ancestors: Set<object>, adopted: Set<object>): object {
    if (this.#context.isShared(value) || adopted.has(value)) {
      return value;
    }
    const kind = enterContainer(value, path, ancestors);
    let target = value;
    const replace = (key: unknown, stored: unknown): void => {
      if (!Object.isExtensible(target)) {
        target = shallowCopy(target, kind);
      }
      if (kind === "map") {
        (target as Map<unknown, unknown>).set(key, stored);
      } else {
        defineDataProperty(target, key as PropertyKey, stored);
      }
    };
    switch (kind) {
      case "set":
        requireKeepableMembers(value as Set<unknown>, path);
        break;
      case "map":
        for (const [key, item] of value as Map<unknown, unknown>) {
          requireKeepableKey(key, path);
          const stored = this.#adoptChild(item, childPath(path, key), ancestors, adopted);
          if (stored !== item) {
            replace(key, stored);
          }
        }
        break;
      case "array":
      case "object":
        if (kind === "object") {
          requireDataProperties(value, path);
        } else if (Object.keys(value).some((key) => !isArrayIndex(key))) {
          throw new InvalidStateUpdateError(`${path} is an array with named properties; a memory state holds plain arrays only`);
        }
        for (const [key, item] of Object.entries(value)) {
          const stored = this.#adoptChild(item, kind === "array" ? `${path}[${key}]` : childPath(path, key), ancestors, adopted);
          if (stored !== item) {
            replace(key, stored);
          }
        }
        break;
    }
    ancestors.delete(value);
    adopted.add(target);
    return target;
  }

  #adoptChild(value: unknown, path: string, ancestors: Set<object>, adopted: Set<object>): unknown {
    if (isLeaf(value)) {
      return value;
    }
    const call = draftCallOf(value as object);
    if (call !== undefined) {
      if (call !== this) {
        throw new InvalidStateUpdateError(`${path} is a draft of another memory state; write values, not drafts`);
      }
      const node = draftNodeOf(value as object);
      (this.#aliased ??= []).push(node);
      return node;
    }
    if (value instanceof Date && Object.getPrototypeOf(value) === Date.prototype) {
      return toStateDate(value);
    }
    return this.#adopt(value as object, path, ancestors, adopted);
  }

  /** Whether a node must be copied before it is drafted: shared, or frozen by its author. */
  #mustCopy(node: object): boolean {
    return this.#context.isShared(node) || !Object.isExtensible(node);
  }

  #logSlot(target: object, key: PropertyKey): void {
    if (this.#isFresh(target) || this.#contentsLogged?.has(target) === true) {
      return;
    }
    const had = Object.hasOwn(target, key);
    this.#context.log.record(ChangeKind.Slot, target, key, had, had ? (target as Slots)[key] : undefined);
  }

  /** Logs an array write; the length too when the write changes it. */
  #logArrayWrite(target: unknown[], key: PropertyKey, value: unknown): void {
    if (this.#isFresh(target)) {
      return;
    }
    if (key === "length") {
      const length = Number(value);
      for (let index = length; index < target.length; index++) {
        this.#logSlot(target, String(index));
      }
    } else if (typeof key === "string" && isArrayIndex(key) && Number(key) >= target.length) {
      this.#logSlot(target, "length");
    }
    this.#logSlot(target, key);
  }

  #logMapEntry(map: Map<unknown, unknown>, key: unknown): void {
    if (this.#isFresh(map) || this.#contentsLogged?.has(map) === true) {
      return;
    }
    const had = map.has(key);
    this.#context.log.record(ChangeKind.MapEntry, map, key, had, had ? map.get(key) : undefined);
  }

  /** Logs all of a node's contents, in order, before a change that would lose their order. */
  #logContents(target: object, kind: "object" | "map" | "set"): void {
    if (this.#isFresh(target) || this.#contentsLogged?.has(target) === true) {
      return;
    }
    (this.#contentsLogged ??= new Set()).add(target);
    const log = this.#context.log;
    if (kind === "object") {
      log.record(ChangeKind.ObjectContents, target, undefined, true, Object.entries(target));
    } else if (kind === "map") {
      log.record(ChangeKind.MapContents, target, undefined, true, [...(target as Map<unknown, unknown>)]);
    } else {
      log.record(ChangeKind.SetContents, target, undefined, true, [...(target as Set<unknown>)]);
    }
  }
}

/**
 * A shallow copy of a container, of the same kind, that nothing else holds.
 *
 * @internal
 */
export function shallowCopy(node: object, kind: ContainerKind | undefined = containerKind(node)): object {
  switch (kind) {
    case "array":
      return Array.prototype.slice.call(node);
    case "map":
      return new Map(node as Map<unknown, unknown>);
    case "set":
      return new Set(node as Set<unknown>);
    default:
      return Object.getPrototypeOf(node) === null ? Object.assign(Object.create(null) as object, node) : { ...node };
  }
}

function isArrayIndex(key: string): boolean {
  const index = Number(key);
  return Number.isInteger(index) && index >= 0 && index < 4_294_967_295 && String(index) === key;
}

/** How a message names the key a value was written at: `key "name"` (cut to 40 characters), or `[index]`. */
function writtenKey(key: unknown): string {
  if (typeof key !== "string") {
    return `[${String(key)}]`;
  }
  return `key ${JSON.stringify(key.length <= 40 ? key : `${key.slice(0, 40)}…`)}`;
}
