import { DynamoRequestError, ThrottledError, TransactionConflictError } from "./commit-errors.js";

const THROTTLING = new Set(["ThrottlingException", "ProvisionedThroughputExceededException", "RequestLimitExceeded"]);

/**
 * Maps a failed read or unconditional write to a typed error: the abort reason when the caller's
 * signal aborted, throttling and transaction conflicts to their retryable errors, anything else to
 * a {@link DynamoRequestError} that keeps the SDK's exception as `cause`.
 *
 * @internal
 */
export function mapRequestFailure(operation: string, error: unknown, signal: AbortSignal | undefined): unknown {
  if (signal?.aborted) {
    return signal.reason;
  }
  const exception = (typeof error === "object" && error !== null ? error : {}) as {
    name?: unknown;
    $retryable?: unknown;
    $metadata?: { httpStatusCode?: unknown };
  };
  if (typeof exception.name === "string" && THROTTLING.has(exception.name)) {
    return new ThrottledError(`${operation} was throttled (${exception.name})`, { cause: error });
  }
  if (exception.name === "TransactionConflictException") {
    return new TransactionConflictError(`${operation} conflicted with a concurrent transaction`, { cause: error });
  }
  const status = exception.$metadata?.httpStatusCode;
  const clientError = typeof status === "number" && status >= 400 && status < 500;
  return new DynamoRequestError(operation, error, exception.$retryable !== undefined || !clientError);
}

/**
 * The per-request options of `client.send`: the caller's abort signal and the configured timeout.
 *
 * @internal
 */
export function httpOptions(
  signal: AbortSignal | undefined,
  requestTimeoutMs: number | undefined,
): { abortSignal?: AbortSignal; requestTimeout?: number } {
  return {
    ...(signal === undefined ? {} : { abortSignal: signal }),
    ...(requestTimeoutMs === undefined ? {} : { requestTimeout: requestTimeoutMs }),
  };
}
