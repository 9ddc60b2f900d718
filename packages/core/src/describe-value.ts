/**
 * Names a value's type for an error message without dumping its contents (which may be large or
 * secret). Adapters use it in their argument errors.
 *
 * @param value - any value.
 * @returns `"null"`, the constructor name of an object, or the `typeof` of anything else.
 *
 * @example
 * ```ts
 * describeValue(new Uint16Array(2)); // "Uint16Array"
 * describeValue("x"); // "string"
 * ```
 */
export function describeValue(value: unknown): string {
  if (value === null) {
    return "null";
  }
  if (typeof value === "object") {
    return value.constructor?.name ?? "object";
  }
  return typeof value;
}
