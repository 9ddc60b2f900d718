import { isServiceError, type Item } from "./dynalite-internals.js";

const DYNAMODB = "com.amazonaws.dynamodb.v20120810";
const VALIDATE = "com.amazon.coral.validate";

/**
 * One entry of a `TransactionCanceledException`'s `CancellationReasons`, field for field as
 * DynamoDB Local 1.25.1 sends it (`Item` only with `ReturnValuesOnConditionCheckFailure: ALL_OLD`
 * on an existing item; no `Message` for `None`).
 *
 * @internal
 */
export interface CancellationReason {
  readonly Item?: Item;
  readonly Code: "None" | "ConditionalCheckFailed" | "ValidationError";
  readonly Message?: string;
}

/**
 * The JSON body of a DynamoDB error response.
 *
 * @internal
 */
export interface WireErrorBody {
  readonly __type: string;
  readonly CancellationReasons?: readonly CancellationReason[];
  readonly Message?: string;
  readonly message?: string;
}

/**
 * An error answered to the client in DynamoDB's JSON error format, which the AWS SDK maps to its
 * exception classes by `__type` (e.g. `TransactionCanceledException` with `CancellationReasons`).
 *
 * @internal
 */
export class WireError extends Error {
  override readonly name = "WireError";
  /** The HTTP status code. */
  readonly statusCode: number;
  /** The JSON body. */
  readonly body: WireErrorBody;

  /**
   * @param statusCode - e.g. 400.
   * @param body - the JSON body, with `__type`.
   */
  constructor(statusCode: number, body: WireErrorBody) {
    super(body.Message ?? body.message ?? body.__type);
    this.statusCode = statusCode;
    this.body = body;
  }
}

/**
 * A `ValidationException` (400).
 *
 * @internal
 * @param message - DynamoDB Local's message.
 * @returns the error to throw.
 */
export function validationException(message: string): WireError {
  return new WireError(400, { __type: `${VALIDATE}#ValidationException`, Message: message });
}

/**
 * The `ResourceNotFoundException` DynamoDB Local answers when a transaction names a table that
 * does not exist (or is not active).
 *
 * @internal
 * @returns the error to throw.
 */
export function resourceNotFound(): WireError {
  return new WireError(400, {
    __type: `${DYNAMODB}#ResourceNotFoundException`,
    Message: "Cannot do operations on a non-existent table",
  });
}

/**
 * A `TransactionCanceledException` with one reason per action, and DynamoDB's message listing the
 * codes, e.g. `"Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]"`.
 *
 * @internal
 * @param reasons - the reasons, in the order of the actions.
 * @returns the error to throw.
 */
export function transactionCanceled(reasons: readonly CancellationReason[]): WireError {
  return new WireError(400, {
    __type: `${DYNAMODB}#TransactionCanceledException`,
    CancellationReasons: reasons,
    Message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons
      .map((reason) => reason.Code)
      .join(", ")}]`,
  });
}

/**
 * A `TransactionCanceledException` with a message and no reasons, as DynamoDB Local answers a
 * `TransactGetItems` whose key does not match the table's key schema.
 *
 * @internal
 * @param message - the message.
 * @returns the error to throw.
 */
export function transactionCanceledWithoutReasons(message: string): WireError {
  return new WireError(400, { __type: `${DYNAMODB}#TransactionCanceledException`, Message: message });
}

/**
 * The `IdempotentParameterMismatchException` for a `ClientRequestToken` reused with another
 * request; DynamoDB Local sends an empty message.
 *
 * @internal
 * @returns the error to throw.
 */
export function idempotentParameterMismatch(): WireError {
  return new WireError(400, { __type: `${DYNAMODB}#IdempotentParameterMismatchException`, Message: "" });
}

/**
 * The 500 `InternalFailure` DynamoDB answers for an unexpected error.
 *
 * @internal
 * @returns the error to send.
 */
export function internalFailure(): WireError {
  return new WireError(500, {
    __type: `${DYNAMODB}#InternalFailure`,
    Message: "The request processing has failed because of an unknown error, exception or failure.",
  });
}

/**
 * Converts one of dynalite's client errors (validation, serialization) into a {@link WireError},
 * keeping its `__type` and message; anything else is rethrown as is.
 *
 * @internal
 * @param error - what dynalite threw or returned.
 * @returns the wire error.
 * @throws `error` itself when it is not a dynalite client error.
 */
export function fromDynaliteError(error: unknown): WireError {
  if (error instanceof WireError) {
    return error;
  }
  if (!isServiceError(error)) {
    throw error;
  }
  const message = error.body.Message ?? error.body.message;
  return new WireError(error.statusCode, {
    __type: error.body.__type,
    ...(message === undefined ? {} : { Message: message }),
  });
}
