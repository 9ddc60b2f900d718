import type { DeliveryDriver } from "../driver/delivery-driver.js";
import type { DeliveryOutcome } from "../driver/delivery-report.js";
import { receivedValue } from "../driver/received-value.js";
import { InvalidArgumentError } from "../errors/argument-errors.js";
import { requireKnownKeys } from "../option-keys.js";
import type { ProjectionEvent } from "../projection-event.js";
import { describeValue } from "../validation.js";
import type { LambdaContextLike } from "./aws-event-shapes.js";
import type { BatchResponse } from "./batch-response.js";

/**
 * A record reported in the batch response, as {@link BatchHandlerOptions.onFailure} sees it.
 *
 * - `failed`: the record could not be read (`toEvent`, the stream or the sequence threw), or
 *   its delivery failed.
 * - `held`: not attempted, because an earlier record of its stream in the batch did not apply.
 * - `gap`: not applicable in order yet (offset sources only).
 * - `cancelled`: the invocation's deadline came first.
 *
 * @example
 * ```ts
 * const log = (failure: RecordFailure<SQSRecord>) =>
 *   console.warn(failure.itemIdentifier, failure.outcome, failure.error);
 * ```
 */
export interface RecordFailure<R> {
  /** The record as Lambda delivered it. */
  readonly record: R;
  /** Its index in `event.Records`. */
  readonly index: number;
  /** What goes into `batchItemFailures`. */
  readonly itemIdentifier: string;
  readonly outcome: Exclude<DeliveryOutcome, "applied" | "duplicate">;
  /** Why, for `failed` and `cancelled`. */
  readonly error?: unknown;
}

/**
 * Options every batch handler takes.
 *
 * @example
 * ```ts
 * const options: BatchHandlerOptions<SQSRecord> = {
 *   safetyMarginMs: 2_000,
 *   onFailure: ({ itemIdentifier, outcome, error }) => console.warn(itemIdentifier, outcome, error),
 * };
 * ```
 */
export interface BatchHandlerOptions<R> {
  /**
   * The stream (the resource whose version orders the records) of a record, instead of the
   * source's default. Records of one stream are applied in order; different streams in parallel.
   * Must return a non-empty string.
   */
  readonly streamOf?: ((record: R) => string) | undefined;
  /**
   * How long before the invocation times out delivery is cancelled, in milliseconds, when the
   * handler is given a Lambda `context`. Default 1,000.
   */
  readonly safetyMarginMs?: number | undefined;
  /**
   * Called for each record reported in `batchItemFailures`, e.g. to log why. It is the only place
   * where the error of a record that could not be read shows up. Exceptions it throws are ignored.
   */
  readonly onFailure?: ((failure: RecordFailure<R>) => void) | undefined;
}

/**
 * A Lambda handler for a batch event source: delivers the records and answers with the records
 * to deliver again. Rejects only for an event it cannot answer for record by record (no `Records`
 * array, a record without an identifier), so that Lambda retries the whole batch.
 *
 * @example
 * ```ts
 * export const handler: BatchHandler<SQSRecord> = sqsFifoHandler(driver, { toEvent: (r) => JSON.parse(r.body) });
 * ```
 */
export type BatchHandler<R> = (event: { readonly Records: readonly R[] }, context?: LambdaContextLike) => Promise<BatchResponse>;

/** The options every batch handler accepts: those of {@link BatchHandlerOptions} and `toEvent`. */
const BATCH_HANDLER_OPTION_KEYS = ["toEvent", "streamOf", "safetyMarginMs", "onFailure"] as const;

/**
 * The checked options of a batch handler, with defaults.
 *
 * @example
 * ```ts
 * const { safetyMarginMs }: ResolvedBatchHandlerOptions<SQSRecord> = requireBatchHandlerOptions(driver, options);
 * ```
 */
export interface ResolvedBatchHandlerOptions<R> {
  readonly streamOf: ((record: R) => string) | undefined;
  readonly safetyMarginMs: number;
  readonly onFailure: ((failure: RecordFailure<R>) => void) | undefined;
}

/**
 * Checks a handler's driver and options (synchronously, before any I/O); an unknown option key is
 * refused (E2).
 *
 * @param driver - the driver as given.
 * @param options - the options as given.
 * @returns the options with defaults.
 * @throws `InvalidArgumentError` naming the malformed argument, or the malformed or unknown option.
 *
 * @example
 * ```ts
 * const resolved = requireBatchHandlerOptions(driver, options);
 * ```
 */
export function requireBatchHandlerOptions<E extends ProjectionEvent, R>(
  driver: DeliveryDriver<E>,
  options: BatchHandlerOptions<R> & { readonly toEvent: unknown },
): ResolvedBatchHandlerOptions<R> {
  if (typeof driver !== "object" || driver === null || typeof (driver as { deliverAll?: unknown }).deliverAll !== "function") {
    throw new InvalidArgumentError("driver", `expected a DeliveryDriver, got ${describeValue(driver)}`);
  }
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new InvalidArgumentError("options", `expected an options object, got ${describeValue(options)}`);
  }
  requireKnownKeys(options, "options", BATCH_HANDLER_OPTION_KEYS);
  if (typeof options.toEvent !== "function") {
    throw new InvalidArgumentError("options.toEvent", `expected a function, got ${describeValue(options.toEvent)}`);
  }
  for (const name of ["streamOf", "onFailure"] as const) {
    if (options[name] !== undefined && typeof options[name] !== "function") {
      throw new InvalidArgumentError(`options.${name}`, `expected a function, got ${describeValue(options[name])}`);
    }
  }
  const safetyMarginMs = options.safetyMarginMs ?? 1_000;
  if (typeof safetyMarginMs !== "number" || !Number.isFinite(safetyMarginMs) || safetyMarginMs < 0) {
    throw new InvalidArgumentError("options.safetyMarginMs", `expected a non-negative number of milliseconds, got ${receivedValue(safetyMarginMs)}`);
  }
  return { streamOf: options.streamOf, safetyMarginMs, onFailure: options.onFailure };
}
