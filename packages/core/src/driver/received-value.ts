import { describeValue } from "../describe-value.js";

/** The longest string a message repeats; a longer one is cut (E2). */
const MAX_ECHOED_LENGTH = 40;

/**
 * How an error message names a value it did not accept (E2): a number as itself (`-1`, `1.5`),
 * a string quoted and cut to a short prefix (so that `"4"` is never read as the number 4), and
 * anything else by its type.
 *
 * @param value - the value as received.
 * @returns the words for the message, after "got ".
 * @internal
 */
export function receivedValue(value: unknown): string {
  if (typeof value === "number" || typeof value === "bigint") {
    return String(value);
  }
  if (typeof value === "string") {
    const shown = value.length <= MAX_ECHOED_LENGTH ? value : `${value.slice(0, MAX_ECHOED_LENGTH)}…`;
    return `the string ${JSON.stringify(shown)}`;
  }
  return describeValue(value);
}
