import { codedError, type ProjectionKitErrorOptions } from "@projectionkit/core";

declare module "@projectionkit/core" {
  interface ProjectionKitErrorCodes {
    ERR_TABLE_NOT_FOUND: TableNotFoundError;
    ERR_NO_CREDENTIALS: NoCredentialsError;
    ERR_NO_REGION: NoRegionError;
    ERR_ACCESS_DENIED: AccessDeniedError;
    ERR_ENDPOINT_UNREACHABLE: EndpointUnreachableError;
  }
}

/**
 * Where requests go, for messages: the endpoint given with `--endpoint`, or the region's DynamoDB.
 *
 * @example
 * ```ts
 * const target: RequestTarget = { endpoint: "http://127.0.0.1:8000", region: "us-east-1" };
 * ```
 */
export interface RequestTarget {
  /** The endpoint URL, when one was given. */
  readonly endpoint: string | undefined;
  /** The region requests are signed for. */
  readonly region: string;
}

/**
 * Describes a target for messages, e.g. `"http://127.0.0.1:8000"` or `"DynamoDB in eu-west-1"`.
 *
 * @param target - the endpoint and region.
 * @returns the description.
 *
 * @example
 * ```ts
 * describeTarget({ endpoint: undefined, region: "eu-west-1" }); // "DynamoDB in eu-west-1"
 * ```
 */
export function describeTarget(target: RequestTarget): string {
  return target.endpoint ?? `DynamoDB in ${target.region}`;
}

/**
 * The table does not exist where the requests went (that endpoint, or that region of the account
 * the credentials belong to). DynamoDB Local keeps one database per access key and region unless
 * it was started with `-sharedDb`: the same credentials and region as the writer must be used.
 * Not retryable. Exit code 3.
 *
 * Code: `ERR_TABLE_NOT_FOUND`.
 *
 * @example
 * ```ts
 * if (isProjectionKitError(error, "ERR_TABLE_NOT_FOUND")) console.error(`no table ${error.table}`);
 * ```
 */
export class TableNotFoundError extends codedError("ERR_TABLE_NOT_FOUND", "TableNotFoundError") {
  /** The table's name. */
  readonly table: string;

  /**
   * @param table - the table's name.
   * @param target - where the request went.
   * @param cause - the service's `ResourceNotFoundException`.
   */
  constructor(table: string, target: RequestTarget, cause?: unknown) {
    super(
      `table ${table} not found at ${describeTarget(target)} (region ${target.region})` +
        (target.endpoint === undefined ? "" : "; DynamoDB Local keeps one database per access key and region unless started with -sharedDb"),
      cause === undefined ? {} : { cause },
    );
    this.table = table;
  }
}

/**
 * No AWS credentials were found by the SDK's default chain (environment, shared files, SSO,
 * container or instance role). Exit code 5.
 *
 * Code: `ERR_NO_CREDENTIALS`.
 *
 * @example
 * ```ts
 * if (isProjectionKitError(error, "ERR_NO_CREDENTIALS")) console.error(error.message);
 * ```
 */
export class NoCredentialsError extends codedError("ERR_NO_CREDENTIALS", "NoCredentialsError") {
  /**
   * @param options - the SDK's `CredentialsProviderError` as `cause`.
   */
  constructor(options: ProjectionKitErrorOptions = {}) {
    super(
      "no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), " +
        "or AWS_PROFILE for a profile in ~/.aws/credentials or ~/.aws/config (run `aws sso login` for an SSO profile), " +
        "or run where an IAM role provides them; for a local emulator pass --endpoint",
      options,
    );
  }
}

/**
 * No region was given and the SDK found none (`AWS_REGION`, the profile's `region`). Exit code 2.
 *
 * Code: `ERR_NO_REGION`.
 *
 * @example
 * ```ts
 * if (isProjectionKitError(error, "ERR_NO_REGION")) console.error(error.message);
 * ```
 */
export class NoRegionError extends codedError("ERR_NO_REGION", "NoRegionError") {
  /**
   * @param options - the SDK's error as `cause`.
   */
  constructor(options: ProjectionKitErrorOptions = {}) {
    super("no AWS region: pass --region, or set AWS_REGION or a region in your AWS profile", options);
  }
}

/**
 * The service refused the request's credentials (unknown or expired keys, a bad signature) or
 * their permissions (`AccessDeniedException`). Exit code 5.
 *
 * Code: `ERR_ACCESS_DENIED`.
 *
 * @example
 * ```ts
 * if (isProjectionKitError(error, "ERR_ACCESS_DENIED")) console.error(error.serviceErrorName, error.message);
 * ```
 */
export class AccessDeniedError extends codedError("ERR_ACCESS_DENIED", "AccessDeniedError") {
  /** The service's error name, e.g. `"UnrecognizedClientException"` or `"AccessDeniedException"`. */
  readonly serviceErrorName: string;

  /**
   * @param operation - the refused operation, e.g. `"Scan"`.
   * @param target - where the request went.
   * @param cause - the service's exception.
   */
  constructor(operation: string, target: RequestTarget, cause: Error) {
    super(`${describeTarget(target)} refused ${operation}: ${cause.name}: ${cause.message}`, { cause });
    this.serviceErrorName = cause.name;
  }
}

/**
 * The endpoint could not be reached: connection refused, a name that does not resolve, a timeout.
 * The SDK had already retried. Retryable. Exit code 6.
 *
 * Code: `ERR_ENDPOINT_UNREACHABLE`.
 *
 * @example
 * ```ts
 * if (isProjectionKitError(error, "ERR_ENDPOINT_UNREACHABLE")) console.error(error.message);
 * ```
 */
export class EndpointUnreachableError extends codedError("ERR_ENDPOINT_UNREACHABLE", "EndpointUnreachableError") {
  /**
   * @param target - where the request went.
   * @param cause - the network error.
   */
  constructor(target: RequestTarget, cause: unknown) {
    const reason = cause instanceof Error ? (((cause as { code?: unknown }).code as string | undefined) ?? cause.message) : String(cause);
    super(`cannot reach ${describeTarget(target)}: ${reason}`, { cause, retryable: true });
  }
}
