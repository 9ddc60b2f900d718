import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import {
  ThrottledError,
  TransactionCanceledError,
  TransactionConflictError,
  ItemConditionFailedError,
  MalformedCancellationError,
  DynamoRequestError,
  type CancellationReason,
} from "./commit-errors.js";

/**
 * What a failed write means for the version check.
 *
 * - `conflict`: the version condition failed; `storedItem` is the stored version item when
 *   DynamoDB returned it (`ReturnValuesOnConditionCheckFailure: ALL_OLD`).
 * - `unknown`: the request may or may not have committed (no response, a server error, our own
 *   earlier attempt still in progress); retrying with the same token finds out.
 * - `failed`: it did not commit; `error` is the typed error to raise.
 *
 * @internal
 */
export type WriteFailure =
  | { readonly kind: "conflict"; readonly storedItem: Record<string, AttributeValue> | undefined }
  | { readonly kind: "unknown"; readonly cause: unknown }
  | { readonly kind: "failed"; readonly error: Error };

interface ServiceException {
  readonly name?: unknown;
  readonly message?: unknown;
  readonly $fault?: unknown;
  readonly $retryable?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown };
  readonly Item?: Record<string, AttributeValue>;
  readonly CancellationReasons?: unknown;
}

const THROTTLING = new Set(["ThrottlingException", "ProvisionedThroughputExceededException", "RequestLimitExceeded"]);
const THROTTLING_REASONS = new Set(["ThrottlingError", "ProvisionedThroughputExceeded", "RequestLimitExceeded"]);

/**
 * Classifies an exception from a version write (D7, D8).
 *
 * @param operation - the operation, for error messages.
 * @param error - what `client.send` threw.
 * @internal
 */
export function classifyWriteFailure(operation: string, error: unknown): WriteFailure {
  const exception = (typeof error === "object" && error !== null ? error : {}) as ServiceException;
  const name = typeof exception.name === "string" ? exception.name : undefined;
  if (name === "ConditionalCheckFailedException") {
    return { kind: "conflict", storedItem: exception.Item };
  }
  if (name === "TransactionCanceledException") {
    return classifyCancellation(exception, error);
  }
  if (name === "TransactionConflictException") {
    return { kind: "failed", error: new TransactionConflictError(`${operation} conflicted with a concurrent transaction`, { cause: error }) };
  }
  if (name !== undefined && THROTTLING.has(name)) {
    return { kind: "failed", error: new ThrottledError(`${operation} was throttled (${name})`, { cause: error }) };
  }
  if (name === "TransactionInProgressException") {
    // An earlier attempt with the same token is still being processed: it may commit.
    return { kind: "unknown", cause: error };
  }
  const status = exception.$metadata?.httpStatusCode;
  if (typeof status === "number" && status >= 400 && status < 500) {
    return { kind: "failed", error: new DynamoRequestError(operation, error, exception.$retryable !== undefined) };
  }
  // No response, or a server error: DynamoDB may have committed the write (D8).
  return { kind: "unknown", cause: error };
}

function classifyCancellation(exception: ServiceException, error: unknown): WriteFailure {
  const raw = exception.CancellationReasons;
  if (!Array.isArray(raw) || raw.length === 0) {
    return {
      kind: "failed",
      error: new MalformedCancellationError("DynamoDB cancelled the transaction without reasons", { cause: error }),
    };
  }
  const reasons = raw.map((reason: unknown, index): CancellationReason & { item: Record<string, AttributeValue> | undefined } => {
    const r = (typeof reason === "object" && reason !== null ? reason : {}) as {
      Code?: unknown;
      Message?: unknown;
      Item?: Record<string, AttributeValue>;
    };
    return {
      index,
      code: typeof r.Code === "string" ? r.Code : "",
      message: typeof r.Message === "string" ? r.Message : undefined,
      item: r.Item,
    };
  });
  const version = reasons[0];
  if (version === undefined || version.code === "") {
    return {
      kind: "failed",
      error: new MalformedCancellationError("DynamoDB cancelled the transaction without a reason for the version write", { cause: error }),
    };
  }
  if (version.code === "ConditionalCheckFailed") {
    return { kind: "conflict", storedItem: version.item };
  }
  const failing = reasons.filter((reason) => reason.code !== "None");
  if (failing.some((reason) => reason.code === "TransactionConflict")) {
    return { kind: "failed", error: new TransactionConflictError("the transaction conflicted with a concurrent write", { cause: error }) };
  }
  if (failing.some((reason) => THROTTLING_REASONS.has(reason.code))) {
    return { kind: "failed", error: new ThrottledError("the transaction was throttled", { cause: error }) };
  }
  const itemFailure = failing.find((reason) => reason.index > 0 && reason.code === "ConditionalCheckFailed");
  if (itemFailure !== undefined) {
    return { kind: "failed", error: new ItemConditionFailedError(itemFailure.index - 1, itemFailure.item, { cause: error }) };
  }
  return {
    kind: "failed",
    error: new TransactionCanceledError(
      failing.map(({ index, code, message }) => ({ index, code, message })),
      { cause: error },
    ),
  };
}
