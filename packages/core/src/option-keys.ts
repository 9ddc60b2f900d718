import { closest, distance } from "fastest-levenshtein";
import { InvalidArgumentError } from "./errors/argument-errors.js";
import { describeValue } from "./describe-value.js";

/** The longest name of an unknown key that a message repeats; longer ones are cut (E2). */
const MAX_ECHOED_KEY_LENGTH = 40;

/**
 * Checks that an options object has only keys the caller knows (E2): a misspelt option is an
 * error, never silently ignored (a misspelt `signal` would make a call that cannot be cancelled).
 * Absent (`undefined`, `null`) passes. The error names the key and, when one is close, the known
 * key it probably meant.
 *
 * @param value - the options as received.
 * @param argument - the name of the options argument, e.g. `"options"`.
 * @param known - the keys the options may have.
 * @returns `value`, typed as a record, or an empty object when absent.
 * @throws {@link InvalidArgumentError} for a value that is not an object, or an unknown key.
 *
 * @example
 * ```ts
 * requireKnownKeys({ sigal: controller.signal }, "options", ["signal", "onRequest"]);
 * // InvalidArgumentError: invalid options.sigal: unknown option (did you mean "signal"?); expected one of signal, onRequest
 * ```
 */
export function requireKnownKeys(value: unknown, argument: string, known: readonly string[]): Readonly<Record<string, unknown>> {
  if (value === undefined || value === null) {
    return {};
  }
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new InvalidArgumentError(argument, `expected an options object, got ${describeValue(value)}`);
  }
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      throw new InvalidArgumentError(`${argument}.${echoKey(key)}`, unknownKeyMessage(key, known));
    }
  }
  return value as Record<string, unknown>;
}

function unknownKeyMessage(key: string, known: readonly string[]): string {
  const expected = known.length === 0 ? "no options are accepted" : `expected one of ${known.join(", ")}`;
  const suggestion = nearestKey(key, known);
  return suggestion === undefined ? `unknown option; ${expected}` : `unknown option (did you mean "${suggestion}"?); ${expected}`;
}

/** The known key a misspelling most likely meant: at most a third of its letters differ. */
function nearestKey(key: string, known: readonly string[]): string | undefined {
  if (known.length === 0 || key.length > MAX_ECHOED_KEY_LENGTH) {
    return undefined;
  }
  const candidate = closest(key, known);
  const folded = distance(key.toLowerCase(), candidate.toLowerCase());
  return folded <= Math.max(1, Math.floor(candidate.length / 3)) ? candidate : undefined;
}

function echoKey(key: string): string {
  return key.length <= MAX_ECHOED_KEY_LENGTH ? key : `${key.slice(0, MAX_ECHOED_KEY_LENGTH)}…`;
}
