/**
 * A resource: a non-empty byte string chosen by the engine, usually the id of an event stream.
 * The handler stores one {@link Version} per resource.
 *
 * @example
 * ```ts
 * const resource: Resource = new TextEncoder().encode("account-42");
 * ```
 */
export type Resource = Uint8Array;

/**
 * A version: a byte string, opaque to the handler. The empty version (length 0) means "no version":
 * a resource that was never written, or was deleted, has the empty version.
 *
 * @example
 * ```ts
 * const version: Version = encodeOffset(7);
 * ```
 */
export type Version = Uint8Array;

/**
 * What a version argument may be: absent (`undefined` or `null`) and empty are the same thing, the
 * empty version.
 *
 * @example
 * ```ts
 * await repository.updateResourceVersion(resource, undefined, encodeOffset(0)); // create
 * ```
 */
export type VersionInput = Uint8Array | null | undefined;

/**
 * The empty version. Results never use `undefined` for it; they use a zero-length array.
 *
 * @example
 * ```ts
 * isEmptyVersion(EMPTY_VERSION); // true
 * ```
 */
export const EMPTY_VERSION: Version = Object.freeze(new Uint8Array(0)) as Version;

/**
 * Tells whether `version` is the empty version (absent counts as empty).
 *
 * @param version - the version to test.
 * @returns `true` for `undefined`, `null` and zero-length arrays.
 *
 * @example
 * ```ts
 * isEmptyVersion(undefined); // true
 * isEmptyVersion(encodeOffset(0)); // false
 * ```
 */
export function isEmptyVersion(version: VersionInput): boolean {
  return version === undefined || version === null || version.length === 0;
}

/**
 * Compares two versions byte by byte; absent equals empty.
 *
 * @param a - one version.
 * @param b - the other.
 * @returns whether they are the same version.
 *
 * @example
 * ```ts
 * versionsEqual(undefined, new Uint8Array()); // true
 * versionsEqual(encodeOffset(1), encodeOffset(1)); // true
 * ```
 */
export function versionsEqual(a: VersionInput, b: VersionInput): boolean {
  const left = a ?? EMPTY_VERSION;
  const right = b ?? EMPTY_VERSION;
  if (left.length !== right.length) {
    return false;
  }
  for (let i = 0; i < left.length; i++) {
    if (left[i] !== right[i]) {
      return false;
    }
  }
  return true;
}

/**
 * Compares two versions in byte order (shorter first on a common prefix), absent being empty. For
 * versions made by {@link encodeOffset} this is the order of the offsets.
 *
 * @param a - one version.
 * @param b - the other.
 * @returns a negative number when `a` sorts first, positive when `b` does, 0 when equal.
 *
 * @example
 * ```ts
 * compareVersions(encodeOffset(9), encodeOffset(10)) < 0; // true
 * ```
 */
export function compareVersions(a: VersionInput, b: VersionInput): number {
  const left = a ?? EMPTY_VERSION;
  const right = b ?? EMPTY_VERSION;
  const length = Math.min(left.length, right.length);
  for (let i = 0; i < length; i++) {
    const difference = (left[i] as number) - (right[i] as number);
    if (difference !== 0) {
      return difference;
    }
  }
  return left.length - right.length;
}
