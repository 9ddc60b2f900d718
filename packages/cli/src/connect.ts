import { DynamoDBClient, type DynamoDBClientConfig } from "@aws-sdk/client-dynamodb";
import { InvalidArgumentError, requireOperationOptions, type OperationOptions } from "@projectionkit/core";
import { describeInput } from "./describe-input.js";
import { NoCredentialsError, NoRegionError, type RequestTarget } from "./cli-errors.js";

/**
 * Options of {@link connectDynamoDB}.
 *
 * @example
 * ```ts
 * const options: ConnectOptions = { endpoint: "http://127.0.0.1:8000" };
 * ```
 */
export interface ConnectOptions extends OperationOptions {
  /**
   * An endpoint URL (a local emulator, a VPC endpoint). Without it, requests go to DynamoDB in the
   * region, with the SDK's default credential chain.
   */
  readonly endpoint?: string | undefined;
  /** The region. Default: the SDK's (`AWS_REGION`, the profile); with an endpoint, `us-east-1` if none. */
  readonly region?: string | undefined;
  /** More client configuration (e.g. `maxAttempts`), applied last. */
  readonly clientConfig?: DynamoDBClientConfig | undefined;
}

/**
 * A client and where it sends requests, as {@link connectDynamoDB} makes them. Dispose of it (or
 * call `client.destroy()`) when done.
 *
 * @example
 * ```ts
 * using connection = await connectDynamoDB({ endpoint });
 * await connection.client.send(new ListTablesCommand({}));
 * ```
 */
export interface Connection extends Disposable {
  /** The client. */
  readonly client: DynamoDBClient;
  /** Where requests go, for messages. */
  readonly target: RequestTarget;
  /**
   * Whose credentials sign the requests: the SDK's default chain, or (with an endpoint, when the
   * chain found none) the placeholder {@link PLACEHOLDER_CREDENTIALS}.
   */
  readonly credentials: "default chain" | "placeholder";
}

/**
 * The credentials used with an endpoint when the default chain finds none: emulators accept any.
 * The same as `@projectionkit/dynamodb-testing`'s clients use, so that the CLI sees the tables that
 * tests made on DynamoDB Local (which keeps one database per access key and region).
 *
 * @example
 * ```ts
 * PLACEHOLDER_CREDENTIALS.accessKeyId; // "projectionkit"
 * ```
 */
export const PLACEHOLDER_CREDENTIALS: Readonly<{ accessKeyId: string; secretAccessKey: string }> = Object.freeze({
  accessKeyId: "projectionkit",
  secretAccessKey: "projectionkit",
});

/** The region used with an endpoint when none is configured. */
const PLACEHOLDER_REGION = "us-east-1";

/** Time to open a connection before the attempt counts as failed (the SDK retries it). */
const CONNECTION_TIMEOUT_MS = 5_000;
/** Time a request may wait for its answer; a scan page of 1 MB comes well within it. */
const REQUEST_TIMEOUT_MS = 60_000;

/**
 * Makes a DynamoDB client for the CLI and resolves its region and credentials before any request,
 * so that their absence is a clear error rather than a failed request:
 *
 * - without `endpoint`: the SDK's default region and credential chain; no region is
 *   `NoRegionError`, no credentials `NoCredentialsError`;
 * - with `endpoint`: the same, falling back to region `us-east-1` and
 *   {@link PLACEHOLDER_CREDENTIALS} when the chain has none.
 *
 * The SDK retries failed requests (throttling, network errors) with its own backoff: 3 attempts,
 * or `AWS_MAX_ATTEMPTS`; `AWS_RETRY_MODE=adaptive` also paces requests under throttling.
 *
 * @param options - endpoint, region, more client configuration, an abort signal (resolving
 *   credentials may take requests, e.g. to SSO or an instance role).
 * @returns the connection.
 * @throws `InvalidArgumentError` for an endpoint that is not an http(s) URL or an empty region;
 *   `NoRegionError`; `NoCredentialsError`; the signal's reason when it aborts.
 *
 * @example
 * ```ts
 * using connection = await connectDynamoDB({ region: "eu-west-1" });
 * ```
 */
export async function connectDynamoDB(options: ConnectOptions = {}): Promise<Connection> {
  const endpoint = requireEndpoint(options.endpoint);
  if (options.region !== undefined && (typeof options.region !== "string" || options.region.length === 0)) {
    throw new InvalidArgumentError("options.region", `expected a region such as eu-west-1, got ${describeInput(options.region)}`);
  }
  const base: DynamoDBClientConfig = {
    requestHandler: { connectionTimeout: CONNECTION_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS },
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(options.region === undefined ? {} : { region: options.region }),
    ...options.clientConfig,
  };
  const { signal } = requireOperationOptions(options, "options", ["endpoint", "region", "clientConfig"]);
  const probe = new DynamoDBClient(base);
  let region: string;
  let placeholderRegion = false;
  try {
    region = await abortable(probe.config.region(), signal);
  } catch (error) {
    if (signal?.aborted === true || endpoint === undefined) {
      probe.destroy();
      throw signal?.aborted === true ? signal.reason : new NoRegionError({ cause: error });
    }
    region = PLACEHOLDER_REGION;
    placeholderRegion = true;
  }
  let placeholder = false;
  try {
    await abortable(probe.config.credentials(), signal);
  } catch (error) {
    if (signal?.aborted === true || endpoint === undefined) {
      probe.destroy();
      throw signal?.aborted === true ? signal.reason : new NoCredentialsError({ cause: error });
    }
    placeholder = true;
  }
  let client = probe;
  if (placeholder || placeholderRegion) {
    probe.destroy();
    client = new DynamoDBClient({ ...base, region, ...(placeholder ? { credentials: { ...PLACEHOLDER_CREDENTIALS } } : {}) });
  }
  return {
    client,
    target: { endpoint, region },
    credentials: placeholder ? "placeholder" : "default chain",
    [Symbol.dispose]: () => client.destroy(),
  };
}

/**
 * Checks an endpoint option: an http or https URL, or nothing.
 *
 * @internal
 */
export function requireEndpoint(endpoint: unknown, argument = "options.endpoint"): string | undefined {
  if (endpoint === undefined) {
    return undefined;
  }
  let url: URL | undefined;
  try {
    url = typeof endpoint === "string" ? new URL(endpoint) : undefined;
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw new InvalidArgumentError(argument, `expected an http or https URL such as http://127.0.0.1:8000, got ${describeInput(endpoint)}`);
  }
  return endpoint as string;
}

/** `promise`, or the signal's reason as soon as it aborts. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) {
    return promise;
  }
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
