import { describeValue } from "@projectionkit/core";

/**
 * A malformed input for an error message: a string quoted, a number or boolean as is, anything
 * else by its type.
 *
 * @internal
 * @param value - the input.
 * @returns e.g. `"\"abc\""`, `"1.5"` or `"object"`.
 */
export function describeInput(value: unknown): string {
  if (typeof value === "string") {
    return JSON.stringify(value);
  }
  return typeof value === "number" || typeof value === "boolean" ? String(value) : describeValue(value);
}
