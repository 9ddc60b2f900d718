import { describeValue } from "../describe-value.js";
import { codedError } from "./coded-error.js";
import type { ProjectionKitErrorOptions } from "./projection-kit-error.js";

/**
 * A handler's identity is malformed: the name must be 1–255 printable characters without white
 * space, the key a UUID string (`xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, hexadecimal).
 *
 * Code: `ERR_INVALID_IDENTITY`.
 *
 * @example
 * ```ts
 * validateIdentity({ name: "account balances", key: "nope" }); // throws; field === "name"
 * ```
 */
export class InvalidIdentityError extends codedError("ERR_INVALID_IDENTITY", "InvalidIdentityError") {
  /** Which part of the identity is malformed. */
  readonly field: "name" | "key";
  /** The malformed value, as given. */
  readonly value: unknown;

  /**
   * @param field - which part of the identity is malformed.
   * @param value - the malformed value, as given.
   * @param message - what is wrong with it.
   */
  constructor(field: "name" | "key", value: unknown, message: string) {
    super(`invalid identity ${field} ${echoValue(value)}: ${message}`);
    this.field = field;
    this.value = value;
  }
}

/** The longest text of a malformed value that a message repeats; longer ones are cut (E2). */
const MAX_ECHOED_LENGTH = 40;

/** A malformed value for a message: a short prefix of a long string, the type of anything else. */
function echoValue(value: unknown): string {
  if (typeof value !== "string") {
    return typeof value === "number" || typeof value === "boolean" || value === undefined || value === null ? String(value) : `(${describeValue(value)})`;
  }
  const characters = [...value];
  return characters.length <= MAX_ECHOED_LENGTH
    ? JSON.stringify(value)
    : `${JSON.stringify(characters.slice(0, MAX_ECHOED_LENGTH).join(""))}… (${characters.length} characters)`;
}

/**
 * A handler's `configure` method declared something unusable: no identity or two identities, no
 * event types, an event type twice, or a different answer on a second call (H1).
 *
 * Code: `ERR_INVALID_CONFIGURATION`.
 *
 * @example
 * ```ts
 * readProjectionConfiguration({ ...handler, configure() {} }); // throws: no identity
 * ```
 */
export class InvalidConfigurationError extends codedError("ERR_INVALID_CONFIGURATION", "InvalidConfigurationError") {
  /**
   * @param message - what is wrong with the configuration.
   * @param options - the cause, e.g. an {@link InvalidIdentityError}.
   */
  constructor(message: string, options?: ProjectionKitErrorOptions) {
    super(message, options);
  }
}

/**
 * A handler received an event of a type it did not declare in `configure` (H3). This is a
 * programming error in the engine's routing; nothing was written. Not retryable.
 *
 * Code: `ERR_UNEXPECTED_MESSAGE`.
 *
 * @example
 * ```ts
 * if (isProjectionKitError(error, "ERR_UNEXPECTED_MESSAGE")) {
 *   console.error(`${error.handlerName} does not handle ${error.eventType}`);
 * }
 * ```
 */
export class UnexpectedMessageError extends codedError("ERR_UNEXPECTED_MESSAGE", "UnexpectedMessageError") {
  /** The identity name of the handler. */
  readonly handlerName: string;
  /** The type of the event it received. */
  readonly eventType: string;

  /**
   * @param handlerName - the identity name of the handler.
   * @param eventType - the type of the event it received.
   */
  constructor(handlerName: string, eventType: string) {
    super(
      `projection ${JSON.stringify(handlerName)} does not handle events of type ${JSON.stringify(eventType)}; declare the type with configurer.handlesEvents()`,
    );
    this.handlerName = handlerName;
    this.eventType = eventType;
  }
}
