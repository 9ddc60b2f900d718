import type { DynamoDBClientConfig } from "@aws-sdk/client-dynamodb";
import type { ResolvedOptions } from "@projectionkit/core";
import { resolve } from "node:path";
import { IDEMPOTENCY_WINDOW_MS } from "./dynalite/idempotency.js";
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
 * The options both emulators take: {@link StartDynaliteOptions} and {@link StartDynamoDBLocalOptions}
 * add their own.
 *
 * @example
 * ```ts
 * const options: EmulatorStartOptions = { port: 0, clientConfig: { maxAttempts: 3 } };
 * ```
 */
export interface EmulatorStartOptions {
  /** The TCP port to listen on. Default `0`: a free port (see each emulator for how it is chosen). */
  readonly port?: number | undefined;
  /**
   * Aborts the start: the emulator is stopped and the promise rejects with the signal's reason. It
   * has no effect once the promise has resolved; call `stop()` then.
   */
  readonly signal?: AbortSignal | undefined;
  /**
   * Extra configuration for `client` and `createClient()`, merged over the defaults (region
   * `us-east-1`, fake credentials, `maxAttempts: 1`). The endpoint cannot be overridden.
   */
  readonly clientConfig?: DynamoDBClientConfig | undefined;
}

/** The common options, validated. */
interface ResolvedEmulatorOptions extends ResolvedOptions<EmulatorStartOptions, "port" | "clientConfig"> {
  readonly signal: AbortSignal | undefined;
}

const COMMON_OPTIONS = ["port", "signal", "clientConfig"] as const;
const MAX_TIMER_MS = 2_147_483_647;

function resolveCommon(raw: Readonly<Record<string, unknown>>): ResolvedEmulatorOptions {
  const port = optionalInteger(raw["port"], "options.port", 0, 65_535) ?? 0;
  const clientConfig = optionalObject(raw["clientConfig"], "options.clientConfig") as DynamoDBClientConfig | undefined;
  const signal = optionalSignal(raw["signal"], "options.signal");
  return { port, signal, clientConfig: clientConfig ?? {} };
}

/**
 * Options of {@link startDynalite}. All are optional.
 *
 * @example
 * ```ts
 * const options: StartDynaliteOptions = { port: 0, createTableMs: 0, clientConfig: { maxAttempts: 3 } };
 * ```
 */
export interface StartDynaliteOptions extends EmulatorStartOptions {
  /** The TCP port to listen on, on 127.0.0.1. Default `0`: a free port the operating system picks. */
  readonly port?: number | undefined;
  /**
   * How long a new table stays `CREATING` (not usable) before it becomes `ACTIVE`, in milliseconds.
   * Default `0`: at once. dynalite's own default is 500.
   */
  readonly createTableMs?: number | undefined;
  /** How long a deleted table stays `DELETING`, in milliseconds. Default `0`. */
  readonly deleteTableMs?: number | undefined;
  /** How long an updated table stays `UPDATING`, in milliseconds. Default `0`. */
  readonly updateTableMs?: number | undefined;
  /**
   * How long a `TransactWriteItems` `ClientRequestToken` is remembered, in milliseconds. Default
   * 600 000 (10 minutes, as DynamoDB).
   */
  readonly idempotencyWindowMs?: number | undefined;
}

/**
 * {@link StartDynaliteOptions} validated, with defaults applied.
 *
 * @internal
 */
export interface ResolvedDynaliteOptions extends ResolvedEmulatorOptions, ResolvedOptions<StartDynaliteOptions, "createTableMs" | "deleteTableMs" | "updateTableMs" | "idempotencyWindowMs"> {}

/**
 * Validates the options of {@link startDynalite} and applies the defaults.
 *
 * @internal
 * @param options - the options as received.
 * @returns the resolved options.
 * @throws `InvalidArgumentError` naming the first malformed option, e.g. `options.port`.
 * @throws the signal's reason when `options.signal` is already aborted.
 */
export function resolveDynaliteOptions(options: StartDynaliteOptions | undefined): ResolvedDynaliteOptions {
  const raw = requireOptionsObject(options, "options", [...COMMON_OPTIONS, "createTableMs", "deleteTableMs", "updateTableMs", "idempotencyWindowMs"]);
  const createTableMs = optionalInteger(raw["createTableMs"], "options.createTableMs", 0, MAX_TIMER_MS) ?? 0;
  const deleteTableMs = optionalInteger(raw["deleteTableMs"], "options.deleteTableMs", 0, MAX_TIMER_MS) ?? 0;
  const updateTableMs = optionalInteger(raw["updateTableMs"], "options.updateTableMs", 0, MAX_TIMER_MS) ?? 0;
  const idempotencyWindowMs = optionalInteger(raw["idempotencyWindowMs"], "options.idempotencyWindowMs", 0, Number.MAX_SAFE_INTEGER);
  return { ...resolveCommon(raw), createTableMs, deleteTableMs, updateTableMs, idempotencyWindowMs: idempotencyWindowMs ?? IDEMPOTENCY_WINDOW_MS };
}

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
export interface StartDynamoDBLocalOptions extends EmulatorStartOptions {
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
}

/**
 * {@link StartDynamoDBLocalOptions} validated, with defaults applied.
 *
 * @internal
 */
export interface ResolvedStartOptions extends Omit<ResolvedEmulatorOptions, "port"> {
  /** The port, or `undefined` to choose a free one. */
  readonly port: number | undefined;
  /** An absolute cache directory. */
  readonly cacheDirectory: string;
  /** The java executable. */
  readonly javaPath: string;
  /** The readiness timeout. */
  readonly startTimeoutMs: number;
}

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
  const raw = requireOptionsObject(options, "options", [...COMMON_OPTIONS, "cacheDirectory", "javaPath", "startTimeoutMs"]);
  const cacheDirectory = optionalNonEmptyString(raw["cacheDirectory"], "options.cacheDirectory");
  const javaPath = optionalNonEmptyString(raw["javaPath"], "options.javaPath");
  const startTimeoutMs = optionalInteger(raw["startTimeoutMs"], "options.startTimeoutMs", 1, MAX_TIMER_MS);
  const common = resolveCommon(raw);
  return {
    ...common,
    port: common.port === 0 ? undefined : common.port,
    cacheDirectory: cacheDirectory === undefined ? defaultDynamoDBLocalCacheDirectory() : resolve(cacheDirectory),
    javaPath: javaPath ?? defaultJavaPath(),
    startTimeoutMs: startTimeoutMs ?? 60_000,
  };
}
