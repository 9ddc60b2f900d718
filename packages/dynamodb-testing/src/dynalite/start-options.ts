import type { DynamoDBClientConfig } from "@aws-sdk/client-dynamodb";
import {
  optionalInteger,
  optionalObject,
  optionalSignal,
  requireOptionsObject,
} from "../option-validation.js";
import { IDEMPOTENCY_WINDOW_MS } from "./idempotency.js";

/**
 * Options of {@link startDynalite}. All are optional.
 *
 * @example
 * ```ts
 * const options: StartDynaliteOptions = { port: 0, createTableMs: 0, clientConfig: { maxAttempts: 3 } };
 * ```
 */
export interface StartDynaliteOptions {
  /** The TCP port to listen on, on 127.0.0.1. Default `0`: a free port the operating system picks. */
  readonly port?: number | undefined;
  /**
   * Aborts the start: the server is closed and the promise rejects with the signal's reason. It has
   * no effect once the promise has resolved; call `stop()` then.
   */
  readonly signal?: AbortSignal | undefined;
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
  /**
   * Extra configuration for `client` and `createClient()`, merged over the defaults (region
   * `us-east-1`, fake credentials, `maxAttempts: 1`). The endpoint cannot be overridden.
   */
  readonly clientConfig?: DynamoDBClientConfig | undefined;
}

/**
 * {@link StartDynaliteOptions} validated, with defaults applied.
 *
 * @internal
 */
export interface ResolvedDynaliteOptions {
  readonly port: number;
  readonly signal: AbortSignal | undefined;
  readonly createTableMs: number;
  readonly deleteTableMs: number;
  readonly updateTableMs: number;
  readonly idempotencyWindowMs: number;
  readonly clientConfig: DynamoDBClientConfig;
}

const KNOWN_OPTIONS = [
  "port",
  "signal",
  "createTableMs",
  "deleteTableMs",
  "updateTableMs",
  "idempotencyWindowMs",
  "clientConfig",
] as const;
const MAX_TIMER_MS = 2_147_483_647;

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
  const raw = requireOptionsObject(options, "options", KNOWN_OPTIONS);
  const port = optionalInteger(raw["port"], "options.port", 0, 65_535);
  const createTableMs = optionalInteger(raw["createTableMs"], "options.createTableMs", 0, MAX_TIMER_MS);
  const deleteTableMs = optionalInteger(raw["deleteTableMs"], "options.deleteTableMs", 0, MAX_TIMER_MS);
  const updateTableMs = optionalInteger(raw["updateTableMs"], "options.updateTableMs", 0, MAX_TIMER_MS);
  const idempotencyWindowMs = optionalInteger(raw["idempotencyWindowMs"], "options.idempotencyWindowMs", 0, Number.MAX_SAFE_INTEGER);
  const clientConfig = optionalObject(raw["clientConfig"], "options.clientConfig") as DynamoDBClientConfig | undefined;
  const signal = optionalSignal(raw["signal"], "options.signal");
  return {
    port: port ?? 0,
    signal,
    createTableMs: createTableMs ?? 0,
    deleteTableMs: deleteTableMs ?? 0,
    updateTableMs: updateTableMs ?? 0,
    idempotencyWindowMs: idempotencyWindowMs ?? IDEMPOTENCY_WINDOW_MS,
    clientConfig: clientConfig ?? {},
  };
}
