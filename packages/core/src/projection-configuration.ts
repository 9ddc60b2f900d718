import { InvalidArgumentError } from "./errors/argument-errors.js";
import { InvalidConfigurationError, UnexpectedMessageError } from "./errors/configuration-errors.js";
import { isProjectionKitError } from "./errors/projection-kit-error.js";
import { validateIdentity, type Identity } from "./identity.js";
import type { ProjectionConfigurer } from "./projection-configurer.js";
import type { ProjectionEvent } from "./projection-event.js";
import { describeValue } from "./describe-value.js";

/**
 * What a handler declared in `configure`, checked.
 *
 * @typeParam E - the events of the projection.
 *
 * @example
 * ```ts
 * const { identity, eventTypes } = readProjectionConfiguration(handler);
 * eventTypes.has("MoneyDeposited"); // true
 * ```
 */
export interface ProjectionConfiguration<E extends ProjectionEvent = ProjectionEvent> {
  /** The handler's identity. */
  readonly identity: Identity;
  /** The event types it consumes, in declaration order. */
  readonly eventTypes: ReadonlySet<E["type"]>;
}

/**
 * Anything with a `configure` method, such as a {@link ProjectionMessageHandler} or the
 * storage-specific handlers that adapters bind.
 *
 * @example
 * ```ts
 * const configurable: Configurable<AccountEvent> = {
 *   configure(c) {
 *     c.identity("account-balances", "0f4e1f5c-6b5d-4b7e-9d43-2b5f0f6a3c11");
 *     c.handlesEvents("AccountOpened");
 *   },
 * };
 * ```
 */
export interface Configurable<E extends ProjectionEvent = ProjectionEvent> {
  /**
   * Declares identity and event types (H1). Called when the handler is bound, and perhaps again: it
   * must give the same answer every time. The identity key names the projection's stored data (a
   * DynamoDB adapter writes it into every version item's key), so it must never change.
   *
   * @param configurer - receives the declarations.
   */
  configure(configurer: ProjectionConfigurer<E>): void;
}

/**
 * Calls `handler.configure` and checks what it declares: exactly one valid identity, at least one
 * event type, no event type twice, and the same answer on a second call (H1). Adapters call it once,
 * when a handler is bound; it does no I/O.
 *
 * @param handler - the handler to read.
 * @returns the checked configuration.
 * @throws {@link InvalidConfigurationError} (with an {@link InvalidIdentityError} as `cause` for a
 *   malformed identity).
 *
 * @example
 * ```ts
 * const configuration = readProjectionConfiguration(handler);
 * console.log(configuration.identity.key);
 * ```
 */
export function readProjectionConfiguration<E extends ProjectionEvent>(
  handler: Configurable<E>,
): ProjectionConfiguration<E> {
  if (typeof handler !== "object" || handler === null || typeof handler.configure !== "function") {
    throw new InvalidArgumentError("handler", `expected an object with a configure method, got ${describeValue(handler)}`);
  }
  const first = configureOnce(handler);
  const second = configureOnce(handler);
  if (
    first.identity.name !== second.identity.name ||
    first.identity.key !== second.identity.key ||
    [...first.eventTypes].join("\n") !== [...second.eventTypes].join("\n")
  ) {
    throw new InvalidConfigurationError(
      `handler ${JSON.stringify(first.identity.name)} gave a different configuration on a second call to configure(); it must give the same answer each time`,
    );
  }
  return first;
}

function configureOnce<E extends ProjectionEvent>(handler: Configurable<E>): ProjectionConfiguration<E> {
  let identity: Identity | undefined;
  const eventTypes = new Set<E["type"]>();
  const configurer: ProjectionConfigurer<E> = {
    identity(name, key) {
      if (identity !== undefined) {
        throw new InvalidConfigurationError(
          `configure() declared an identity twice (${JSON.stringify(identity.name)} and ${JSON.stringify(name)})`,
        );
      }
      try {
        identity = validateIdentity({ name, key });
      } catch (error) {
        if (isProjectionKitError(error, "ERR_INVALID_IDENTITY")) {
          throw new InvalidConfigurationError(`configure() declared an invalid identity: ${error.message}`, { cause: error });
        }
        throw error;
      }
    },
    handlesEvents(...types) {
      for (const type of types) {
        if (typeof type !== "string" || type.length === 0) {
          throw new InvalidConfigurationError(`configure() declared an event type that is not a non-empty string: ${describeValue(type)}`);
        }
        if (eventTypes.has(type)) {
          throw new InvalidConfigurationError(`configure() declared the event type ${JSON.stringify(type)} twice`);
        }
        eventTypes.add(type);
      }
    },
  };
  handler.configure(configurer);
  if (identity === undefined) {
    throw new InvalidConfigurationError("configure() did not declare an identity; call configurer.identity(name, key)");
  }
  if (eventTypes.size === 0) {
    throw new InvalidConfigurationError(
      `handler ${JSON.stringify(identity.name)} declared no event types; call configurer.handlesEvents(...)`,
    );
  }
  return { identity: Object.freeze({ ...identity }), eventTypes };
}

/**
 * Checks that `event` is of a type the configuration declares (H3), before anything is written.
 *
 * @param configuration - the handler's configuration.
 * @param event - the event received.
 * @param argument - its name, for the error. Default `"event"`.
 * @returns the event.
 * @throws {@link UnexpectedMessageError} for an undeclared type; {@link InvalidArgumentError} when
 *   `event` is not an object with a string `type`.
 *
 * @example
 * ```ts
 * requireHandledEvent(configuration, event); // throws ERR_UNEXPECTED_MESSAGE if undeclared
 * ```
 */
export function requireHandledEvent<E extends ProjectionEvent>(configuration: ProjectionConfiguration<E>, event: E, argument = "event"): E {
  if (typeof event !== "object" || event === null || typeof event.type !== "string") {
    throw new InvalidArgumentError(argument, `expected an object with a string type, got ${describeValue(event)}`);
  }
  if (!configuration.eventTypes.has(event.type)) {
    throw new UnexpectedMessageError(configuration.identity.name, event.type);
  }
  return event;
}
