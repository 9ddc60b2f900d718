import { describeValue } from "@projectionkit/core";
import { StateDate, toStateDate } from "./state-date.js";
import { InvalidStateUpdateError } from "./state-update-error.js";

/** The containers a memory state is made of. */
export type ContainerKind = "object" | "array" | "map" | "set";

/**
 * What a value of a memory state is: a primitive, a date (kept as a {@link StateDate}), one of the
 * containers, or something the adapter cannot keep safely (`undefined`).
 *
 * @internal
 */
export function containerKind(value: object): ContainerKind | undefined {
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype === Object.prototype || prototype === null) {
    return "object";
  }
  if (prototype === Array.prototype) {
    return Array.isArray(value) ? "array" : undefined;
  }
  if (prototype === Map.prototype) {
    return "map";
  }
  if (prototype === Set.prototype) {
    return "set";
  }
  return undefined;
}

/** Whether `value` is stored as it is: a primitive or a state date. */
export function isLeaf(value: unknown): boolean {
  return (typeof value !== "object" && typeof value !== "function") || value === null || value instanceof StateDate;
}

/**
 * The error for a value a memory state cannot hold.
 *
 * @param path - where the value is, e.g. `state.accounts["a"].bytes`.
 * @param value - the value.
 *
 * @internal
 */
export function unkeepableValue(path: string, value: unknown): InvalidStateUpdateError {
  return new InvalidStateUpdateError(
    `${path} is ${describeValue(value)}, which a memory state cannot keep safely: a state holds primitives, Dates, ` +
      "plain objects, arrays, Maps with primitive keys and Sets of primitives (store bytes as an array or a string, " +
      "and class instances as plain objects)",
  );
}

/**
 * The kind of a container that is being taken into a state at `path`, once it is known to be one a
 * state can keep and not one of its own ancestors; it joins `ancestors`.
 *
 * @throws InvalidStateUpdateError for a value a state cannot keep, or a cycle.
 *
 * @internal
 */
export function enterContainer(value: object, path: string, ancestors: Set<object>): ContainerKind {
  const kind = containerKind(value);
  if (kind === undefined) {
    throw unkeepableValue(path, value);
  }
  if (ancestors.has(value)) {
    throw new InvalidStateUpdateError(`${path} refers back to one of its own ancestors; a memory state cannot hold cycles`);
  }
  ancestors.add(value);
  return kind;
}

/**
 * Checks a key of the Map at `path`: a primitive (a `Date` key would be compared by identity).
 *
 * @internal
 */
export function requireKeepableKey(key: unknown, path: string): void {
  if (!isLeaf(key) || key instanceof StateDate) {
    throw unkeepableValue(`a key of ${path}`, key);
  }
}

/**
 * Checks the members of the Set at `path`: primitives only.
 *
 * @internal
 */
export function requireKeepableMembers(set: ReadonlySet<unknown>, path: string): void {
  for (const member of set) {
    if (!isLeaf(member) || member instanceof StateDate) {
      throw unkeepableValue(`a member of ${path}`, member);
    }
  }
}

/**
 * Extends a path for messages: `.name` for identifier-like keys, `["key"]` otherwise.
 *
 * @internal
 */
export function childPath(path: string, key: unknown): string {
  if (typeof key === "string" && /^[A-Za-z_$][\w$]*$/.test(key)) {
    return `${path}.${key}`;
  }
  return `${path}[${typeof key === "string" ? JSON.stringify(key) : String(key)}]`;
}

/**
 * Checks a plain object's properties: own, enumerable, string-keyed data properties only (what the
 * adapter can copy, undo and freeze).
 *
 * @internal
 */
export function requireDataProperties(object: object, path: string): void {
  for (const key of Reflect.ownKeys(object)) {
    const descriptor = Reflect.getOwnPropertyDescriptor(object, key) as PropertyDescriptor;
    if (typeof key === "symbol" || !descriptor.enumerable || !("value" in descriptor)) {
      throw new InvalidStateUpdateError(
        `${childPath(path, key)} is ${typeof key === "symbol" ? "a symbol-keyed" : !descriptor.enumerable ? "a non-enumerable" : "an accessor"} property; a memory state holds plain data properties only`,
      );
    }
  }
}

/**
 * A deep copy of `value` that the adapter owns, in the forms it keeps (dates as {@link StateDate}s),
 * checked throughout: the way a state given from outside (the initial state) enters the adapter.
 *
 * @param value - the value.
 * @param path - its name, for errors.
 * @returns the copy.
 * @throws `InvalidStateUpdateError` naming the first part that cannot be kept, or a cycle.
 *
 * @internal
 */
export function copyIntoState(value: unknown, path: string, ancestors: Set<object> = new Set()): unknown {
  if (isLeaf(value)) {
    return value;
  }
  if (value instanceof Date && Object.getPrototypeOf(value) === Date.prototype) {
    return toStateDate(value);
  }
  const object = value as object;
  const kind = enterContainer(object, path, ancestors);
  let copy: unknown;
  switch (kind) {
    case "array":
      copy = (object as unknown[]).map((item, index) => copyIntoState(item, `${path}[${index}]`, ancestors));
      break;
    case "map": {
      const map = new Map<unknown, unknown>();
      for (const [key, item] of object as Map<unknown, unknown>) {
        requireKeepableKey(key, path);
        map.set(key, copyIntoState(item, childPath(path, key), ancestors));
      }
      copy = map;
      break;
    }
    case "set":
      requireKeepableMembers(object as Set<unknown>, path);
      copy = new Set(object as Set<unknown>);
      break;
    case "object": {
      requireDataProperties(object, path);
      const record: Record<string, unknown> = Object.getPrototypeOf(object) === null ? Object.create(null) : {};
      for (const [key, item] of Object.entries(object)) {
        defineDataProperty(record, key, copyIntoState(item, childPath(path, key), ancestors));
      }
      copy = record;
      break;
    }
  }
  ancestors.delete(object);
  return copy;
}

/**
 * Writes an own data property, also for the key `__proto__` (which an assignment would turn into a
 * change of prototype).
 *
 * @internal
 */
export function defineDataProperty(target: object, key: PropertyKey, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    (target as Record<PropertyKey, unknown>)[key] = value;
  }
}
