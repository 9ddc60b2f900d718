import type { DeliveryDriver } from "../driver/delivery-driver.js";
import type { ProjectionEvent } from "../projection-event.js";
import { deliverBatch, type RecordReader } from "./batch-delivery.js";
import { requireBatchHandlerOptions, type BatchHandler, type BatchHandlerOptions } from "./batch-handler-options.js";

/**
 * The flow every batch handler shares: checks `driver` and `options` at once (before any I/O),
 * then answers each Lambda event with {@link deliverBatch}, reading the records with the reader
 * that `readerFor` makes from the checked `toEvent`. Only how a source's records are read differs.
 *
 * @param driver - delivers the events.
 * @param options - the handler's options, `toEvent` included.
 * @param readerFor - the source's record reader, given `toEvent`.
 * @returns the handler.
 * @throws `InvalidArgumentError` for a malformed driver or options.
 *
 * @internal
 */
export function batchHandler<R, E extends ProjectionEvent, ToEvent>(
  driver: DeliveryDriver<E>,
  options: BatchHandlerOptions<R> & { readonly toEvent: ToEvent },
  readerFor: (toEvent: ToEvent) => RecordReader<R, E>,
): BatchHandler<R> {
  const resolved = requireBatchHandlerOptions(driver, options);
  const reader = readerFor(options.toEvent);
  return (event, context) => deliverBatch(driver, reader, resolved, event, context);
}
