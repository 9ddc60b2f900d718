import { InvalidStateUpdateError } from "./state-update-error.js";

const DATE_SETTERS = [
  "setDate",
  "setFullYear",
  "setHours",
  "setMilliseconds",
  "setMinutes",
  "setMonth",
  "setSeconds",
  "setTime",
  "setUTCDate",
  "setUTCFullYear",
  "setUTCHours",
  "setUTCMilliseconds",
  "setUTCMinutes",
  "setUTCMonth",
  "setUTCSeconds",
  "setYear",
] as const;

/**
 * The form a `Date` takes in a memory state: a `Date` whose setters throw, so that it cannot be
 * changed in place (a change the adapter could neither undo nor keep out of committed states).
 * Handlers replace a date instead: `state.seenAt = new Date(...)`.
 *
 * @internal
 */
export class StateDate extends Date {}

for (const name of DATE_SETTERS) {
  if (name in Date.prototype) {
    Object.defineProperty(StateDate.prototype, name, {
      value: function refuseDateChange(): never {
        throw new InvalidStateUpdateError(
          `a Date in a memory state cannot be changed in place (${name}); assign a new Date instead, e.g. state.at = new Date(...)`,
        );
      },
      writable: false,
      enumerable: false,
      configurable: false,
    });
  }
}

/**
 * The state's own, unchangeable copy of `date`.
 *
 * @internal
 */
export function toStateDate(date: Date): StateDate {
  return date instanceof StateDate ? date : Object.freeze(new StateDate(date.getTime()));
}
