/**
 * OpenTelemetry for projectionkit: spans for each commit and each delivered event, and counters of
 * outcomes and backend cost. Needs `@opentelemetry/api` (an optional peer dependency); the rest of
 * `@projectionkit/core` does not load it.
 *
 * - {@link instrumentProjection}: a span per commit (`handleEvent` / `handleEventBatch`).
 * - {@link driverTelemetry}: `DeliveryDriver` hooks with a span per event and counters.
 *
 * @example
 * ```ts
 * import { DeliveryDriver, kinesisStreamHandler } from "@projectionkit/core";
 * import { driverTelemetry, instrumentProjection } from "@projectionkit/core/telemetry";
 *
 * const driver = new DeliveryDriver(instrumentProjection(projection), { hooks: driverTelemetry() });
 * export const handler = kinesisStreamHandler(driver, {
 *   toEvent: (_record, data) => JSON.parse(new TextDecoder().decode(data)) as AccountEvent,
 * });
 * ```
 *
 * @packageDocumentation
 */

export { COMMIT_SPAN_NAME, instrumentProjection } from "./instrument-projection.js";
export { DELIVERY_SPAN_NAME, driverTelemetry, type DriverTelemetryOptions } from "./driver-telemetry.js";
export { INSTRUMENTATION_NAME, type TelemetryOptions } from "./telemetry-options.js";
