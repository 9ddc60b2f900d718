import type { DynamoDBClientConfig } from "@aws-sdk/client-dynamodb";
import { resolve } from "node:path";
import { defaultDynamoDBLocalCacheDirectory } from "./emulator-cache.js";
import { defaultJavaPath } from "./java-process.js";
import {
  optionalInteger,
  optionalNonEmptyString,
  optionalObject,
  optionalSignal,
  requireOptionsObject,
} from "./option-validation.js";

/**
 * Options of {@link startDynamoDBLocal}. All are optional.
 *
 * @example
 * ```ts
 * const options: StartDynamoDBLocalOptions = {
 *   startTimeoutMs: 30_000,
 *   clientConfig: { maxAttempts: 3 },
 * };
 * ```
 */
export interface StartDynamoDBLocalOptions {
  /**
   * The TCP port to listen on (DynamoDB Local binds all interfaces). Default, or `0`: a port the
   * operating system reports free; if another process takes it before Java binds it, the start is
   * retried on a new port. A given port is not retried.
   */
  readonly port?: number | undefined;
  /**
   * Where the emulator is cached (downloaded on first use). Default:
   * {@link defaultDynamoDBLocalCacheDirectory} (`$PROJECTIONKIT_DYNAMODB_LOCAL_DIR`, else
   * `node_modules/.cache/projectionkit/dynamodb-local-1.25.1`, else the OS temp directory).
   */
  readonly cacheDirectory?: string | undefined;
  /**
   * The `java` executable (Java 17 or later). Default: `$JAVA_HOME/bin/java` if `JAVA_HOME` is
   * set, else `java` from `PATH`.
   */
  readonly javaPath?: string | undefined;
  /**
   * How long Java may take, from launch, to answer its first request, in milliseconds. The download
   * on first use is not counted. Default 60 000.
   */
  readonly startTimeoutMs?: number | undefined;
  /**
   * Aborts the start (download, launch, readiness wait): Java is killed and the promise rejects with
   * the signal's reason. It has no effect once the promise has resolved; call `stop()` then.
   */
  readonly signal?: AbortSignal | undefined;
  /**
   * Extra configuration for `client` and `createClient()`, merged over the defaults (region
   * `us-east-1`, fake credentials, `maxAttempts: 1`). The endpoint cannot be overridden.
   */
  readonly clientConfig?: DynamoDBClientConfig | undefined;
}

/**
 * {@link StartDynamoDBLocalOptions} validated, with defaults applied.
 *
 * @internal
 */
export interface ResolvedStartOptions {
  /** The port, or `undefined` to choose a free one. */
  readonly port: number | undefined;
  /** An absolute cache directory. */
  readonly cacheDirectory: string;
  /** The java executable. */
  readonly javaPath: string;
  /** The readiness timeout. */
  readonly startTimeoutMs: number;
  /** The abort signal, if any. */
  readonly signal: AbortSignal | undefined;
  /** Extra client configuration. */
  readonly clientConfig: DynamoDBClientConfig;
}

const KNOWN_OPTIONS = ["port", "cacheDirectory", "javaPath", "startTimeoutMs", "signal", "clientConfig"] as const;
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Validates the options of {@link startDynamoDBLocal} and applies the defaults. Does no I/O other
 * than looking for the nearest `node_modules` folder when `cacheDirectory` is not given.
 *
 * @internal
 * @param options - the options as received.
 * @returns the resolved options.
 * @throws `InvalidArgumentError` naming the first malformed option, e.g. `options.port`.
 * @throws the signal's reason when `options.signal` is already aborted.
 */
export function resolveStartOptions(options: StartDynamoDBLocalOptions | undefined): ResolvedStartOptions {
  const raw = requireOptionsObject(options, "options", KNOWN_OPTIONS);
  const port = optionalInteger(raw["port"], "options.port", 0, 65_535);
  const cacheDirectory = optionalNonEmptyString(raw["cacheDirectory"], "options.cacheDirectory");
  const javaPath = optionalNonEmptyString(raw["javaPath"], "options.javaPath");
  const startTimeoutMs = optionalInteger(raw["startTimeoutMs"], "options.startTimeoutMs", 1, MAX_TIMER_MS);
  const clientConfig = optionalObject(raw["clientConfig"], "options.clientConfig") as DynamoDBClientConfig | undefined;
  const signal = optionalSignal(raw["signal"], "options.signal");
  return {
    port: port === 0 ? undefined : port,
    cacheDirectory: cacheDirectory === undefined ? defaultDynamoDBLocalCacheDirectory() : resolve(cacheDirectory),
    javaPath: javaPath ?? defaultJavaPath(),
    startTimeoutMs: startTimeoutMs ?? 60_000,
    signal,
    clientConfig: clientConfig ?? {},
  };
}
