import { InvalidArgumentError } from "../errors/argument-errors.js";
import { describeValue } from "../validation.js";

/**
 * Reads a field of a Lambda record that must be a non-empty string.
 *
 * @param value - the field's value.
 * @param argument - the field's path, e.g. `event.Records[2].kinesis.sequenceNumber`.
 * @param hint - what a missing value means, appended to the message.
 * @returns the string.
 * @throws `InvalidArgumentError` naming the field.
 *
 * @example
 * ```ts
 * const group = requireRecordString(record.attributes.MessageGroupId, "event.Records[0].attributes.MessageGroupId", "not a FIFO queue");
 * ```
 */
export function requireRecordString(value: unknown, argument: string, hint?: string): string {
  if (typeof value !== "string" || value.length === 0) {
    const got = typeof value === "string" ? '""' : describeValue(value);
    throw new InvalidArgumentError(argument, `expected a non-empty string, got ${got}${hint === undefined ? "" : ` (${hint})`}`);
  }
  return value;
}

/**
 * A date from milliseconds since the epoch, or `undefined` when the value is not a usable time.
 *
 * @param ms - milliseconds since the epoch.
 * @returns the date, or `undefined`.
 *
 * @example
 * ```ts
 * epochDate(Number(record.attributes.SentTimestamp)); // a Date, or undefined
 * ```
 */
export function epochDate(ms: unknown): Date | undefined {
  if (typeof ms !== "number" || !Number.isFinite(ms)) {
    return undefined;
  }
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
